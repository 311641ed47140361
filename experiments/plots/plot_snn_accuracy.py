"""Figures of the snn_accuracy job (unsupervised spiking network):
- <name>.pdf|png: accuracy against the device-to-device spread (mean +- standard deviation over
  repetitions, one line per rule/card) when d2d_sigma or d2d_scale is swept, else bars of the accuracy
  of every configuration (mean +- std over repetitions), one group per data set and network size;
- figures/fields_<k>.pdf|png: the receptive fields (input weights of every neuron as a 28x28 tile,
  its assigned label above) and figures/hist_<k>.pdf|png: the weight histogram, for every point whose
  repetition 0 saved its weights (fields/point_<k>.bin)."""
import math
import os

import memxbar_style
import results_table
import matplotlib.pyplot as plt
import numpy as np


def rule_name(r):
    rule = r["rule"]
    card = os.path.basename(str(r.get("device_card") or "")).replace(".toml", "")
    if rule == "trace_stdp":
        return "float STDP"
    if rule == "kbit_stdp":
        return f"{int(r['bits'])}-bit STDP"
    if rule == "device_stdp":
        return f"device STDP, {card}"
    if rule == "querlioz":
        return f"Querlioz, {card}"
    return rule


def spread_of(r, key):
    return 100.0 * (r[key] if key == "d2d_sigma" else r[key])


def accuracy_vs_spread(folder, meta, rows, key):
    fig, ax = plt.subplots(figsize=(4.2, 2.9))
    others = [s for s in meta.get("swept", []) if s != key and s not in ("repetition",)]
    for gkey, grows in results_table.groups(rows, others or ["rule"]).items():
        xs, ms, ss = [], [], []
        for x, xr in results_table.groups(grows, [key]).items():
            m, s = results_table.mean_std([r["accuracy"] for r in xr])
            xs.append(spread_of(xr[0], key))
            ms.append(100 * m)
            ss.append(100 * s)
        label = rule_name(grows[0])
        if "dataset" in others:
            label += f" ({grows[0]['dataset']})"
        if "n_neurons" in others:
            label += f", N={int(grows[0]['n_neurons'])}"
        ax.errorbar(xs, ms, yerr=ss, marker="o", markersize=3, capsize=2, label=label)
    ax.set_xlabel("device-to-device spread σ (% of each parameter)" if key == "d2d_sigma"
                  else "scale of the card's d2d spread (%)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 100)
    ax.axhline(10, color="black", linewidth=0.6, linestyle=":")
    ax.legend(fontsize=6)
    ax.set_title(meta.get("plot", {}).get("title") or "accuracy vs device-to-device spread", fontsize=8)
    return memxbar_style.save(fig, os.path.join(folder, meta["name"]))


def accuracy_bars(folder, meta, rows):
    groups = results_table.groups(rows, ["dataset", "n_neurons"])
    fig, axes = plt.subplots(1, len(groups), figsize=(max(3.2, 0.5 * max(len(results_table.groups(g, ["rule", "bits", "device_card"])) for g in groups.values())) * len(groups) * 0.9 + 0.6, 3.2),
                             squeeze=False, sharey=True)
    for ax, ((ds, n), grows) in zip(axes[0], groups.items()):
        configs = results_table.groups(grows, ["rule", "bits", "device_card", "d2d_sigma", "d2d_scale"])
        names, ms, ss = [], [], []
        for crow in configs.values():
            m, s = results_table.mean_std([r["accuracy"] for r in crow])
            names.append(rule_name(crow[0]))
            ms.append(100 * m)
            ss.append(100 * s)
        colors = [memxbar_style.OKABE_ITO[0 if "float" in x or "bit" in x else 1 if "device" in x else 2]
                  for x in names]
        ax.bar(range(len(ms)), ms, yerr=ss, color=colors, capsize=2)
        for k, m in enumerate(ms):
            ax.text(k, m + 1.5, f"{m:.1f}", ha="center", fontsize=6)
        ax.set_xticks(range(len(ms)))
        ax.set_xticklabels(names, rotation=60, ha="right", fontsize=6)
        ax.set_title(f"{ds}, N = {int(n)}", fontsize=8)
        ax.axhline(10, color="black", linewidth=0.6, linestyle=":")
        ax.set_ylim(0, 100)
        ax.grid(axis="x", visible=False)
    axes[0][0].set_ylabel("test accuracy (%)")
    fig.suptitle(meta.get("plot", {}).get("title") or "unsupervised STDP network: test accuracy", fontsize=9)
    fig.tight_layout()
    return memxbar_style.save(fig, os.path.join(folder, meta["name"]))


def load_fields(folder, stem):
    w = np.fromfile(os.path.join(folder, stem + ".bin"), dtype="<f4")
    labels = []
    with open(os.path.join(folder, stem + ".csv")) as f:
        next(f)
        for line in f:
            labels.append(int(line.split(",")[1]))
    n = len(labels)
    return w.reshape(784, n), labels


def fields_figure(folder, r, prefix):
    w, labels = load_fields(folder, r["fields"])
    n = w.shape[1]
    ncol = math.ceil(math.sqrt(n))
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(0.42 * ncol + 0.2, 0.48 * nrow + 0.4), squeeze=False)
    vmax = float(np.percentile(w, 99.5)) or 1.0
    for j, ax in enumerate(axes.flat):
        ax.axis("off")
        if j < n:
            ax.imshow(w[:, j].reshape(28, 28), cmap="hot_r", vmin=0, vmax=vmax, interpolation="nearest")
            ax.set_title(str(labels[j]) if labels[j] >= 0 else "-", fontsize=5, pad=1)
    fig.suptitle(f"receptive fields: {rule_name(r)}, {r['dataset']}, N = {int(r['n_neurons'])}, "
                 f"accuracy {100 * r['accuracy']:.1f} %", fontsize=7)
    fig.subplots_adjust(wspace=0.05, hspace=0.35, top=1 - 0.35 / (0.48 * nrow + 0.4), left=0.01, right=0.99,
                        bottom=0.01)
    paths = memxbar_style.save(fig, prefix.replace("{}", "fields"))
    fig, ax = plt.subplots(figsize=(3.4, 2.4))
    ax.hist(w.ravel(), bins=60, color=memxbar_style.OKABE_ITO[0])
    ax.set_yscale("log")
    ax.set_xlabel("weight $w$ (dimensionless)")
    ax.set_ylabel("synapses")
    ax.set_title(f"weights: {rule_name(r)}, N = {int(r['n_neurons'])}", fontsize=8)
    return paths + memxbar_style.save(fig, prefix.replace("{}", "hist"))


def plot(folder, meta, header, rows):
    swept = set(meta.get("swept", []))
    key = next((k for k in ("d2d_sigma", "d2d_scale") if k in swept), None)
    paths = accuracy_vs_spread(folder, meta, rows, key) if key else accuracy_bars(folder, meta, rows)
    os.makedirs(os.path.join(folder, "figures"), exist_ok=True)
    for r in rows:
        if r["repetition"] == 0 and r.get("fields"):
            k = r["fields"].rsplit("_", 1)[-1]
            if os.path.exists(os.path.join(folder, r["fields"] + ".bin")):
                paths += fields_figure(folder, r, os.path.join(folder, "figures", "{}_" + k))
    return paths

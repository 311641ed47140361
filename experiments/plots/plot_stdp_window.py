"""Figure of the stdp_window job: the weight change per spike pair against t_post - t_pre, one panel per
rule/card (mean over the measured devices, band = +- one standard deviation over devices), with the
zero lines; and one overlay of the curves normalised to their largest |mean change| (the shapes)."""
import math
import os

import memxbar_style
import results_table
import matplotlib.pyplot as plt


def name_of(r):
    rule = r["rule"]
    if rule in ("device_stdp", "querlioz"):
        card = os.path.basename(str(r["device_card"])).replace(".toml", "")
        return card if rule == "device_stdp" else f"{card} (Querlioz)"
    if rule == "kbit_stdp":
        return f"ideal, {int(r['bits'])}-bit"
    return "ideal trace STDP"


def plot(folder, meta, header, rows):
    params = [p["name"] for p in meta["parameters"]]
    points = results_table.groups([r for r in rows if r["repetition"] == 0], params)
    n = len(points)
    ncol = min(3, n)
    nrow = math.ceil(n / ncol) + 1  # last row: the normalised overlay
    fig = plt.figure(figsize=(2.5 * ncol, 2.0 * nrow))
    for k, prow in enumerate(points.values()):
        ax = fig.add_subplot(nrow, ncol, k + 1)
        t = [r["delta_t"] * 1e3 for r in prow]
        m = [r["dw_mean"] for r in prow]
        s = [r["dw_std"] for r in prow]
        peak = max((abs(v) for v in m), default=0.0) or 1.0
        exp = math.floor(math.log10(peak)) if peak > 0 else 0
        f = 10.0 ** -exp
        ax.fill_between(t, [(a - b) * f for a, b in zip(m, s)], [(a + b) * f for a, b in zip(m, s)],
                        color=memxbar_style.OKABE_ITO[0], alpha=0.25, linewidth=0)
        ax.plot(t, [v * f for v in m], color=memxbar_style.OKABE_ITO[0])
        ax.axhline(0, color="black", linewidth=0.6)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_title(name_of(prow[0]), fontsize=8)
        ax.set_xlabel(r"$\Delta t = t_{post} - t_{pre}$ (ms)")
        ax.set_ylabel(rf"$\Delta w$ ($\times 10^{{{exp}}}$)")
    ax = fig.add_subplot(nrow, 1, nrow)
    for prow in points.values():
        ax.plot([r["delta_t"] * 1e3 for r in prow], [r["dw_norm"] for r in prow], label=name_of(prow[0]))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(r"$\Delta t = t_{post} - t_{pre}$ (ms)")
    ax.set_ylabel(r"$\Delta w / \max|\Delta w|$")
    ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle(meta.get("plot", {}).get("title") or "STDP window per spike pair", fontsize=9)
    fig.tight_layout()
    return memxbar_style.save(fig, os.path.join(folder, meta["name"]))

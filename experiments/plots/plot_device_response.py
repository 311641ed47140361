"""Figure of the device_response job: one panel per point (card and drive): I-V loops for traces,
conductance vs pulse number for pulse responses, median and 5-95 % band vs time for PCM drift. Also
one figure per point in RESULTS_DIR/figures/<card>.pdf|png (the gallery of docs/)."""
import math
import os

import memxbar_style
import results_table
import matplotlib.pyplot as plt


def draw(ax, mode, rows):
    if mode == "trace":
        fi, pi = memxbar_style.si_scale([r["i"] for r in rows])
        ax.plot([r["v"] for r in rows], [r["i"] * fi for r in rows])
        ax.set_xlabel("device voltage $V$ (V)")
        ax.set_ylabel(f"current $I$ ({pi}A)")
    elif mode == "pulses":
        fg, pg = memxbar_style.si_scale([r["g"] for r in rows])
        ax.plot([r["k"] for r in rows], [r["g"] * fg for r in rows], marker=".", markersize=2)
        ax.set_xlabel("pulse number")
        ax.set_ylabel(f"conductance $G$ ({pg}S)")
    else:
        fg, pg = memxbar_style.si_scale([r["g_p95"] for r in rows])
        for key, trows in results_table.groups(rows, ["g_target"]).items():
            t = [r["t"] for r in trows]
            line, = ax.plot(t, [r["g"] * fg for r in trows], label=f"$G_T$ = {key[0] * fg:.3g} {pg}S")
            ax.fill_between(t, [r["g_p05"] * fg for r in trows], [r["g_p95"] * fg for r in trows],
                            color=line.get_color(), alpha=0.25, linewidth=0)
        ax.set_xscale("log")
        ax.set_xlabel("time since programming $t$ (s)")
        ax.set_ylabel(f"mean read $G$ ({pg}S)")
        ax.legend(fontsize=6)


def plot(folder, meta, header, rows):
    params = [p["name"] for p in meta["parameters"]]
    points = results_table.groups([r for r in rows if r["repetition"] == 0], params)
    os.makedirs(os.path.join(folder, "figures"), exist_ok=True)
    for key, prow in points.items():
        card, mode = prow[0]["card"], prow[0]["mode"]
        if mode == "trace" and any(r["x"] is not None for r in prow):
            # The loop and the internal state that makes it: I-V left, state vs time right.
            fig, (ax, ax2) = plt.subplots(1, 2, figsize=(6.4, 2.6))
            ft, pt = memxbar_style.si_scale([r["t"] for r in prow])
            ax2.plot([r["t"] * ft for r in prow], [r["x"] for r in prow])
            ax2.set_xlabel(f"time $t$ ({pt}s)")
            ax2.set_ylabel("state $x$")
            fig.tight_layout()
        else:
            fig, ax = plt.subplots(figsize=(3.4, 2.6))
        draw(ax, mode, prow)
        ax.set_title(card)
        memxbar_style.save(fig, os.path.join(folder, "figures", os.path.basename(str(card)).replace(".toml", "")))
    n = len(points)
    ncol = min(3, n)
    nrow = math.ceil(n / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(2.6 * ncol, 2.2 * nrow), squeeze=False)
    for ax, (key, prow) in zip(axes.flat, points.items()):
        draw(ax, prow[0]["mode"], prow)
        ax.set_title(os.path.basename(str(prow[0]["card"])).replace(".toml", ""))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if meta.get("plot", {}).get("title"):
        fig.suptitle(meta["plot"]["title"])
    fig.tight_layout()
    return memxbar_style.save(fig, os.path.join(folder, meta["name"]))

#!/usr/bin/env python3
"""Figures of a memxbar results folder (memxbar plot RESULTS_DIR; memxbar run calls it after a run).

The job's own script (metadata "plot_script") draws its canonical figure; otherwise the generic sweep
plot draws y against x, one line per hue value, mean with error bars (one standard deviation) over the
Monte Carlo repetitions, one panel per facet value. x, y, hue and facet come from the config's [plot]
table, or default to the swept parameters and the job's first numeric column.
Writes RESULTS_DIR/<name>.pdf and .png (publication style)."""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memxbar_style  # noqa: E402
import results_table  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def numeric(rows, col):
    return all(isinstance(r[col], float) or r[col] is None for r in rows) and any(
        isinstance(r[col], float) for r in rows)


def sweep_plot(folder, meta, header, rows):
    p = meta.get("plot", {})
    swept = meta.get("swept", [])
    cols = [c["name"] for c in meta["columns"]]
    x = p.get("x") or next((s for s in swept if numeric(rows, s)), None)
    y = p.get("y") or next((c for c in cols if numeric(rows, c)), None)
    if x is None or y is None:
        raise SystemExit("memxbar plot: nothing to plot against (give [plot] x and y in the config)")
    hue = p.get("hue") or next((s for s in swept if s != x and s != p.get("facet")), "")
    facet = p.get("facet", "")
    panels = results_table.groups(rows, [facet]) if facet else {(): rows}
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(3.4 * n, 2.6), squeeze=False, sharey=True)
    for ax, (fkey, frows) in zip(axes.flat, panels.items()):
        lines = results_table.groups(frows, [hue]) if hue else {(): frows}
        for hkey, hrows in lines.items():
            pts = results_table.groups(hrows, [x])
            xs = [k[0] for k in pts]
            stats = [results_table.mean_std([r[y] for r in v]) for v in pts.values()]
            order = sorted(range(len(xs)), key=lambda i: xs[i])
            unit = results_table.unit_of(meta, hue) if hue else ""
            lab = f"{hue.replace('_', ' ')} = {hkey[0]:g} {unit}".strip() if hue and isinstance(
                hkey[0], float) else (f"{hue.replace('_', ' ')} = {hkey[0]}" if hue else None)
            ax.errorbar([xs[i] for i in order], [stats[i][0] for i in order], yerr=[stats[i][1] for i in order],
                        marker="o", markersize=3, capsize=2, label=lab)
        ax.set_xlabel(results_table.label(meta, x))
        if p.get("logx"):
            ax.set_xscale("log")
        if p.get("logy"):
            ax.set_yscale("log")
        if facet:
            ax.set_title(f"{facet.replace('_', ' ')} = {fkey[0]}")
        if hue:
            ax.legend()
    axes.flat[0].set_ylabel(results_table.label(meta, y))
    if p.get("title"):
        fig.suptitle(p["title"])
    fig.tight_layout()
    return memxbar_style.save(fig, os.path.join(folder, meta["name"]))


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        raise SystemExit(0 if len(sys.argv) == 2 else 2)
    folder = sys.argv[1]
    meta, header, rows = results_table.load(folder)
    memxbar_style.apply()
    script = meta.get("plot_script", "")
    if script:
        module = importlib.import_module(os.path.splitext(script)[0])
        paths = module.plot(folder, meta, header, rows)
    else:
        paths = sweep_plot(folder, meta, header, rows)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()

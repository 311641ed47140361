#!/usr/bin/env python3
"""Figures from memxbar device CSVs.

Trace CSVs (header t,v,i,<states>) give the I-V loop (current vs device voltage) and the state vs time;
pulse CSVs (header pulse,v_pulse,g,<states>) give conductance vs pulse number (LTP/LTD curves).
Several CSVs are overlaid, labelled by --labels or their file names.

usage: plot_device.py CSV [CSV ...] --out PREFIX [--labels A,B,...] [--title TEXT] [--grid] [--each]
  --grid draws one panel per CSV instead of overlaying them.
  --each also writes one figure per CSV beside it (NAME.csv -> NAME.pdf, NAME.png), titled by its label.
"""
import argparse
import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import memxbar_style  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise SystemExit(f"plot_device: {path} is empty")
    header = rows[0]
    cols = {h: [] for h in header}
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise SystemExit(f"plot_device: {path}:{n}: expected {len(header)} columns, got {len(r)}")
        for h, v in zip(header, r):
            cols[h].append(float(v))
    return header, cols


def kind(header):
    if header[:3] == ["t", "v", "i"]:
        return "trace"
    if header[:3] == ["pulse", "v_pulse", "g"]:
        return "pulse"
    if header[:2] == ["t", "g_target"]:
        return "drift"
    raise SystemExit(f"plot_device: unknown CSV layout {header[:3]} (expected t,v,i or pulse,v_pulse,g)")


def draw_trace(ax, cols, label):
    fi, pi = memxbar_style.si_scale(cols["i"])
    ax.plot(cols["v"], [x * fi for x in cols["i"]], label=label)
    ax.set_xlabel("device voltage $V$ (V)")
    ax.set_ylabel(f"current $I$ ({pi}A)")


def draw_pulse(ax, cols, label):
    fg, pg = memxbar_style.si_scale(cols["g"])
    ax.plot(cols["pulse"], [x * fg for x in cols["g"]], marker=".", markersize=2, label=label)
    ax.set_xlabel("pulse number")
    ax.set_ylabel(f"conductance $G$ ({pg}S)")


def draw_drift(ax, cols, label):
    """Median and 5-95 % band of the read conductance vs time since programming, one curve per target."""
    targets = sorted(set(cols["g_target"]), reverse=True)
    fg, pg = memxbar_style.si_scale(cols["g_p95"])
    for g in targets:
        idx = [k for k, x in enumerate(cols["g_target"]) if x == g]
        t = [cols["t"][k] for k in idx]
        line, = ax.plot(t, [cols["g_median"][k] * fg for k in idx], label=f"$G_T$ = {g * fg:.3g} {pg}S")
        ax.fill_between(t, [cols["g_p05"][k] * fg for k in idx], [cols["g_p95"][k] * fg for k in idx],
                        color=line.get_color(), alpha=0.25, linewidth=0)
    ax.set_xscale("log")
    ax.set_xlabel("time since programming $t$ (s)")
    ax.set_ylabel(f"read conductance $G$ ({pg}S)")
    ax.legend(fontsize=7)


DRAW = {"trace": draw_trace, "pulse": draw_pulse, "drift": draw_drift}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--out", required=True, help="output prefix: PREFIX.pdf and PREFIX.png")
    ap.add_argument("--labels", default="")
    ap.add_argument("--title", default="")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--each", action="store_true")
    a = ap.parse_args()
    labels = a.labels.split(",") if a.labels else [os.path.splitext(os.path.basename(p))[0] for p in a.csv]
    if len(labels) != len(a.csv):
        raise SystemExit("plot_device: --labels needs one label per CSV")
    memxbar_style.apply()
    data = [read(p) for p in a.csv]
    if a.each:
        for path, d, label in zip(a.csv, data, labels):
            figure([d], [label], False, label, os.path.splitext(path)[0])
    figure(data, labels, a.grid, a.title, a.out)


def figure(data, labels, grid, title, out):
    if grid:
        n = len(data)
        ncol = min(3, n)
        nrow = math.ceil(n / ncol)
        fig, axes = plt.subplots(nrow, ncol, figsize=(2.6 * ncol, 2.2 * nrow), squeeze=False)
        for ax, (header, cols), label in zip(axes.flat, data, labels):
            DRAW[kind(header)](ax, cols, label)
            ax.set_title(label)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
    else:
        kinds = {kind(h) for h, _ in data}
        if len(kinds) != 1:
            raise SystemExit("plot_device: cannot overlay trace and pulse CSVs; use --grid")
        only = kinds.pop()
        if only == "trace":
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 2.6))
            for (header, cols), label in zip(data, labels):
                draw_trace(ax1, cols, label)
                state = header[3] if len(header) > 3 else None
                if state:
                    ax2.plot(cols["t"], cols[state], label=label)
                    ax2.set_ylabel(f"state ${state}$")
                ft, pt = memxbar_style.si_scale(cols["t"])
                ax2.set_xlabel(f"time $t$ ({pt}s)")
                ax2.lines[-1].set_xdata([x * ft for x in cols["t"]])
                ax2.relim()
                ax2.autoscale_view()
        else:
            fig, ax1 = plt.subplots(figsize=(3.4, 2.6))
            for (header, cols), label in zip(data, labels):
                DRAW[only](ax1, cols, label)
        if len(data) > 1 and only != "drift":
            ax1.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    for p in memxbar_style.save(fig, out):
        print(p)


if __name__ == "__main__":
    main()

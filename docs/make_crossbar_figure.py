#!/usr/bin/python3
"""Draws docs/figures/crossbar_circuit.svg (and .png): the passive crossbar that `memxbar solve` solves,
shown for N = M = 3, with the node names of docs/crossbar.md.

  /usr/bin/python3 docs/make_crossbar_figure.py [--out PREFIX]

Needs python3-matplotlib only.
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "experiments", "plots"))
import memxbar_style  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

N = M = 3
DX, DY = 3.0, 2.4   # column and row pitch
OX, OY = 0.9, -0.9  # column node (i,j) relative to row node (i,j)
WIRE = "#000000"
ROW_C, COL_C, DEV_C, SRC_C = "#0072B2", "#D55E00", "#009E73", "#000000"


def resistor(ax, p0, p1, color, span=(0.22, 0.78), amp=0.14, n=6, lw=1.1):
    """A zigzag resistor on the segment p0-p1, between the fractions `span` of its length."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    d = p1 - p0
    a, b = p0 + d * span[0], p0 + d * span[1]
    L = np.hypot(*d)
    u = d / L
    v = np.array([-u[1], u[0]])
    pts = [p0, a]
    for k in range(1, 2 * n):
        t = k / (2 * n)
        pts.append(a + (b - a) * t + v * amp * (1 if k % 2 else -1))
    pts += [b, p1]
    pts = np.array(pts)
    ax.plot(pts[:, 0], pts[:, 1], color=color, lw=lw, solid_joinstyle="miter", zorder=2)


def memristor(ax, p0, p1, color):
    """Device symbol: a box with a thick band at the row end, between wires."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    d = p1 - p0
    L = np.hypot(*d)
    u = d / L
    v = np.array([-u[1], u[0]])
    a, b = p0 + u * L * 0.28, p1 - u * L * 0.28
    w = 0.16
    box = np.array([a + v * w, b + v * w, b - v * w, a - v * w, a + v * w])
    ax.plot([p0[0], a[0]], [p0[1], a[1]], color=color, lw=1.1, zorder=2)
    ax.plot([b[0], p1[0]], [b[1], p1[1]], color=color, lw=1.1, zorder=2)
    ax.fill(box[:, 0], box[:, 1], facecolor="white", edgecolor=color, lw=1.1, zorder=3)
    band = a + u * 0.1
    ax.plot([band[0] + v[0] * w, band[0] - v[0] * w], [band[1] + v[1] * w, band[1] - v[1] * w],
            color=color, lw=3, zorder=4, solid_capstyle="butt")


def node(ax, p, color, label=None, offset=(0.12, 0.12), ha="left", va="bottom", size=7):
    ax.plot(*p, "o", ms=3.2, color=color, zorder=5)
    if label:
        ax.annotate(label, p, xytext=(p[0] + offset[0], p[1] + offset[1]), fontsize=size, color=color,
                    ha=ha, va=va, zorder=6)


def ground(ax, p, color=WIRE):
    x, y = p
    for k, w in enumerate((0.3, 0.2, 0.1)):
        ax.plot([x - w, x + w], [y - 0.09 * k, y - 0.09 * k], color=color, lw=1.1)


def source(ax, p_top, color, label):
    """Ideal voltage source, + at the top, bottom to ground."""
    x, y = p_top
    c = (x, y - 0.55)
    ax.add_patch(plt.Circle(c, 0.3, fill=False, color=color, lw=1.1, zorder=3))
    ax.text(x, c[1] + 0.12, "+", ha="center", va="center", fontsize=7, color=color)
    ax.text(x, c[1] - 0.15, "\u2212", ha="center", va="center", fontsize=7, color=color)
    ax.plot([x, x], [y, y - 0.25], color=color, lw=1.1)
    ax.plot([x, x], [y - 0.85, y - 1.05], color=color, lw=1.1)
    ground(ax, (x, y - 1.05), color)
    ax.text(x - 0.4, c[1], label, ha="right", va="center", fontsize=8, color=color)


def draw(prefix):
    memxbar_style.apply()
    fig, ax = plt.subplots(figsize=(7.0, 5.6))
    ax.set_aspect("equal")
    ax.axis("off")
    ax.grid(False)

    rowp = lambda i, j: (j * DX, -i * DY)            # noqa: E731
    colp = lambda i, j: (j * DX + OX, -i * DY + OY)  # noqa: E731
    x_src, x_mid = -3.6, -1.8

    for i in range(N):
        y = -i * DY
        # driver: V_i -- r_source -- r_wire (first segment) -- row node (i,0)
        ax.plot([x_src, x_src + 0.3], [y, y], color=ROW_C, lw=1.1)
        source(ax, (x_src, y), SRC_C, f"$V_{i}$")
        node(ax, (x_src, y), SRC_C, f"in{i}", offset=(0.05, 0.18), size=6.5)
        resistor(ax, (x_src + 0.3, y), (x_mid, y), ROW_C)
        resistor(ax, (x_mid, y), rowp(i, 0), ROW_C)
        if i == 0:
            ax.text((x_src + 0.3 + x_mid) / 2, y + 0.3, "$r_\\mathrm{source}$", ha="center", fontsize=7.5,
                    color=ROW_C)
            ax.text((x_mid + 0) / 2, y + 0.3, "$r_\\mathrm{wire}$", ha="center", fontsize=7.5, color=ROW_C)
        for j in range(M - 1):  # row wire segments between cells
            resistor(ax, rowp(i, j), rowp(i, j + 1), ROW_C, span=(0.45, 0.88))
        ax.plot([rowp(i, M - 1)[0], rowp(i, M - 1)[0] + 0.5], [y, y], color=ROW_C, lw=1.1)
        ax.text(rowp(i, M - 1)[0] + 0.6, y, "open", fontsize=6.5, va="center", color=ROW_C)
        ax.text(-4.9, y - 0.55, f"row $i={i}$", fontsize=8, ha="right", va="center")
    for j in range(M):
        for i in range(N - 1):  # column wire segments between cells
            resistor(ax, colp(i, j), colp(i + 1, j), COL_C, span=(0.1, 0.5))
        ax.plot([colp(0, j)[0]] * 2, [colp(0, j)[1], colp(0, j)[1] + 0.5], color=COL_C, lw=1.1)
        # last segment, r_sense, then the sense node held at 0 V
        top = colp(N - 1, j)
        mid = (top[0], top[1] - 1.5)
        s = (top[0], top[1] - 3.0)
        resistor(ax, top, mid, COL_C)
        resistor(ax, mid, s, COL_C)
        if j == M - 1:
            ax.text(top[0] + 0.3, (top[1] + mid[1]) / 2, "$r_\\mathrm{wire}$", fontsize=7.5, va="center",
                    color=COL_C)
            ax.text(top[0] + 0.3, (mid[1] + s[1]) / 2, "$r_\\mathrm{sense}$", fontsize=7.5, va="center",
                    color=COL_C)
        node(ax, s, SRC_C, f"s{j}", offset=(0.15, -0.05), va="top", size=6.5)
        # sense amplifier input: 0 V source to ground (virtual ground of a TIA)
        ax.plot([s[0], s[0]], [s[1], s[1] - 0.25], color=SRC_C, lw=1.1)
        ax.add_patch(plt.Circle((s[0], s[1] - 0.55), 0.3, fill=False, color=SRC_C, lw=1.1))
        ax.text(s[0], s[1] - 0.55, "0 V", ha="center", va="center", fontsize=6)
        ax.plot([s[0], s[0]], [s[1] - 0.85, s[1] - 1.05], color=SRC_C, lw=1.1)
        ground(ax, (s[0], s[1] - 1.05))
        ax.annotate("", xy=(s[0] - 0.35, s[1] - 0.05), xytext=(s[0] - 0.35, s[1] + 0.8),
                    arrowprops=dict(arrowstyle="-|>", lw=1.0, color="black"))
        ax.text(s[0] - 0.45, s[1] + 0.4, f"$I_{j}$", ha="right", va="center", fontsize=9)
        ax.text(colp(0, j)[0], 0.75, f"column $j={j}$", fontsize=8, ha="center", va="bottom")
    for i in range(N):
        for j in range(M):
            memristor(ax, rowp(i, j), colp(i, j), DEV_C)
            node(ax, rowp(i, j), ROW_C)
            node(ax, colp(i, j), COL_C)
    # name one cell's nodes and device (the right-most column has free space beside it)
    i, j = 1, M - 1
    node(ax, rowp(i, j), ROW_C)
    ax.annotate(f"row node ({i},{j})", rowp(i, j), xytext=(colp(i, j)[0] + 0.35, rowp(i, j)[1] + 0.75),
                fontsize=7, color=ROW_C, va="center",
                arrowprops=dict(arrowstyle="-", lw=0.6, color=ROW_C, shrinkA=1, shrinkB=3))
    node(ax, colp(i, j), COL_C, f"column node ({i},{j})", offset=(0.35, 0.0), va="center", size=7)
    mx, my = (rowp(i, j)[0] + colp(i, j)[0]) / 2, (rowp(i, j)[1] + colp(i, j)[1]) / 2
    ax.text(mx - 0.3, my - 0.3, f"$G_{{{i}{j}}}$", fontsize=8.5, color=DEV_C, ha="right", va="top")

    ax.text(-6.2, -N * DY - 4.0,
            "device $(i,j)$: $I = G_{ij}\\,v$ (linear) or $I = G_{ij}\\sinh(b v)/b$ (sinh), "
            "$v = v_\\mathrm{row}(i,j) - v_\\mathrm{col}(i,j)$\n"
            "$I_j$ = current into sense node $j$ (held at 0 V);  wires that cross without a dot are not "
            "connected",
            fontsize=7.5, va="top")
    ax.set_xlim(-6.3, (M - 1) * DX + 3.3)
    ax.set_ylim(-N * DY - 4.7, 1.4)
    for p in (prefix + ".svg", prefix + ".png"):
        fig.savefig(p, metadata={"Date": None} if p.endswith(".svg") else None)
    plt.close(fig)
    return prefix


def main():
    ap = argparse.ArgumentParser(description="Draw the crossbar circuit figure (SVG + PNG).")
    ap.add_argument("--out", default=os.path.join(HERE, "figures", "crossbar_circuit"),
                    help="output prefix (default docs/figures/crossbar_circuit)")
    args = ap.parse_args()
    print("wrote", draw(args.out) + ".svg/.png")


if __name__ == "__main__":
    main()

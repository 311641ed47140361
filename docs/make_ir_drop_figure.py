#!/usr/bin/python3
"""Draws docs/figures/ir_drop_64.pdf and .png: the voltage across every device of a 64 x 64 crossbar
with 2.5 ohm wire segments, from `memxbar solve --voltages-out`, for (a) every device at 100 uS (the
worst case) and (b) random conductances in [1, 100] uS; every row driven at 0.2 V.

  /usr/bin/python3 docs/make_ir_drop_figure.py [--memxbar build/memxbar] [--out PREFIX]

Needs python3-numpy, python3-matplotlib and a built memxbar.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "experiments", "plots"))
import memxbar_style  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

N = 64
R_WIRE = 2.5  # ohm per segment
V_IN = 0.2    # V on every row


def device_voltages(memxbar, G, d):
    """v_device (N x M) from memxbar solve --voltages-out, and the column currents."""
    g, v = os.path.join(d, "G.csv"), os.path.join(d, "V.csv")
    nodes, out = os.path.join(d, "nodes.csv"), os.path.join(d, "I.csv")
    np.savetxt(g, G, delimiter=",", fmt="%.17g")
    np.savetxt(v, np.full(G.shape[0], V_IN), fmt="%.17g")
    subprocess.run([memxbar, "solve", "--conductance", g, "--input", v, "--r-wire", str(R_WIRE),
                    "--voltages-out", nodes, "--out", out], check=True)
    t = np.genfromtxt(nodes, delimiter=",", names=True)
    vd = np.zeros(G.shape)
    vd[t["i"].astype(int), t["j"].astype(int)] = t["v_device"]
    return vd, np.loadtxt(out, delimiter=",")


def main():
    ap = argparse.ArgumentParser(description="IR-drop map of a 64 x 64 crossbar (PDF + PNG).")
    ap.add_argument("--memxbar", default=os.path.join(HERE, "..", "build", "memxbar"),
                    help="the memxbar binary (default build/memxbar)")
    ap.add_argument("--out", default=os.path.join(HERE, "figures", "ir_drop_64"),
                    help="output prefix (default docs/figures/ir_drop_64)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random conductances (default 1)")
    args = ap.parse_args()

    cases = [(np.full((N, N), 1e-4), "(a) every device 100 µS"),
             (np.random.default_rng(args.seed).uniform(1e-6, 1e-4, (N, N)), "(b) random G in [1, 100] µS")]
    maps = []
    with tempfile.TemporaryDirectory() as d:
        for G, _ in cases:
            maps.append(device_voltages(os.path.abspath(args.memxbar), G, d)[0])

    memxbar_style.apply()
    fig, axes = plt.subplots(1, 2, figsize=(6.6, 3.1), constrained_layout=True)
    lo, hi = min(m.min() for m in maps), V_IN
    for ax, m, (_, title) in zip(axes, maps, cases):
        im = ax.imshow(m, origin="upper", cmap="viridis", vmin=lo, vmax=hi, interpolation="nearest",
                       extent=(-0.5, N - 0.5, N - 0.5, -0.5))
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("column $j$ (sense amplifiers below row 63)")
        ax.set_xticks([0, 16, 32, 48, 63])
        ax.set_yticks([0, 16, 32, 48, 63])
        worst = np.unravel_index(np.argmin(m), m.shape)
        ax.plot(worst[1], worst[0], "x", color="white", ms=6, mew=1.5)
        ax.annotate(f"min {m.min() * 1e3:.1f} mV", (worst[1], worst[0]), xytext=(-6, -6),
                    textcoords="offset points", ha="right", va="top", color="white", fontsize=7.5)
    axes[0].set_ylabel("row $i$ (driven at column 0)")
    cb = fig.colorbar(im, ax=axes, shrink=0.9)
    cb.set_label("device voltage $v_\\mathrm{device} = v_\\mathrm{row} - v_\\mathrm{col}$ (V)")
    fig.suptitle(f"64 × 64 crossbar, $r_\\mathrm{{wire}}$ = {R_WIRE} Ω per segment, every row at "
                 f"{V_IN} V (ideal: {V_IN} V across every device)", fontsize=8.5)
    for p in memxbar_style.save(fig, args.out):
        print("wrote", p)
    for m, (_, title) in zip(maps, cases):
        print(f"{title}: v_device from {m.min():.4f} to {m.max():.4f} V")


if __name__ == "__main__":
    main()

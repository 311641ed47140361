"""Publication style shared by memxbar's plot scripts: serif fonts, labelled axes with units, the
Okabe-Ito colour-blind-safe palette, vector PDF plus PNG."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def apply():
    plt.rcParams.update({
        "font.family": "serif",
        "font.serif": ["DejaVu Serif", "Times New Roman", "Times"],
        "mathtext.fontset": "dejavuserif",
        "font.size": 9,
        "axes.labelsize": 9,
        "axes.titlesize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 1.2,
        "savefig.bbox": "tight",
        "savefig.dpi": 200,
        "pdf.fonttype": 42,
    })


def save(fig, prefix):
    """Write PREFIX.pdf and PREFIX.png; return both paths."""
    paths = [prefix + ".pdf", prefix + ".png"]
    for p in paths:
        fig.savefig(p)
    plt.close(fig)
    return paths


def si_scale(values):
    """(factor, prefix) so that the largest |value| * factor falls in [1, 1000)."""
    m = max((abs(v) for v in values), default=0.0)
    for factor, prefix in ((1.0, ""), (1e3, "m"), (1e6, "µ"), (1e9, "n"), (1e12, "p")):
        if m * factor >= 1.0:
            return factor, prefix
    return 1e12, "p"

#!/usr/bin/python3
"""Crossbar DC solve benchmark: memxbar against ngspice and a SciPy sparse direct solve.

For every size N (N x N arrays, wire resistance 2.5 ohm per segment, no source or sense resistance)
and both device laws (linear I = G v; sinh I = G sinh(b v) / b with b = 3 / V), this script

  * draws G ~ U[1e-6, 1e-4] S and V ~ U[0, 0.2] V from a fixed seed and writes G.csv and V.csv;
  * times `memxbar solve` as a whole process (start-up, CSV parsing, solve, output), wall clock,
    best of --repeats for runs shorter than --short seconds, and reads the in-process solve time
    from its --info line;
  * for N <= --ngspice-max (64 by default, 128 with --with-128): writes the netlist of the same
    circuit with `memxbar netlist` (`--tight` tolerances for sinh; not timed) and times
    `ngspice -b` on it as a whole process; a run longer than --ngspice-timeout is stopped and
    reported as a lower bound;
  * for the linear law: assembles the nodal matrix of the documented circuit in Python (independently
    of memxbar, from docs/crossbar.md) and times SciPy's sparse direct solve of it: SuperLU
    factorization (minimum-degree ordering on A^T + A, symmetric mode) and one solve. Only factor +
    solve is timed; building the matrix and starting Python are not;
  * compares the column currents: max over j of |I_j - I_j(reference)| / |I_j(reference)|.

It also times a 1000-vector batch on 256 x 256 (linear): the whole process, the solve part from
--info, and a single-vector direct solve of the same array (analysis + factorization + one solve)
to estimate the cost after factorization; SciPy checks ten of the batch's vectors.

Prints the machine, a Markdown table and the command line that reproduces it.

Requirements: Debian's /usr/bin/python3 with python3-numpy and python3-scipy
(`apt-get install python3-scipy`; --no-scipy skips SciPy), ngspice (`apt-get install ngspice`),
and a built memxbar (`cmake --build build --target memxbar`). Single-threaded on all sides: memxbar,
ngspice and SuperLU each use one core.

Examples (the default run takes about 4 minutes on 2 cores, 1 of it SciPy at 1024 x 1024; --with-128
adds about 4.5 minutes of ngspice):
  /usr/bin/python3 bench/bench_crossbar.py
  /usr/bin/python3 bench/bench_crossbar.py --sizes 16,32,64 --no-batch
"""
import argparse
import math
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

R_WIRE = 2.5     # ohm per wire segment, rows and columns
SINH_B = 3.0     # 1/V
G_RANGE = (1e-6, 1e-4)  # S
V_RANGE = (0.0, 0.2)    # V
BATCH_N, BATCH_K = 256, 1000


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- inputs
def write_csv(path, a):
    """Values with 10 significant digits, so the CSV, the netlist and what ngspice parses are the same
    doubles (ngspice-39 keeps only 11 significant digits of the constants inside B-source expressions,
    which the sinh netlists use). Returns what memxbar reads back."""
    np.savetxt(path, a, delimiter=",", fmt="%.10g")
    return np.loadtxt(path, delimiter=",", ndmin=2)


def make_inputs(d, n, seed, k=1):
    """G.csv (n x n) and V.csv (one vector: n lines of one voltage; k vectors: k lines of n) in d.
    Returns the paths, G (n x n) and V (k x n, one input vector per row)."""
    rng = np.random.default_rng([seed, n, k])
    G = rng.uniform(*G_RANGE, size=(n, n))
    V = rng.uniform(*V_RANGE, size=(k, n))
    g_path, v_path = os.path.join(d, "G.csv"), os.path.join(d, "V.csv")
    G = write_csv(g_path, G)
    V = write_csv(v_path, V.T).T if k == 1 else write_csv(v_path, V)
    return g_path, v_path, G, V


# ---------------------------------------------------------------------------------------------- timing
def run(cmd, timeout=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return t, p


def best_of(fn, repeats, short):
    """Run fn() (returns (seconds, payload)) up to `repeats` times, stopping after a run longer than
    `short` seconds; return the fastest time and the last payload."""
    best, out = math.inf, None
    for _ in range(repeats):
        t, out = fn()
        best = min(best, t)
        if t > short:
            break
    return best, out


INFO = re.compile(r"^method (.+?), Newton iterations (\d+), CG iterations (\d+).*solve ([0-9.eE+-]+) s",
                  re.M)


def memxbar_solve(args, g, v, out, extra):
    """Whole-process time (best of the runs), the --info fields of the run and the fastest in-process
    solve time over the same runs, and the currents (K x M)."""
    cmd = [args.memxbar, "solve", "--conductance", g, "--input", v, "--r-wire", str(R_WIRE),
           "--out", out, "--info"] + extra
    solve_times = []

    def once():
        t, p = run(cmd)
        m = INFO.search(p.stderr)
        if not m:
            raise RuntimeError("no --info line from memxbar: " + p.stderr)
        solve_times.append(float(m.group(4)))
        return t, {"method": m.group(1), "newton": int(m.group(2)), "cg": int(m.group(3))}

    t, info = best_of(once, args.repeats, args.short)
    info["solve_s"] = min(solve_times)
    return t, info, np.loadtxt(out, delimiter=",", ndmin=2)


def ngspice(args, g, v, cir, extra, timeout):
    run([args.memxbar, "netlist", "--conductance", g, "--input", v, "--r-wire", str(R_WIRE),
         "--out", cir] + extra)
    try:
        t, p = best_of(lambda: run(["ngspice", "-b", cir], timeout=timeout), args.repeats, args.short)
    except subprocess.TimeoutExpired:
        return None, None
    cur = {int(j): float(x) for j, x in re.findall(r"^i\(vs(\d+)\)\s*=\s*(\S+)", p.stdout, re.M)}
    return t, np.array([cur[j] for j in range(len(cur))])


# ----------------------------------------------------------------------------------------------- SciPy
def nodal_system(G, r_wire):
    """Nodal matrix of the crossbar of docs/crossbar.md with r_wire > 0 on rows and columns and
    r_source = r_sense = 0. Unknowns: row node (i,j) = i M + j, column node (i,j) = N M + i M + j.
    Row i: source V_i -- r_wire -- (i,0) -- r_wire -- (i,1) ... (i,M-1). Column j: (0,j) -- r_wire --
    (1,j) ... (N-1,j) -- r_wire -- sense node at 0 V. Device (i,j) between row node and column node.
    Returns A (CSC), the input matrix Bin (A x = Bin v) and the column output: I_j = g * x[out_j]."""
    import scipy.sparse as sp
    N, M = G.shape
    nm = N * M
    idx = np.arange(nm).reshape(N, M)
    g_w = 1.0 / r_wire
    a = np.concatenate([idx.ravel(), idx[:, :-1].ravel(), nm + idx[:-1, :].ravel()])
    b = np.concatenate([nm + idx.ravel(), idx[:, 1:].ravel(), nm + idx[1:, :].ravel()])
    g = np.concatenate([G.ravel(), np.full(N * (M - 1), g_w), np.full((N - 1) * M, g_w)])
    n = 2 * nm
    diag = np.bincount(a, g, n) + np.bincount(b, g, n)
    diag[idx[:, 0]] += g_w          # first row segment, to the ideal source
    diag[nm + idx[-1, :]] += g_w    # last column segment, to the virtual ground
    ar = np.arange(n)
    A = sp.coo_matrix((np.concatenate([diag, -g, -g]),
                       (np.concatenate([ar, a, b]), np.concatenate([ar, b, a]))), shape=(n, n)).tocsc()
    Bin = sp.coo_matrix((np.full(N, g_w), (idx[:, 0], np.arange(N))), shape=(n, N)).tocsr()
    return A, Bin, nm + idx[-1, :], g_w


def scipy_factor(A):
    from scipy.sparse.linalg import splu
    return splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                options={"SymmetricMode": True})


def scipy_solve(args, G, V):
    A, Bin, out, g_out = nodal_system(G, R_WIRE)
    rhs = Bin @ V[0]

    def once():
        t0 = time.perf_counter()
        x = scipy_factor(A).solve(rhs)
        return time.perf_counter() - t0, x

    t, x = best_of(once, args.repeats, args.short)
    return t, g_out * x[out]


def rel_diff(a, ref):
    a, ref = np.ravel(a), np.ravel(ref)
    return float(np.max(np.abs(a - ref) / np.abs(ref)))


# -------------------------------------------------------------------------------------------- machine
def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = f"{names[0]}, {len(names)} logical cores" if names else cpu
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {mem}, {platform.system()} {platform.release()}"


def versions(args):
    out = []
    try:
        out.append(subprocess.run([args.memxbar, "--version"], capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    try:
        p = subprocess.run(["ngspice", "-v"], capture_output=True, text=True)
        m = re.search(r"ngspice-\S+", p.stdout + p.stderr)
        out.append(m.group(0) if m else "ngspice ?")
    except OSError:
        out.append("ngspice not found")
    out.append(f"Python {platform.python_version()}, NumPy {np.__version__}")
    if not args.no_scipy:
        import scipy
        out.append(f"SciPy {scipy.__version__} (SuperLU)")
    return ", ".join(out)


# ---------------------------------------------------------------------------------------------- main
def fmt_t(t):
    if t is None:
        return "-"
    return f"{t:.3g}" if t >= 1e-3 else f"{t:.2e}"


def fmt_r(x):
    return "-" if x is None else (f"{x:,.0f}x" if x >= 100 else f"{x:.2g}x" if x < 10 else f"{x:.0f}x")


def fmt_e(x):
    return "-" if x is None else f"{x:.1e}"


def main():
    ap = argparse.ArgumentParser(
        description="Time memxbar solve against ngspice and a SciPy sparse direct solve on random "
                    "N x N crossbars (r_wire 2.5 ohm; linear and sinh devices, b = 3/V) and check that "
                    "the column currents agree. Prints a Markdown table.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--sizes", default="16,32,64,128,256,512,1024",
                    help="array sizes N (N x N), comma-separated (default %(default)s)")
    ap.add_argument("--ngspice-max", type=int, default=64,
                    help="run ngspice on sizes up to this N (default %(default)s; 0: never)")
    ap.add_argument("--with-128", action="store_true",
                    help="run ngspice at 128 x 128 too (same as --ngspice-max 128; several minutes)")
    ap.add_argument("--ngspice-timeout", type=float, default=300.0,
                    help="stop an ngspice run after this many seconds and report a lower bound "
                         "(default %(default)s)")
    ap.add_argument("--scipy-max", type=int, default=1024,
                    help="SciPy solve on sizes up to this N (default %(default)s; 1024 takes ~1 minute "
                         "and ~6 GiB)")
    ap.add_argument("--no-scipy", action="store_true", help="skip SciPy (no python3-scipy needed)")
    ap.add_argument("--no-batch", action="store_true",
                    help=f"skip the {BATCH_K}-vector batch on {BATCH_N} x {BATCH_N}")
    ap.add_argument("--repeats", type=int, default=3,
                    help="best of this many runs for short runs (default %(default)s)")
    ap.add_argument("--short", type=float, default=10.0,
                    help="runs longer than this many seconds are not repeated (default %(default)s)")
    ap.add_argument("--seed", type=int, default=2026, help="random seed (default %(default)s)")
    ap.add_argument("--method", default="auto", choices=("auto", "direct", "iterative"),
                    help="memxbar's --method for the size table (default %(default)s)")
    ap.add_argument("--memxbar", default="build/memxbar", help="the memxbar binary (default %(default)s)")
    ap.add_argument("--out-dir", help="keep the inputs, netlists and outputs here (default: a temporary "
                                      "folder, removed at the end)")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.with_128:
        args.ngspice_max = max(args.ngspice_max, 128)
    if not os.access(args.memxbar, os.X_OK):
        ap.error(f"--memxbar {args.memxbar}: not an executable (build it, or point at it)")
    args.memxbar = os.path.abspath(args.memxbar)
    if not args.no_scipy:
        try:
            import scipy.sparse.linalg  # noqa: F401
        except ImportError:
            ap.error("SciPy is missing: apt-get install python3-scipy (and run /usr/bin/python3), "
                     "or pass --no-scipy")
    if args.ngspice_max > 0 and shutil.which("ngspice") is None:
        ap.error("ngspice is missing: apt-get install ngspice, or pass --ngspice-max 0")

    root = args.out_dir or tempfile.mkdtemp(prefix="memxbar-bench-")
    os.makedirs(root, exist_ok=True)
    rows = []
    try:
        for n in sizes:
            d = os.path.join(root, f"n{n}")
            os.makedirs(d, exist_ok=True)
            g, v, G, V = make_inputs(d, n, args.seed)
            for device in ("linear", "sinh"):
                extra = ["--device", "sinh", "--sinh-b", str(SINH_B)] if device == "sinh" else []
                row = {"n": n, "device": device}
                log(f"{n}x{n} {device}: memxbar ...")
                row["mx_t"], info, I = memxbar_solve(args, g, v, os.path.join(d, f"I_{device}.csv"),
                                                     extra + ["--method", args.method])
                I = I[0]
                row.update(info)
                if n <= args.ngspice_max:
                    log(f"{n}x{n} {device}: ngspice ...")
                    t, Ins = ngspice(args, g, v, os.path.join(d, f"x_{device}.cir"), extra + (["--tight"] if device == "sinh" else []),
                                     args.ngspice_timeout)
                    row["ng_t"], row["ng_timeout"] = t, t is None
                    if Ins is not None:
                        row["ng_diff"] = rel_diff(I, Ins)
                if device == "linear" and not args.no_scipy and n <= args.scipy_max:
                    log(f"{n}x{n} {device}: SciPy ...")
                    row["sp_t"], Isp = scipy_solve(args, G, V)
                    row["sp_diff"] = rel_diff(I, Isp)
                rows.append(row)
        batch = None
        if not args.no_batch:
            batch = run_batch(args, root)
    finally:
        if not args.out_dir:
            shutil.rmtree(root, ignore_errors=True)
    report(args, rows, batch)


def run_batch(args, root):
    d = os.path.join(root, f"batch{BATCH_N}")
    os.makedirs(d, exist_ok=True)
    log(f"batch: {BATCH_K} vectors on {BATCH_N}x{BATCH_N} ...")
    g, v, G, V = make_inputs(d, BATCH_N, args.seed, BATCH_K)
    out = {}
    out["t"], info, I = memxbar_solve(args, g, v, os.path.join(d, "I.csv"), ["--method", args.method])
    out["solve_s"], out["method"] = info["solve_s"], info["method"]
    # the same array, one vector, direct solver: analysis + factorization + one solve
    g1, v1 = os.path.join(d, "G.csv"), os.path.join(d, "V1.csv")
    np.savetxt(v1, V[0], fmt="%.17g")
    _, info1, I1 = memxbar_solve(args, g1, v1, os.path.join(d, "I1.csv"), ["--method", "direct"])
    out["factor_s"] = info1["solve_s"]
    out["single_diff"] = rel_diff(I[0], I1[0])
    if not args.no_scipy:
        A, Bin, o, g_out = nodal_system(G, R_WIRE)
        pick = list(range(5)) + list(range(BATCH_K - 5, BATCH_K))
        X = scipy_factor(A).solve(np.asarray((Bin @ V[pick].T)))
        out["sp_diff"] = rel_diff(I[pick], (g_out * X[o]).T)
    return out


def report(args, rows, batch):
    print(f"\nMachine: {machine()}")
    print(f"Software: {versions(args)}")
    print(f"Date: {time.strftime('%Y-%m-%d')}\n")
    print("| N x N | device | memxbar process (s) | memxbar solve (s) | method | ngspice (s) | "
          "ngspice / memxbar | max rel diff vs ngspice | SciPy factor+solve (s) | SciPy / memxbar process "
          "| SciPy / memxbar solve | max rel diff vs SciPy |")
    print("|" + "---|" * 12)
    for r in rows:
        ng = r.get("ng_t")
        ng_s = f"> {args.ngspice_timeout:g} (stopped)" if r.get("ng_timeout") else fmt_t(ng)
        ratio = fmt_r(ng / r["mx_t"]) if ng else (
            "> " + fmt_r(args.ngspice_timeout / r["mx_t"]) if r.get("ng_timeout") else "-")
        sp = r.get("sp_t")
        method = r["method"] + (f", {r['newton']} Newton" if r["device"] == "sinh" else "")
        print(f"| {r['n']} | {r['device']} | {fmt_t(r['mx_t'])} | {fmt_t(r['solve_s'])} | {method} | {ng_s} | "
              f"{ratio} | {fmt_e(r.get('ng_diff'))} | {fmt_t(sp)} | "
              f"{fmt_r(sp / r['mx_t']) if sp else '-'} | {fmt_r(sp / r['solve_s']) if sp else '-'} | "
              f"{fmt_e(r.get('sp_diff'))} |")
    if batch:
        after = batch["solve_s"] - batch["factor_s"]
        print(f"\nBatch, {BATCH_K} input vectors on {BATCH_N} x {BATCH_N} (linear, r_wire {R_WIRE} ohm): "
              f"whole process {batch['t']:.3g} s; solve ({batch['method']}, from --info) "
              f"{batch['solve_s']:.3g} s; one vector with --method direct (analysis + factorization + "
              f"one solve) {batch['factor_s']:.3g} s, so about {after:.3g} s for the batch after "
              f"factorization. Max rel diff: vector 0 vs the single-vector solve "
              f"{batch['single_diff']:.1e}" +
              (f", 10 vectors vs SciPy {batch['sp_diff']:.1e}." if "sp_diff" in batch else "."))
    print("\nTimes are wall clock, best of up to {} runs (runs over {:g} s once); memxbar and ngspice "
          "as whole processes, SciPy factor + solve only.".format(args.repeats, args.short))
    print("\nReproduce: /usr/bin/python3 bench/bench_crossbar.py " + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()

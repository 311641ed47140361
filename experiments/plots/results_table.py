"""Reading a memxbar results folder: metadata.json and the tidy CSV (one row per point and repetition),
with cells typed (numbers as float, true/false as bool, empty cells as None)."""
import csv
import json
import math
import os


def cell(text):
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


def load(folder):
    meta_path = os.path.join(folder, "metadata.json")
    if not os.path.exists(meta_path):
        raise SystemExit(f"memxbar plot: {folder} has no metadata.json (is it a finished `memxbar run` folder?)")
    with open(meta_path) as f:
        meta = json.load(f)
    csv_path = os.path.join(folder, meta["csv"])
    with open(csv_path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for n, r in enumerate(reader, start=2):
            if len(r) != len(header):
                raise SystemExit(f"memxbar plot: {csv_path}:{n}: expected {len(header)} cells, got {len(r)}")
            rows.append({h: cell(v) for h, v in zip(header, r)})
    return meta, header, rows


def unit_of(meta, column):
    for c in meta.get("columns", []) + meta.get("parameters", []):
        if c["name"] == column:
            return c["unit"]
    return ""


def label(meta, column):
    u = unit_of(meta, column)
    name = column.replace("_", " ")
    return f"{name} ({u})" if u else name


def mean_std(values):
    v = [x for x in values if x is not None]
    if not v:
        return math.nan, math.nan
    m = sum(v) / len(v)
    s = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
    return m, s


def groups(rows, keys):
    """Rows grouped by the values of `keys`, in order of first appearance."""
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out

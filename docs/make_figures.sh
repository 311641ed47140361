#!/usr/bin/env bash
# Regenerates docs/figures from the gallery configs (docs/gallery.md): the default experiment's per-card
# figures as <card>_iv.png (traces, drift) or <card>_pulse.png (pulse responses) plus gallery.png, and
# one figure per config in experiments/configs/ listed below.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MEMXBAR:-./build/memxbar}
out=build/docs_gallery
mkdir -p docs/figures
"$bin" run --out "$out/default"
python3 - "$out/default" <<'PY'
import csv, shutil, sys, os
folder = sys.argv[1]
seen = {}
with open(os.path.join(folder, "default.csv"), newline="") as f:
    for r in csv.DictReader(f):
        seen.setdefault(r["card"], r["mode"])
for card, mode in seen.items():
    suffix = "pulse" if mode == "pulses" else "iv"
    shutil.copy(os.path.join(folder, "figures", card + ".png"), f"docs/figures/{card}_{suffix}.png")
shutil.copy(os.path.join(folder, "default.png"), "docs/figures/gallery.png")
PY
for name in ${GALLERY_CONFIGS:-crossbar_ir_drop mvm_error_vs_variability}; do
  "$bin" run "experiments/configs/$name.toml" --out "$out/$name"
  cp "$out/$name/$name.png" "docs/figures/$name.png"
done
echo "docs/figures updated"

#!/usr/bin/env bash
# Regenerates docs/figures from the default experiment (memxbar run): each card's figure is copied as
# <card>_iv.png (traces), <card>_pulse.png (pulse responses) or <card>_iv.png (drift), plus gallery.png.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/docs_gallery
./build/memxbar run --out "$out"
mkdir -p docs/figures
for csv in "$out"/*.csv; do
  card=$(basename "$csv" .csv)
  case "$(head -c 5 "$csv")" in
    pulse) suffix=pulse ;;
    *) suffix=iv ;;
  esac
  cp "$out/$card.png" "docs/figures/${card}_${suffix}.png"
done
cp "$out/gallery.png" docs/figures/gallery.png
cp "$out/commands.txt" docs/figures/commands.txt
echo "docs/figures updated"

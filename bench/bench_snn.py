#!/usr/bin/env python3
"""Diehl & Cook network speed: memxbar (bench_snn) against Brian2 measured in the same run.

Usage:
  python3 bench/bench_snn.py --bench build/bench/bench_snn \
      --brian2 ../shared/tools/brian2_stdp_bench.py [--N 400] [--images 100] [--device-images 100]

Brian2 runs in cpp_standalone mode (compilation excluded, as it reports it separately) with the
interpreter given by --python (default /usr/bin/python3, where Debian's python3-brian lives). Without
--brian2 only memxbar is measured. Prints the JSON lines of both and a summary table.
"""
import argparse
import json
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument('--bench', required=True, help='path to the bench_snn executable')
ap.add_argument('--brian2', help='path to brian2_stdp_bench.py (not shipped with memxbar)')
ap.add_argument('--python', default='/usr/bin/python3')
ap.add_argument('--N', type=int, default=400)
ap.add_argument('--images', type=int, default=100)
ap.add_argument('--device-images', type=int, default=100)
ap.add_argument('--card', default='neurosim_agsi')
args = ap.parse_args()

rows = []
out = subprocess.run([args.bench, str(args.N), str(args.images), str(args.device_images), args.card],
                     check=True, capture_output=True, text=True).stdout
for line in out.splitlines():
    print(line)
    r = json.loads(line)
    rows.append(('memxbar: ' + r['config'], r['s_per_image'], r['images']))

if args.brian2:
    for extra, name in (([], 'Brian2 cpp_standalone, triplet STDP'),
                        (['--no-stdp'], 'Brian2 cpp_standalone, no STDP')):
        cmd = [args.python, args.brian2, '--mode', 'cpp_standalone', '--N', str(args.N),
               '--examples', str(args.images)] + extra
        line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        print(line)
        r = json.loads(line)
        rows.append((name, r['wall_per_example_s'], r['examples']))

print()
print('| configuration (N = %d, dt = 0.5 ms) | images | s per image |' % args.N)
print('|---|---|---|')
for name, s, n in rows:
    print('| %s | %d | %.4f |' % (name, n, s))
if args.brian2:
    ours = rows[0][1]
    b2 = [s for name, s, _ in rows if name.startswith('Brian2') and 'no STDP' not in name][0]
    print('\nBrian2 standalone / memxbar ideal STDP: %.1fx' % (b2 / ours))
sys.stdout.flush()

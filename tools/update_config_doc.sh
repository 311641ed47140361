#!/usr/bin/env bash
# Refreshes the job reference in docs/config.md from `memxbar run --list-jobs` (run after adding a job).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MEMXBAR:-build/memxbar}
jobs=$("$bin" run --list-jobs)
python3 - "$jobs" <<'PY'
import re, sys
path = "docs/config.md"
text = open(path).read()
new = "<!-- jobs:begin -->\n" + sys.argv[1].rstrip() + "\n<!-- jobs:end -->"
text = re.sub(r"<!-- jobs:begin -->.*<!-- jobs:end -->", lambda m: new, text, flags=re.S)
open(path, "w").write(text)
PY
echo "docs/config.md: job reference updated"

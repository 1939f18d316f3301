#!/usr/bin/env bash
# Set up, then run the test suite; when ../shared is beside the checkout, also score the dev
# corpus with the referee and fail under the pinned floor (scripts/eval_floor.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
if [ -f ../shared/eval/score.py ] && [ -d ../shared/corpus/dev/docs ]; then
  out=$(mktemp -d)
  .venv/bin/planscope extract ../shared/corpus/dev/docs/* --out "$out" 2>/dev/null
  python3 ../shared/eval/score.py --gold ../shared/corpus/dev/gold --pred "$out" --json "$out/score.json" | tail -4
  floor=$(cat scripts/eval_floor.txt)
  python3 - "$out/score.json" "$floor" <<'PY'
import json, sys
f1 = json.load(open(sys.argv[1]))["overall"]["f1"]
floor = float(sys.argv[2])
print(f"dev corpus record F1 {f1:.4f} (floor {floor:.4f})")
sys.exit(0 if f1 >= floor else 1)
PY
fi
if [ -d ../shared/corpus/robustness ]; then
  # Every real-world file must end with a recorded status: no traceback, hang or memory blow-up.
  .venv/bin/python bench/robustness.py ../shared/corpus/robustness/pdf ../shared/corpus/robustness/html \
    --timeout 120 | tail -1
fi

#!/usr/bin/env bash
# Set up, then run the test suite; when ../shared is beside the checkout, also score the dev
# corpus with the referee and fail under the pinned floor (scripts/eval_floor.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
# The evaluation gate: each corpus beside the checkout is scored by the referee and must stay at or
# above its floors (scripts/eval_floor*.txt, raised as scores rise, never lowered).
gate() {  # gate NAME DOCS GOLD FLOORS
  local name=$1 docs=$2 gold=$3 floors=$4 out
  out=$(mktemp -d)
  .venv/bin/planscope extract "$docs"/* --out "$out" >/dev/null 2>&1 || true
  python3 ../shared/eval/score.py --gold "$gold" --pred "$out" --json "$out/score.json" | tail -4
  python3 - "$out/score.json" "$floors" "$name" <<'PY'
import json, sys
score = json.load(open(sys.argv[1]))
score["f1"] = score["overall"]["f1"]
low = []
for line in open(sys.argv[2]):
    if line.strip() and not line.startswith("#"):
        name, floor = line.split()
        if score[name] < float(floor):
            low.append(f"{name} {score[name]:.4f} < floor {float(floor):.4f}")
print(f"{sys.argv[3]} corpus gate: record F1 {score['f1']:.4f}, " + ("; ".join(low) if low else "every figure at or above its floor"))
sys.exit(1 if low else 0)
PY
}
if [ -f ../shared/eval/score.py ] && [ -d ../shared/corpus/dev/docs ]; then
  gate dev ../shared/corpus/dev/docs ../shared/corpus/dev/gold scripts/eval_floor.txt
fi
if [ -f ../shared/eval/score.py ] && [ -d ../shared/corpus/real/docs ]; then
  gate real ../shared/corpus/real/docs ../shared/corpus/real/gold scripts/eval_floor_real.txt
fi
if [ -d ../shared/corpus/robustness ]; then
  # Every real-world file must end with a recorded status: no traceback, hang or memory blow-up.
  .venv/bin/python bench/robustness.py ../shared/corpus/robustness/pdf ../shared/corpus/robustness/html \
    --timeout 120 | tail -1
fi

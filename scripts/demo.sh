#!/usr/bin/env bash
# Set up, then run the main job on the bundled sample corpus into SQLite (data/curated/planscope.db).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/planscope run "$@"
.venv/bin/planscope stats

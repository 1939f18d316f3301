#!/usr/bin/env bash
# Install everything planscope needs on a fresh Debian/Ubuntu machine: OCR packages (apt, when
# missing and possible), a virtualenv in .venv, and the pinned Python packages. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing tesseract-ocr + French (apt)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null) \
      || echo "setup: could not install tesseract; scanned PDFs will be recorded as needs_ocr" >&2
  else
    echo "setup: tesseract-ocr + tesseract-ocr-fra missing (install them for OCR); scanned PDFs will be needs_ocr" >&2
  fi
fi

# The report's test renders it in a real headless Chromium (Debian's build: nothing is downloaded at
# run time); without it that test fails and says so.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing chromium + chromium-driver (apt)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
      || echo "setup: could not install chromium; tests/test_report.py will fail" >&2
  else
    echo "setup: chromium + chromium-driver missing (the report's browser test needs them)" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# pip's build chatter goes to a log, shown only when the install fails.
log=$(mktemp)
if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip>=24" &&
       # constraints.txt pins every transitive package to a set known to install together.
       .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup: pip install failed (log above)" >&2
  exit 1
fi
rm -f "$log"
echo "setup: ready (.venv/bin/planscope)" >&2

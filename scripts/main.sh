#!/usr/bin/env bash
# The main job: installs system packages if missing, builds in release mode, then runs
# `similarity demo`: trains the reference conv model with the multi-similarity loss on
# Fashion-MNIST, indexes, calibrates and evaluates it, and writes the saved model and a
# self-contained HTML report to runs/demo-fashion-mnist (a few minutes on 2 cores). When
# Chromium is installed, the report is screenshotted and checked (scripts/check-report.sh).
#   scripts/main.sh [similarity demo options…]     e.g. --epochs 5 --steps 500
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build -c release --product similarity
BIN=.build/release/similarity
OUT=runs/demo-fashion-mnist
"$BIN" demo --out "$OUT" "$@"
if command -v chromium >/dev/null 2>&1; then
  bash scripts/check-report.sh "$OUT/report.html" "$OUT/report.png"
else
  echo "note: chromium is not installed; open $OUT/report.html in a browser" \
    "(apt-get install -y chromium to have it checked automatically)"
fi

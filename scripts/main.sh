#!/usr/bin/env bash
# The main job: installs system packages if missing, builds in release mode, then trains the
# Keras-style siamese network with contrastive loss on Fashion-MNIST, evaluates it on the test
# pairs, saves it under runs/siamese-fashion-mnist and re-scores the saved model.
#   scripts/main.sh [EPOCHS]     (default 10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EPOCHS="${1:-10}"
bash scripts/setup.sh
swift build -c release --product similarity
BIN=.build/release/similarity
OUT=runs/siamese-fashion-mnist
"$BIN" siamese --dataset fashion-mnist --epochs "$EPOCHS" --seed 1 --out "$OUT"
echo "Re-scoring the saved model in $OUT:"
"$BIN" siamese --evaluate "$OUT"

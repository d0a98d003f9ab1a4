#!/usr/bin/env bash
# TensorFlow Similarity's supervised hello world (MNIST), ours and TF Similarity's, in one run.
#
#   scripts/bench-hello-world.sh [EPOCHS] [STEPS]      (default 10 1000, the 0.17 notebook)
#   SEEDS=7,1,2 scripts/bench-hello-world.sh           (each seed: ours, then TF Similarity; then
#                                                        one table per seed, one of the means and
#                                                        the paired differences)
#   scripts/hello-world-summary.py LOG_DIR 7,1,2        (the tables again from existing logs)
#
# Runs `similarity hello-world` (release build) and then /work/shared/peers/tfsim_hello.py with
# the 0.17 notebook settings (--no-dense64 --lr 5e-6), the same epochs, steps, classes, batch
# (6 classes x 10 examples), seed and evaluation protocol; prints both sets of figures with
# ratios. The peer runs with --no-val: its per-epoch validation pass does not change the weights
# and is excluded from its epoch time anyway. Logs go to $LOG_DIR (default /tmp/bench-hello-world).
# MNIST comes from $MNIST_DIR, by default the peers' copy ../shared/datasets/mnist next to the
# checkout (the library itself only looks in $MNIST_DIR and its download cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export MNIST_DIR="${MNIST_DIR:-$(cd .. && pwd)/shared/datasets/mnist}"
EPOCHS=${1:-10}
STEPS=${2:-1000}
LOG_DIR=${LOG_DIR:-/tmp/bench-hello-world}
SEEDS=${SEEDS:-7}
PEER_PYTHON=${PEER_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}
mkdir -p "$LOG_DIR"

swift build -c release --product similarity >/dev/null
for SEED in ${SEEDS//,/ }; do
  echo "== ours: similarity hello-world --epochs $EPOCHS --steps $STEPS --seed $SEED"
  .build/release/similarity hello-world --epochs "$EPOCHS" --steps "$STEPS" --seed "$SEED" \
    2>"$LOG_DIR/ours-$SEED.err" | tee "$LOG_DIR/ours-$SEED.out" | grep -E '^(FIT|RESULT|RETRIEVAL|KNN|MATCH_A|CUTPOINT)'

  echo "== TF Similarity: tfsim_hello.py --no-dense64 --lr 5e-6 --epochs $EPOCHS --steps $STEPS --no-val --seed $SEED"
  TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=3 "$PEER_PYTHON" /work/shared/peers/tfsim_hello.py \
    --no-dense64 --lr 5e-6 --epochs "$EPOCHS" --steps "$STEPS" --no-val --seed "$SEED" \
    >"$LOG_DIR/tfsim-$SEED.out" 2>"$LOG_DIR/tfsim-$SEED.err"
  grep -E '^(FIT|RETRIEVAL recall@1|KNN|MATCH_A|CUTPOINT optimal|CLASSIFY cutpoint=optimal)' "$LOG_DIR/tfsim-$SEED.out"
done

python3 scripts/hello-world-summary.py "$LOG_DIR" "$SEEDS"

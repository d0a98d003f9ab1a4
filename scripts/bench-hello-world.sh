#!/usr/bin/env bash
# TensorFlow Similarity's supervised hello world (MNIST), ours and TF Similarity's, in one run.
#
#   scripts/bench-hello-world.sh [EPOCHS] [STEPS]      (default 10 1000, the 0.17 notebook)
#
# Runs `similarity hello-world` (release build) and then /work/shared/peers/tfsim_hello.py with
# the 0.17 notebook settings (--no-dense64 --lr 5e-6), the same epochs, steps, classes, batch
# (6 classes x 10 examples), seed and evaluation protocol; prints both sets of figures with
# ratios. The peer runs with --no-val: its per-epoch validation pass does not change the weights
# and is excluded from its epoch time anyway. Logs go to $LOG_DIR (default /tmp/bench-hello-world).
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-10}
STEPS=${2:-1000}
LOG_DIR=${LOG_DIR:-/tmp/bench-hello-world}
PEER_PYTHON=${PEER_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}
mkdir -p "$LOG_DIR"

swift build -c release --product similarity >/dev/null
echo "== ours: similarity hello-world --epochs $EPOCHS --steps $STEPS"
.build/release/similarity hello-world --epochs "$EPOCHS" --steps "$STEPS" \
  2>"$LOG_DIR/ours.err" | tee "$LOG_DIR/ours.out" | grep -E '^(FIT|RESULT|RETRIEVAL|KNN|MATCH_A|CUTPOINT)'

echo "== TF Similarity: tfsim_hello.py --no-dense64 --lr 5e-6 --epochs $EPOCHS --steps $STEPS --no-val"
TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=3 "$PEER_PYTHON" /work/shared/peers/tfsim_hello.py \
  --no-dense64 --lr 5e-6 --epochs "$EPOCHS" --steps "$STEPS" --no-val \
  >"$LOG_DIR/tfsim.out" 2>"$LOG_DIR/tfsim.err"
grep -E '^(FIT|RETRIEVAL recall@1|KNN|MATCH_A|CUTPOINT optimal|CLASSIFY cutpoint=optimal)' "$LOG_DIR/tfsim.out"

python3 - "$LOG_DIR/ours.out" "$LOG_DIR/tfsim.out" <<'PY'
import re, sys
ours = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        _, key, value = line.split()
        ours[key] = float(value)
peer, text = {}, open(sys.argv[2]).read()
peer["epoch_seconds"] = float(re.search(r"train-only epoch wall: median ([\d.]+) s", text).group(1))
fit = re.search(r"FIT total wall [\d.]+ s cpu ([\d.]+) s; epochs (\d+)", text)
peer["epoch_cpu_seconds"] = float(fit.group(1)) / int(fit.group(2))
peer["recall@1"] = float(re.search(r"RETRIEVAL recall@1 = ([\d.]+)", text).group(1))
# The last optimal cutpoint and classification are protocol B's.
peer["calibrated_f1"] = float(re.findall(r"CUTPOINT optimal: .*?value=([\d.]+)", text)[-1])
peer["classify_f1"] = float(re.findall(r"CLASSIFY cutpoint=optimal: .*?f1=([\d.]+)", text)[-1])
knn = re.search(r"KNN top-1 accuracy all ([\d.]+)\s+seen ([\d.]+)\s+unseen ([\d.]+)", text)
peer["top1_all"], peer["top1_seen"], peer["top1_unseen"] = map(float, knn.groups())
match = re.search(r"seen-classes ([\d.]+)\s+unseen-classes ([\d.]+)", text)
peer["match_accuracy_seen_A"], peer["match_accuracy_unseen_A"] = map(float, match.groups())
rows = [("epoch time, s (train only, median)", "epoch_seconds"),
        ("CPU s per epoch (all threads)", "epoch_cpu_seconds"),
        ("recall@1 (B: index test 200/class)", "recall@1"),
        ("calibrated F1, optimal cutpoint (B)", "calibrated_f1"),
        ("F1 of queries at that cutpoint (B)", "classify_f1"),
        ("top-1 accuracy, all classes (B)", "top1_all"),
        ("top-1 accuracy, seen classes (B)", "top1_seen"),
        ("top-1 accuracy, unseen classes (B)", "top1_unseen"),
        ("match accuracy, seen classes (A)", "match_accuracy_seen_A"),
        ("match accuracy, unseen classes (A)", "match_accuracy_unseen_A")]
print(f"\n| {'figure':38} | {'ours':>8} | {'TF Sim':>8} | {'ours / TF':>9} |")
print(f"|{'-'*40}|{'-'*10}|{'-'*10}|{'-'*11}|")
for name, key in rows:
    a, b = ours.get(key, float("nan")), peer.get(key, float("nan"))
    print(f"| {name:38} | {a:8.4f} | {b:8.4f} | {a / b if b else float('nan'):9.3f} |")
PY

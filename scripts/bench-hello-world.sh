#!/usr/bin/env bash
# TensorFlow Similarity's supervised hello world (MNIST), ours and TF Similarity's, in one run.
#
#   scripts/bench-hello-world.sh [EPOCHS] [STEPS]      (default 10 1000, the 0.17 notebook)
#   SEEDS=7,1,2 scripts/bench-hello-world.sh           (each seed: ours, then TF Similarity; then
#                                                        one table per seed and one of the means)
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

python3 - "$LOG_DIR" "$SEEDS" <<'PY'
import re, sys
log_dir, seeds = sys.argv[1], sys.argv[2].split(",")

def ours_figures(path):
    ours = {}
    for line in open(path):
        if line.startswith("RESULT "):
            _, key, value = line.split()
            ours[key] = float(value)
    return ours

def peer_figures(path):
    peer, text = {}, open(path).read()
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
    return peer

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

def table(title, ours, peer):
    print(f"\n{title}")
    print(f"| {'figure':38} | {'ours':>8} | {'TF Sim':>8} | {'ours / TF':>9} |")
    print(f"|{'-'*40}|{'-'*10}|{'-'*10}|{'-'*11}|")
    for name, key in rows:
        a, b = ours.get(key, float("nan")), peer.get(key, float("nan"))
        print(f"| {name:38} | {a:8.4f} | {b:8.4f} | {a / b if b else float('nan'):9.3f} |")

pairs = [(ours_figures(f"{log_dir}/ours-{s}.out"), peer_figures(f"{log_dir}/tfsim-{s}.out")) for s in seeds]
for seed, (ours, peer) in zip(seeds, pairs):
    table(f"seed {seed}", ours, peer)
if len(pairs) > 1:
    mean = lambda side: {key: sum(p[side].get(key, float("nan")) for p in pairs) / len(pairs) for _, key in rows}
    table(f"mean of {len(pairs)} seeds ({', '.join(seeds)})", mean(0), mean(1))
PY

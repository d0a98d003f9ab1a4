#!/usr/bin/env bash
# Siamese MNIST benchmark: our `similarity siamese` against the Keras example on TensorFlow
# (tf_keras), alternately on the same machine, then the ratio of median epoch times, tower
# inference throughput and peak memory.
#
#   scripts/bench-siamese.sh [--busy] [ROUNDS] [EPOCHS]   (default 1 round of 20 epochs each)
#
# --busy: every round runs twice, first quiet, then with a competing busy loop pinned to the
# last core (`taskset -c LAST sh -c 'while :; do :; done'`) for the whole of ours AND
# TensorFlow's run (started before each, killed after it), so the summary prints the quiet
# and the busy figures side by side: what a user sees when another process takes a core.
#
# Environment: VENV (peer venv, default ~/.cache/similarity-peers/venv, made by
# ../shared/peers/setup.sh), SEEDS (default "1 2 3": our seeds, one per round, cycling),
# BLAS=fast to unset OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for both sides (the machine exports
# OPENBLAS_CORETYPE=Haswell, which halves OpenBLAS speed; TensorFlow uses oneDNN either way),
# MNIST_DIR (default ../shared/datasets/mnist next to the checkout, the peers' copy; the
# library itself only looks in $MNIST_DIR and its download cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export MNIST_DIR="${MNIST_DIR:-$(cd .. && pwd)/shared/datasets/mnist}"
BUSY=0
POSITIONAL=()
for arg in "$@"; do
  case "$arg" in
    --busy) BUSY=1 ;;
    -*) echo "unknown option $arg (usage: $0 [--busy] [ROUNDS] [EPOCHS])" >&2; exit 2 ;;
    *) POSITIONAL+=("$arg") ;;
  esac
done
ROUNDS="${POSITIONAL[0]:-1}"
EPOCHS="${POSITIONAL[1]:-20}"
VENV="${VENV:-$HOME/.cache/similarity-peers/venv}"
PEERS="$(cd .. && pwd)/shared/peers"
read -r -a SEEDS <<< "${SEEDS:-1 2 3}"
OUT="${OUT:-results/bench-siamese}"
mkdir -p "$OUT"

ENVCMD=(env)
if [ "${BLAS:-}" = fast ]; then ENVCMD=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); fi

bash scripts/setup.sh
swift build -c release --product similarity >/dev/null
BIN=.build/release/similarity
[ -x "$VENV/bin/python" ] || { echo "no peer venv at $VENV: run ../shared/peers/setup.sh" >&2; exit 1; }

# The competing busy loop (--busy): one spinning shell pinned to the last core, started before
# a run and killed (by its process id) right after it.
SPINNER=""
LAST_CORE=$(($(nproc) - 1))
start_busy() {
  taskset -c "$LAST_CORE" sh -c 'while :; do :; done' &
  SPINNER=$!
}
stop_busy() {
  if [ -n "$SPINNER" ]; then
    kill "$SPINNER" 2>/dev/null || true
    wait "$SPINNER" 2>/dev/null || true
    SPINNER=""
  fi
}
trap stop_busy EXIT

# run_pair ROUND SUFFIX: ours, then TensorFlow, into $OUT/ours-ROUND$SUFFIX.* and
# $OUT/tf-ROUND$SUFFIX.*; with SUFFIX "-busy" each of the two runs has the busy loop beside it.
run_pair() {
  local r="$1" suffix="$2" label="quiet"
  local seed="${SEEDS[$((r % ${#SEEDS[@]}))]}"
  if [ -n "$suffix" ]; then label="busy loop on core $LAST_CORE"; fi
  echo "== round $((r + 1)), $label: ours (seed $seed)"
  if [ -n "$suffix" ]; then start_busy; fi
  "${ENVCMD[@]}" /usr/bin/time -v "$BIN" siamese --epochs "$EPOCHS" --seed "$seed" --json \
    > "$OUT/ours-$r$suffix.json" 2> "$OUT/ours-$r$suffix.time"
  stop_busy
  echo "== round $((r + 1)), $label: TensorFlow (tf_keras)"
  if [ -n "$suffix" ]; then start_busy; fi
  "${ENVCMD[@]}" TF_CPP_MIN_LOG_LEVEL=3 TF_USE_LEGACY_KERAS=1 /usr/bin/time -v \
    "$VENV/bin/python" "$PEERS/keras_siamese_mlp.py" --epochs "$EPOCHS" --keras tf_keras \
    > "$OUT/tf-$r$suffix.txt" 2> "$OUT/tf-$r$suffix.time"
  stop_busy
}

echo "machine: $(nproc) cores, $(uptime)"
echo "env: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} BLAS=${BLAS:-default} busy=$BUSY"
for ((r = 0; r < ROUNDS; r++)); do
  run_pair "$r" ""
  if [ "$BUSY" = 1 ]; then run_pair "$r" "-busy"; fi
done

MODES=("")
if [ "$BUSY" = 1 ]; then MODES+=("-busy"); fi
for suffix in "${MODES[@]}"; do
python3 - "$OUT" "$ROUNDS" "$suffix" <<'PY'
import json, re, statistics, sys
out, rounds, suffix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mode = "busy loop on one core" if suffix else "quiet"
print(f"\n### {mode}")
def peak(path):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
    return int(m.group(1)) / 1024 if m else float("nan")
ours, tf = [], []
for r in range(rounds):
    j = json.load(open(f"{out}/ours-{r}{suffix}.json"))
    secs = sorted(e["seconds"] for e in j["history"]["epochs"])
    ours.append(dict(median=secs[len(secs) // 2], test=j["testAccuracy"], train=j["trainAccuracy"],
                     emb=j.get("embeddingsPerSecond") or float("nan"), mem=peak(f"{out}/ours-{r}{suffix}.time"),
                     kernel=j.get("blasKernel", "?")))
    t = open(f"{out}/tf-{r}{suffix}.txt").read()
    walls = [float(x) for x in re.findall(r"EPOCH\s+\d+\s+wall\s+([\d.]+)", t)]
    acc = re.search(r"ACCURACY train pairs ([\d.]+)%\s+test pairs ([\d.]+)%", t)
    emb = re.search(r"INFER tower.predict batch  1024: .*?-> ([\d,]+) emb/s", t)
    emb1 = re.search(r"INFER tf.function single batch .*?-> ([\d,]+) emb/s", t)
    tf.append(dict(median=statistics.median(walls), train=float(acc.group(1)) / 100,
                   test=float(acc.group(2)) / 100,
                   emb=float(emb.group(1).replace(",", "")) if emb else float("nan"),
                   emb1=float(emb1.group(1).replace(",", "")) if emb1 else float("nan"),
                   mem=peak(f"{out}/tf-{r}{suffix}.time")))
print()
print("| round | ours s/epoch | TF s/epoch | ratio | ours test / train acc | TF test / train acc | ours emb/s | TF emb/s (predict 1024 / tf.function) | ours peak MiB | TF peak MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r, (o, t) in enumerate(zip(ours, tf)):
    print(f"| {r + 1} | {o['median']:.3f} | {t['median']:.3f} | {o['median'] / t['median']:.2f} | "
          f"{100 * o['test']:.2f}% / {100 * o['train']:.2f}% | {100 * t['test']:.2f}% / {100 * t['train']:.2f}% | "
          f"{o['emb']:,.0f} | {t['emb']:,.0f} / {t['emb1']:,.0f} | {o['mem']:.0f} | {t['mem']:.0f} |")
mo = statistics.median(o["median"] for o in ours)
mt = statistics.median(t["median"] for t in tf)
print(f"\nmedian epoch ({mode}): ours {mo:.3f} s, TF {mt:.3f} s, ratio {mo / mt:.2f} (goal <= 0.5)")
print(f"mean test pair accuracy: ours {100 * statistics.mean(o['test'] for o in ours):.2f}% "
      f"over {rounds} seed(s), TF {100 * statistics.mean(t['test'] for t in tf):.2f}%")
eo = statistics.median(o["emb"] for o in ours); et = statistics.median(t["emb1"] for t in tf)
print(f"tower inference: ours {eo:,.0f} emb/s, TF tf.function {et:,.0f} emb/s, ratio {eo / et:.2f} (goal >= 1.5)")
print(f"BLAS kernel (ours): {ours[0]['kernel']}")
PY
done

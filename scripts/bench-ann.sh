#!/usr/bin/env bash
# ANN benchmark: swift-similarity's `similarity bench ann` and the peers' ann_bench.py (hnswlib,
# faiss) on the same data, machine and settings, one after the other; then a ratio table.
#
#   scripts/bench-ann.sh                      # Fashion-MNIST 60k×784, efSearch 10…160
#   DATASET=random RANDOM_N=1000000 scripts/bench-ann.sh
#
# Environment: DATASET (fashion | random), RANDOM_N, EFS, LIBS (peer libraries), PEERS_PYTHON,
# TRAVERSAL (our HNSW traversal precisions to time, default float32,float16), BUILD_TRAVERSAL
# (the precision our build's candidate searches walk with, default float32), BASIS (the
# coordinates our HNSW graph is walked in: pca, the default for fashion, or original, the
# default for random: isotropic data has no principal axes to exploit and the rotated copy
# would double the vector memory the 1M run measures), SEARCH_BASIS (the coordinates the
# searches are timed in, default original and BASIS),
# PEERS_DIR, OUT,
# SKIP_BUILD=1 (use the existing release binary). For the alternating query-speed comparison
# on saved indexes see scripts/bench-ann-alternate.py.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for both sides (their BLAS kernel is printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DATASET=${DATASET:-fashion}
RANDOM_N=${RANDOM_N:-1000000}
EFS=${EFS:-10,20,40,80,160}
LIBS=${LIBS:-numpy_bf,faiss_flat,hnswlib,faiss_hnsw}
PY=${PEERS_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}
PEERS_DIR=${PEERS_DIR:-/work/shared/peers}
OUT=${OUT:-$(mktemp -d /tmp/bench-ann.XXXXXX)}
mkdir -p "$OUT"

[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product similarity >&2

TRAVERSAL=${TRAVERSAL:-float32,float16}
BUILD_TRAVERSAL=${BUILD_TRAVERSAL:-float32}
if [ "$DATASET" = fashion ]; then BASIS=${BASIS:-pca}; else BASIS=${BASIS:-original}; fi
if [ "$BASIS" = original ]; then DEFAULT_SEARCH_BASIS=original; else DEFAULT_SEARCH_BASIS=original,$BASIS; fi
SEARCH_BASIS=${SEARCH_BASIS:-$DEFAULT_SEARCH_BASIS}
ours=(.build/release/similarity bench ann --efs "$EFS" --threads 1,2 --build-threads 2
  --traversal "$TRAVERSAL" --build-traversal "$BUILD_TRAVERSAL" --basis "$BASIS"
  --search-basis "$SEARCH_BASIS")
case "$DATASET" in
  fashion) ours+=(--dataset fashion-mnist) ;;
  random) ours+=(--dataset random --random-n "$RANDOM_N") ;;
  *) echo "DATASET must be fashion or random" >&2; exit 2 ;;
esac

echo "== swift-similarity: ${ours[*]}"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${ours[@]}" 2>/dev/null | tee "$OUT/swift.txt"

echo "== peers: ann_bench.py"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE TF_CPP_MIN_LOG_LEVEL=3 "$PY" "$PEERS_DIR/ann_bench.py" \
  --datasets "$DATASET" --random-n "$RANDOM_N" --libs "$LIBS" \
  --efs "$EFS" --threads 1,2 --build-threads 2 | tee "$OUT/peers.txt"

python3 - "$OUT/swift.txt" "$OUT/peers.txt" <<'PYEOF'
import re
import sys

rows, builds = {}, {}
for path in sys.argv[1:]:
    for line in open(path):
        if line.startswith("RESULT "):
            kv = dict(re.findall(r"(\w+)=(\S+)", line))
            rows[(kv["lib"], kv["ef"], kv["threads"])] = kv
        m = re.match(r"BUILD (\w+) ([\d.]+) s wall", line)
        if m:
            builds[m.group(1)] = float(m.group(2))

def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"

print("\n== ratios (same machine, same run)")
print(f"{'ours':>18} {'ef':>4} {'thr':>3} | {'swift recall':>12} {'qps':>9} | {'hnswlib recall':>14} {'qps':>9} "
      f"{'ratio':>6} | {'faiss recall':>12} {'qps':>9} {'ratio':>6}")
for (lib, ef, thr), r in sorted(rows.items(), key=lambda x: (x[0][0], int(x[0][1]) if x[0][1].isdigit() else 0, x[0][2])):
    if not lib.startswith("swift_hnsw"):
        continue
    h = rows.get(("hnswlib", ef, thr), {})
    f = rows.get(("faiss_hnsw", ef, thr), {})
    q = float(r["qps"])
    hq = float(h.get("qps", 0))
    fq = float(f.get("qps", 0))
    print(f"{lib:>18} {ef:>4} {thr:>3} | {float(r['recall']):12.4f} {q:9.0f} | {float(h.get('recall', 0)):14.4f} "
          f"{hq:9.0f} {ratio(q, hq):>6} | {float(f.get('recall', 0)):12.4f} {fq:9.0f} {ratio(q, fq):>6}")
for thr in ("1", "2"):
    s = float(rows.get(("swift_exact", "-", thr), {}).get("qps", 0))
    n = float(rows.get(("numpy_bf", "-", thr), {}).get("qps", 0))
    f = float(rows.get(("faiss_flat", "-", thr), {}).get("qps", 0))
    print(f"exact {thr} thread(s): swift {s:.0f} qps, numpy {n:.0f} ({ratio(s, n)}), faiss Flat {f:.0f} ({ratio(s, f)})")
    b = rows.get(("swift_exact_bf16", "-", thr))
    if b:
        bq = float(b["qps"])
        print(f"exact {thr} thread(s), bfloat16 scoring + float32 re-ranking: swift {bq:.0f} qps "
              f"(recall {float(b['recall']):.4f}), {ratio(bq, n)} numpy, {ratio(bq, f)} faiss Flat")
sb = builds.get("swift_hnsw")
for peer in ("hnswlib", "faiss_hnsw"):
    if sb and peer in builds:
        print(f"build (2 threads): swift {sb:.2f} s vs {peer} {builds[peer]:.2f} s = {sb / builds[peer]:.2f}x the time")
PYEOF
echo "(raw output in $OUT)"

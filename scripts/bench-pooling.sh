#!/usr/bin/env bash
# 1-D and 3-D pooling forward and forward+backward: `similarity bench pooling` beside
# TensorFlow (tf.nn.max_pool1d / avg_pool1d / max_pool3d / avg_pool3d under GradientTape, in a
# tf.function returning the output and the input gradient, as a training step needs both) on
# the same shapes, in one run, with throughput ratios ours/TF (> 1: faster).
#
# Usage: scripts/bench-pooling.sh [samples] [rounds]   (defaults 20 and 3)
#   Each round runs ours then TensorFlow; every figure is the minimum over `samples` timings
#   within a round and over the rounds.
#        SIMILARITY_BIN=path/to/similarity scripts/bench-pooling.sh   (skip the build)
#        SIMILARITY_ISA=avx2 scripts/bench-pooling.sh                  (one variant)
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLES="${1:-20}"
ROUNDS="${2:-3}"
PYTHON="${PEERS_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}"
if [[ ! -x "$PYTHON" ]]; then
  echo "peers venv not found at $PYTHON (run /work/shared/peers/setup.sh)" >&2
  exit 1
fi

if [[ -n "${SIMILARITY_BIN:-}" ]]; then
  BIN="$SIMILARITY_BIN"
else
  swift build -c release --product similarity >&2
  BIN="$(swift build -c release --show-bin-path)/similarity"
fi

export TF_CPP_MIN_LOG_LEVEL=3
"$PYTHON" - "$BIN" "$SAMPLES" "$ROUNDS" <<'PY'
import os, subprocess, sys, time

binary, samples, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def best(fn):
    fn()
    t = float("inf")
    for _ in range(samples):
        s = time.perf_counter(); fn(); t = min(t, time.perf_counter() - s)
    return t

import numpy as np
import tensorflow as tf

ops = {
    "max_pooling1d_p2": lambda x: tf.nn.max_pool1d(x, 2, 2, "VALID"),
    "average_pooling1d_p2": lambda x: tf.nn.avg_pool1d(x, 2, 2, "VALID"),
    "max_pooling3d_p222": lambda x: tf.nn.max_pool3d(x, 2, 2, "VALID"),
    "average_pooling3d_p222": lambda x: tf.nn.avg_pool3d(x, 2, 2, "VALID"),
}

def tf_functions(op):
    @tf.function(autograph=False)
    def forward(x):
        return op(x)

    @tf.function(autograph=False)
    def forward_backward(x, g):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = op(x)
        # The output too, as a training step needs it (and as ours computes it): returning
        # only the gradient lets grappler prune average pooling's forward pass, whose
        # gradient needs only the input shape.
        return y, tape.gradient(y, x, output_gradients=g)
    return forward, forward_backward

ours, theirs, shapes = {}, {}, {}
header = variants = ""
rng = np.random.default_rng(0)
print(f"# command: {binary} bench pooling --samples {samples}   ({rounds} rounds)")
for _ in range(rounds):
    out = subprocess.run([binary, "bench", "pooling", "--samples", str(samples)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "pooling" and len(parts) == 5:
            name, shape = parts[1], parts[2]
            shapes[name] = [int(v) for v in shape.split("x")]
            fwd, both = float(parts[3][7:]), float(parts[4][10:])
            old = ours.get(name, (float("inf"), float("inf")))
            ours[name] = (min(old[0], fwd), min(old[1], both))
        elif line.startswith("isa="):
            header = line
        elif line.startswith("variants:"):
            variants = line
    for name, shape in shapes.items():
        x = tf.constant(rng.uniform(-1, 1, shape).astype(np.float32))
        forward, forward_backward = tf_functions(ops[name])
        g = tf.constant(rng.uniform(-1, 1, forward(x).shape).astype(np.float32))
        f, b = best(lambda: forward(x)) * 1e3, best(lambda: forward_backward(x, g)) * 1e3
        old = theirs.get(name, (float("inf"), float("inf")))
        theirs[name] = (min(old[0], f), min(old[1], b))

print(header)
print(variants)
print(f"# tensorflow {tf.__version__}, default intra-op threads, {os.cpu_count()} CPUs")
print(f"\n## pooling, valid, strides = pool: ms (best of {samples} x {rounds}); ratio = throughput ours/TF")
print(f"{'case':24} {'shape':16} {'fwd ours':>9} {'fwd TF':>8} {'ratio':>6} {'f+b ours':>9} {'f+b TF':>8} {'ratio':>6}")
for name, (f, b) in ours.items():
    tf_f, tf_b = theirs[name]
    shape = "x".join(map(str, shapes[name]))
    print(f"{name:24} {shape:16} {f:9.3f} {tf_f:8.3f} {tf_f / f:6.2f} {b:9.3f} {tf_b:8.3f} {tf_b / b:6.2f}")
PY

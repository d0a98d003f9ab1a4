#!/usr/bin/env bash
# The convolution layers of issue #15, forward and forward+backward (input and weight
# gradients): `similarity bench conv-layers` side by side with the same tf.keras layers under
# tf.function + GradientTape on the same shapes, in one run, with ms per layer and the
# throughput ratio ours/TF (TF ms / our ms: above 1 means faster than TensorFlow).
#
# Usage: scripts/bench-conv-layers.sh [samples] [rounds]   (defaults 10 and 3)
#   Each round runs ours then TensorFlow; every figure is the minimum over `samples` timings
#   within a round and over the rounds, so each side gets the same chances at a quiet machine.
#        SIMILARITY_BIN=path/to/similarity scripts/bench-conv-layers.sh   (skip the build)
#        ONLY=depthwise scripts/bench-conv-layers.sh                      (some layers)
# Like scripts/bench-kernels.sh, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for both
# sides (KEEP_OPENBLAS_ENV=1 keeps them), and each phase reports the CPU other processes used.
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLES="${1:-10}"
ROUNDS="${2:-3}"
PYTHON="${PEERS_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}"
if [[ ! -x "$PYTHON" ]]; then
  echo "peers venv not found at $PYTHON (run /work/shared/peers/setup.sh)" >&2
  exit 1
fi

if [[ -n "${SIMILARITY_BIN:-}" ]]; then
  BIN="$SIMILARITY_BIN"  # an already built release binary
else
  swift build -c release --product similarity >&2
  BIN="$(swift build -c release --show-bin-path)/similarity"
fi

ENV_CMD=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [[ "${KEEP_OPENBLAS_ENV:-0}" == 1 ]]; then ENV_CMD=(env); fi

export TF_CPP_MIN_LOG_LEVEL=3
"${ENV_CMD[@]}" "$PYTHON" - "$BIN" "$SAMPLES" "$ROUNDS" "${ONLY:-}" "${ENV_CMD[*]}" <<'PY'
import os, resource, subprocess, sys, time

binary, samples, rounds, only, env_cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]

sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
import bench_phase
from bench_phase import Phase, keep_min

def best(fn):
    return bench_phase.best(fn, samples)

import numpy as np
import tensorflow as tf
import tf_keras as keras
from tf_keras.layers import Conv1D, Conv3D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D  # noqa: F401

listing = subprocess.run([binary, "bench", "conv-layers", "--list"], check=True,
                         capture_output=True, text=True).stdout
cases = []
for line in listing.splitlines():
    name, constructor, shape = line.split("\t")
    if only and only not in name:
        continue
    cases.append((name, constructor, tuple(int(v) for v in shape.split(","))))

rng = np.random.default_rng(0)
peers = {}
for name, constructor, shape in cases:
    layer = eval(constructor)
    x = tf.constant(rng.uniform(-1, 1, shape).astype(np.float32))
    y = layer(x)
    g = tf.constant(rng.uniform(-1, 1, y.shape).astype(np.float32))

    def make(layer=layer):
        @tf.function(autograph=False)
        def forward(x):
            return layer(x)

        @tf.function(autograph=False)
        def forward_backward(x, g):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = layer(x)
            return tape.gradient(y, [x] + layer.trainable_weights, output_gradients=g)
        return forward, forward_backward
    forward, forward_backward = make()
    peers[name] = (forward, forward_backward, x, g)

ours, tf_s = {}, {}
header = variants = ""
command = [binary, "bench", "conv-layers", "--samples", str(samples)] + (["--only", only] if only else [])
print(f"# command: {env_cmd} {' '.join(command)}   ({rounds} rounds)")
for round in range(1, rounds + 1):
    with Phase(f"round {round} swift"):
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "layer":
            keep_min(ours, (parts[1], "fwd"), float(parts[3][len("fwd_ms="):]))
            keep_min(ours, (parts[1], "fwdbwd"), float(parts[4][len("fwdbwd_ms="):]))
        elif line.startswith("isa="):
            header = line
        elif line.startswith("variants:"):
            variants = line
    with Phase(f"round {round} tensorflow"):
        for name, (forward, forward_backward, x, g) in peers.items():
            keep_min(tf_s, (name, "fwd"), best(lambda: forward(x)) * 1e3)
            keep_min(tf_s, (name, "fwdbwd"), best(lambda: forward_backward(x, g)) * 1e3)

print(header)
print(variants)
print(f"# tensorflow {tf.__version__} (oneDNN), tf-keras {keras.__version__}, default intra-op threads")
print(f"\n## Convolution layers: ms per batch (best of {samples} samples x {rounds} rounds); ratio = TF ms / our ms")
print(f"{'layer':32} {'input':18} {'fwd ours':>9} {'fwd TF':>8} {'ratio':>6} {'f+b ours':>9} {'f+b TF':>8} {'ratio':>6}")
ratios = []
for name, constructor, shape in cases:
    if (name, "fwd") not in ours:
        continue
    of, ob = ours[(name, "fwd")], ours[(name, "fwdbwd")]
    tf_f, tf_b = tf_s[(name, "fwd")], tf_s[(name, "fwdbwd")]
    ratios.append(tf_b / ob)
    print(f"{name:32} {'x'.join(map(str, shape)):18} {of:9.2f} {tf_f:8.2f} {tf_f / of:6.2f} {ob:9.2f} {tf_b:8.2f} {tf_b / ob:6.2f}")
if ratios:
    print(f"geometric mean throughput ratio ours/TF (fwd+bwd): {np.exp(np.mean(np.log(ratios))):.2f}")
PY

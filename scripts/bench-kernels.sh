#!/usr/bin/env bash
# GEMM and Conv2D forward+backward: `similarity bench kernels` side by side with numpy (GEMM)
# and TensorFlow (tf.nn.conv2d under GradientTape) on the same shapes, in one run, with ratios.
#
# Usage: scripts/bench-kernels.sh [samples] [rounds]   (defaults 15 and 3)
#   Each round runs ours, numpy and TensorFlow one after the other; every figure is the minimum
#   over `samples` timings within a round and over the rounds, so each side gets the same
#   chances at a quiet machine.
#        SIMILARITY_BIN=path/to/similarity scripts/bench-kernels.sh   (skip the build)
#
# OPENBLAS_CORETYPE=Haswell (exported on the project's machines) halves OpenBLAS; this script
# unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for every benchmark command (ours, numpy's and
# TensorFlow's alike) so each library autodetects its kernel; both BLAS kernels are printed.
# Set KEEP_OPENBLAS_ENV=1 to keep the machine's settings instead. Each phase also reports the
# CPU used by other processes while it ran ("foreign CPU"), since the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLES="${1:-15}"
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
"${ENV_CMD[@]}" "$PYTHON" - "$BIN" "$SAMPLES" "$ROUNDS" "${ENV_CMD[*]}" <<'PY'
import os, resource, subprocess, sys, time

binary, samples, rounds, env_cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
import bench_phase
from bench_phase import Phase, keep_min

def best(fn):
    return bench_phase.best(fn, samples)

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
layers = [("conv1", (60, 28, 28, 1), 32), ("conv2", (60, 26, 26, 32), 32),
          ("conv3", (60, 12, 12, 32), 64), ("conv4", (60, 10, 10, 64), 64)]

@tf.function(autograph=False)
def forward(x, w):
    return tf.nn.conv2d(x, w, 1, "VALID")

@tf.function(autograph=False)
def forward_backward(x, w, g):
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = tf.nn.conv2d(x, w, 1, "VALID")
    return tape.gradient(y, [x, w], output_gradients=g)

ours, flops, numpy_s, tf_s = {}, {}, {}, {}
header = ""
variants = ""
print(f"# command: {env_cmd} {binary} bench kernels --samples {samples}   ({rounds} rounds)")
for round in range(1, rounds + 1):
    with Phase(f"round {round} swift"):
        out = subprocess.run([binary, "bench", "kernels", "--samples", str(samples)],
                             check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[3].startswith("ms="):
            ms, gf = float(parts[3][3:]), float(parts[4][7:])
            key = (parts[0], parts[1], parts[2])
            keep_min(ours, key, ms)
            flops[key] = ms * 1e-3 * gf * 1e9
        elif line.startswith("kernel="):
            header = line
        elif line.startswith("variants:"):
            variants = line
    with Phase(f"round {round} numpy"):
        for (section, name, shape) in list(ours):
            if section != "gemm":
                continue
            op, dims = shape.split("_")
            m, k, n = (int(v) for v in dims.split("x"))
            # Same contract as ours: NN x@w, TN xᵀ@g, NT g@wᵀ (numpy hands transposes to BLAS).
            if op == "NN":
                a, b = rng.standard_normal((m, k), np.float32), rng.standard_normal((k, n), np.float32)
                fn = lambda: a @ b
            elif op == "TN":
                a, b = rng.standard_normal((k, m), np.float32), rng.standard_normal((k, n), np.float32)
                fn = lambda: a.T @ b
            else:
                a, b = rng.standard_normal((m, k), np.float32), rng.standard_normal((n, k), np.float32)
                fn = lambda: a @ b.T
            keep_min(numpy_s, (name, shape), best(fn))
    with Phase(f"round {round} tensorflow"):
        for name, shape, cout in layers:
            n, h, wd, cin = shape
            x = tf.constant(rng.standard_normal(shape, np.float32))
            w = tf.constant(rng.standard_normal((3, 3, cin, cout), np.float32))
            g = tf.constant(rng.standard_normal((n, h - 2, wd - 2, cout), np.float32))
            keep_min(tf_s, ("fwd", name), best(lambda: forward(x, w)))
            keep_min(tf_s, ("fwdbwd", name), best(lambda: forward_backward(x, w, g)))

print(header)
print(variants)
try:
    import threadpoolctl
    info = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"][0]
    print(f"# numpy {np.__version__}: {info['internal_api']} {info['version']} "
          f"kernel={info['architecture']} threads={info['num_threads']}")
except Exception:
    print(f"# numpy {np.__version__}")
print(f"# tensorflow {tf.__version__} (oneDNN), default intra-op threads")

print(f"\n## GEMM: swift-similarity vs numpy (GFLOP/s, best of {samples} samples x {rounds} rounds)")
print(f"{'layer':18} {'shape':20} {'ours':>8} {'numpy':>8} {'ratio':>6}")
ratios = []
for (section, name, shape), ms in ours.items():
    if section != "gemm" or (name, shape) not in numpy_s:
        continue
    a = flops[(section, name, shape)] / (ms * 1e-3) / 1e9
    b = flops[(section, name, shape)] / numpy_s[(name, shape)] / 1e9
    ratios.append(a / b)
    print(f"{name:18} {shape:20} {a:8.1f} {b:8.1f} {a / b:6.2f}")
if ratios:
    print(f"geometric mean ratio ours/numpy: {np.exp(np.mean(np.log(ratios))):.2f}")

print(f"\n## Conv2D 3x3 valid, batch 60: swift-similarity vs TensorFlow (GFLOP/s, best of {samples} x {rounds})")
print(f"{'layer':6} {'shape':22} {'fwd ours':>9} {'fwd TF':>8} {'ratio':>6} {'f+b ours':>9} {'f+b TF':>8} {'ratio':>6} {'ms ours':>8} {'ms TF':>8}")
total_ours = total_tf = 0.0
for name, shape, cout in layers:
    key = f"{'x'.join(map(str, shape))}->{cout}"
    fk, bk = ("conv_fwd", name, key), ("conv_fwdbwd", name, key)
    if fk not in ours or bk not in ours:
        continue
    of = flops[fk] / (ours[fk] * 1e-3) / 1e9
    tfw = flops[fk] / tf_s[("fwd", name)] / 1e9
    ob = flops[bk] / (ours[bk] * 1e-3) / 1e9
    tfb = flops[bk] / tf_s[("fwdbwd", name)] / 1e9
    total_ours += ours[bk]
    total_tf += tf_s[("fwdbwd", name)] * 1e3
    print(f"{name:6} {key:22} {of:9.1f} {tfw:8.1f} {of / tfw:6.2f} {ob:9.1f} {tfb:8.1f} {ob / tfb:6.2f} {ours[bk]:8.2f} {tf_s[('fwdbwd', name)] * 1e3:8.2f}")
if total_tf:
    print(f"all four layers fwd+bwd: ours {total_ours:.1f} ms, TF {total_tf:.1f} ms, "
          f"throughput ratio ours/TF {total_tf / total_ours:.2f}")
mlp = [k for k in ours if k[0] == "mlp"]
for k in mlp:
    print(f"\nsiamese tower training step (Tensor API, fwd+bwd, {k[2]}): {ours[k]:.3f} ms")
PY

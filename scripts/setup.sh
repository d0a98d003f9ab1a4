#!/usr/bin/env bash
# Installs the system packages swift-similarity needs, idempotently.
#   libopenblas-dev        CBLAS (GEMM) for the tensor core and exact search
#   zlib1g-dev             gzip decoding of IDX files
#   libpng-dev             PNG reading (images) and writing (reports)
#   dataset-fashion-mnist  Fashion-MNIST in /usr/share/datasets/fashion-mnist
#   libturbojpeg0-dev      JPEG decoding and encoding (libjpeg-turbo's TurboJPEG API)
#   pkg-config             lets SwiftPM find OpenBLAS' headers
# Needs root (or sudo). Does nothing when everything is installed already.
set -euo pipefail
packages=(libopenblas-dev zlib1g-dev libpng-dev pkg-config dataset-fashion-mnist libturbojpeg0-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

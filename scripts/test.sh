#!/usr/bin/env bash
# Runs the whole test suite: installs the system packages if missing, builds, runs `swift test`
# at the best instruction set this CPU runs, then again at every lower level (SIMILARITY_ISA),
# so the AVX2 and portable code paths are exercised on an AVX-512 machine and the portable ones
# on an AVX2 machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
bin="$(swift build --show-bin-path)/similarity"
# "active: avx2  (CPU runs portable, avx2; AVX512_BF16 no)" -> the levels below the best one.
runnable="$(env -u SIMILARITY_ISA "$bin" kernels | sed -n 's/.*CPU runs \([^;]*\);.*/\1/p' | tr -d ' ' | tr ',' ' ')"
levels=($runnable)
for ((i = ${#levels[@]} - 2; i >= 0; i--)); do
  echo "== swift test with SIMILARITY_ISA=${levels[i]} =="
  SIMILARITY_ISA="${levels[i]}" swift test --skip-build
done

#!/usr/bin/env bash
# Runs the whole test suite: installs the system packages if missing, then `swift test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build

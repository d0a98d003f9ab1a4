#!/usr/bin/env bash
# SimilaritySearch under sanitizers, in a scratch package outside the shared .build (a sanitizer
# build of the whole checkout would rebuild every module and evict everyone's artifacts).
#
#   scripts/search-sanitizers.sh tsan            # all SimilaritySearch tests under ThreadSanitizer
#   scripts/search-sanitizers.sh fuzz [RUNS]     # = scripts/fuzz.sh simx RUNS (default 40000 runs)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-tsan}
RUNS=${2:-40000}
# The .simx fuzzing moved to scripts/fuzz.sh (release build, every reader, one harness).
[[ $MODE == fuzz ]] && exec "$ROOT/scripts/fuzz.sh" simx "$RUNS"
PKG=${SCRATCH:-/tmp/similarity-search-sanitizers}
mkdir -p "$PKG/Sources" "$PKG/Tests/SearchSanitizerTests"
for t in CSimilarityBLAS CSimilarityKernels SimilarityIO SimilarityKernels SimilaritySearch; do
  ln -sfn "$ROOT/Sources/$t" "$PKG/Sources/$t"
done
for f in "$ROOT"/Tests/SimilaritySearchTests/*.swift; do ln -sf "$f" "$PKG/Tests/SearchSanitizerTests/"; done
cat > "$PKG/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
  name: "SearchSanitizers",
  targets: [
    .systemLibrary(name: "CSimilarityBLAS", path: "Sources/CSimilarityBLAS", pkgConfig: "openblas"),
    .target(name: "CSimilarityKernels", path: "Sources/CSimilarityKernels"),
    .target(name: "SimilarityKernels", dependencies: ["CSimilarityBLAS", "CSimilarityKernels"]),
    .target(name: "SimilarityIO"),
    .target(
      name: "SimilaritySearch", dependencies: ["SimilarityKernels", "CSimilarityKernels", "SimilarityIO"]),
    .testTarget(name: "SearchSanitizerTests", dependencies: ["SimilaritySearch"]),
  ],
  swiftLanguageModes: [.v6])
SWIFT
cd "$PKG"
case "$MODE" in
  tsan)
    swift build --build-tests --sanitize=thread
    swift test --skip-build --sanitize=thread
    ;;
  *) echo "usage: $0 tsan|fuzz [runs]" >&2; exit 2 ;;
esac

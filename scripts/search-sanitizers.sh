#!/usr/bin/env bash
# SimilaritySearch under sanitizers, in a scratch package outside the shared .build (a sanitizer
# build of the whole checkout would rebuild every module and evict everyone's artifacts).
#
#   scripts/search-sanitizers.sh tsan            # all SimilaritySearch tests under ThreadSanitizer
#   scripts/search-sanitizers.sh fuzz [RUNS]     # libFuzzer + ASan on the .simx loader (default 40000 runs)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-tsan}
RUNS=${2:-40000}
PKG=${SCRATCH:-/tmp/similarity-search-sanitizers}
mkdir -p "$PKG/Sources/IndexFileFuzzer" "$PKG/Tests/SearchSanitizerTests"
for t in CSimilarityBLAS CSimilarityKernels SimilarityKernels SimilaritySearch; do
  ln -sfn "$ROOT/Sources/$t" "$PKG/Sources/$t"
done
for f in "$ROOT"/Tests/SimilaritySearchTests/*.swift; do ln -sf "$f" "$PKG/Tests/SearchSanitizerTests/"; done
cat > "$PKG/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
// The fuzzer executable only when SEARCH_FUZZ=1 (it defines its own entry point).
let package = Package(
  name: "SearchSanitizers",
  targets: [
    .systemLibrary(name: "CSimilarityBLAS", path: "Sources/CSimilarityBLAS", pkgConfig: "openblas"),
    .target(name: "CSimilarityKernels", path: "Sources/CSimilarityKernels"),
    .target(name: "SimilarityKernels", dependencies: ["CSimilarityBLAS", "CSimilarityKernels"]),
    .target(name: "SimilaritySearch", dependencies: ["SimilarityKernels", "CSimilarityKernels"]),
    .testTarget(name: "SearchSanitizerTests", dependencies: ["SimilaritySearch"]),
  ] + (Context.environment["SEARCH_FUZZ"] == "1"
    ? [.executableTarget(name: "IndexFileFuzzer", dependencies: ["SimilaritySearch"])] : []),
  swiftLanguageModes: [.v6])
SWIFT
cat > "$PKG/Sources/IndexFileFuzzer/Fuzz.swift" <<'SWIFT'
// libFuzzer target for the index-file loader. The input's last 8 bytes are replaced by a valid
// FNV-1a 64 checksum of the rest, so mutations reach the validation behind the checksum. A file
// that loads must also pass checkInvariants() and be searchable.
import SimilaritySearch
#if canImport(Glibc)
  import Glibc
#endif

nonisolated(unsafe) let path = "/dev/shm/simx-fuzz-\(getpid()).simx"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if bytes.count > 8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes[0..<(bytes.count - 8)] { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    for i in 0..<8 { bytes[bytes.count - 8 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
  }
  let f = fopen(path, "wb")!
  _ = fwrite(bytes, 1, bytes.count, f)
  fclose(f)
  if let index = try? loadIndex(from: path) {
    _ = try? index.search([Float](repeating: 0.5, count: index.dimension), k: 3, filter: nil)
    if let hnsw = index as? HNSWIndex { precondition(hnsw.checkInvariants().isEmpty) }
  }
  return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links executables against `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("IndexFileFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  var count = argc
  var arguments = argv
  return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
SWIFT
cd "$PKG"
case "$MODE" in
  tsan)
    unset SEARCH_FUZZ
    swift build --build-tests --sanitize=thread
    swift test --skip-build --sanitize=thread
    ;;
  fuzz)
    export SEARCH_FUZZ=1
    swift build --product IndexFileFuzzer --scratch-path "$PKG/.fuzz-build" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    # Seed corpus: small valid HNSW (with removed items) and exact index files.
    CORPUS="$PKG/corpus"
    mkdir -p "$CORPUS"
    python3 - "$CORPUS" <<'PY'
import struct, sys, random
out = sys.argv[1]
random.seed(1)
rows = [[random.gauss(0, 1) for _ in range(3)] for _ in range(40)]
def npy(path, data, dtype, shape):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (dtype, shape)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(data)
npy(out + "/x.npy", b"".join(struct.pack("<3f", *r) for r in rows), "<f4", "(40, 3)")
PY
    SIM=${SIM:-$ROOT/.build/debug/similarity}  # any built `similarity` CLI
    "$SIM" index build --vectors "$CORPUS/x.npy" --distance l2 --m 3 --ef-construction 10 --out "$CORPUS/hnsw.simx" >/dev/null 2>&1
    "$SIM" index remove --index "$CORPUS/hnsw.simx" --id 3 --id 7 >/dev/null
    "$SIM" index build --vectors "$CORPUS/x.npy" --exact --distance manhattan --out "$CORPUS/exact.simx" >/dev/null 2>&1
    rm -f "$CORPUS/x.npy"
    mkdir -p "$PKG/artifacts" && cd "$PKG/artifacts"
    "$PKG/.fuzz-build/debug/IndexFileFuzzer" "$CORPUS" -runs="$RUNS" -max_len=8192 -seed=1 -print_final_stats=1
    ;;
  *) echo "usage: $0 tsan|fuzz [runs]" >&2; exit 2 ;;
esac

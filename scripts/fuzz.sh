#!/usr/bin/env bash
# libFuzzer + AddressSanitizer over every reader of untrusted files, in a release build.
#
#   scripts/fuzz.sh TARGET [RUNS]   # TARGET: npy simx safetensors architecture manifest calibration
#                                   #         run siamese idx gzip png torch, or `all` (one after another)
#   RUNS defaults to 1000000 (libFuzzer -runs).
#
# The harness (scripts/fuzz/*.swift) is built as one executable in a scratch package under
# .build-fuzz/ (FUZZ_SCRATCH to move it) whose Sources are symlinks to the real library targets,
# and whose manifest is the real Package.swift with its executables and tests swapped for
# SimilarityFuzz, so it always fuzzes the checkout's code. SimilarityFuzz also compiles the
# command-line tool's run.json and siamese.json readers (Sources/similarity/SavedRuns.swift,
# SiameseRun.swift, SavedRunValidation.swift). Seeds are small valid files written by the
# library's own writers (`SimilarityFuzz --write-seeds`) and by python3 (IDX, gzip, PNG). Per
# target, the fuzzed corpus, crash artifacts and the log land in .build-fuzz/out/TARGET/; a
# summary line per target is appended to .build-fuzz/out/summary.tsv. Supersedes the fuzz mode
# of search-sanitizers.sh (which now runs `fuzz.sh simx`).
#
# LeakSanitizer is on unless ASAN_OPTIONS says otherwise (libFuzzer checks an input for leaks
# when its mallocs and frees do not balance).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=(npy simx safetensors architecture manifest calibration run siamese idx gzip png torch)
TARGET=${1:?usage: scripts/fuzz.sh TARGET|all [RUNS]  (TARGET: ${TARGETS[*]})}
RUNS=${2:-1000000}
if [[ $TARGET != all && ! " ${TARGETS[*]} " =~ " $TARGET " ]]; then
  echo "unknown target $TARGET; expected one of: ${TARGETS[*]} all" >&2
  exit 2
fi
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
PKG=$SCRATCH/package
OUT=$SCRATCH/out

# The scratch package: symlinked library targets, and the harness plus the CLI's run readers.
mkdir -p "$PKG/Sources"
for dir in "$ROOT"/Sources/*/; do
  t=$(basename "$dir")
  [[ $t == similarity* ]] || ln -sfn "$ROOT/Sources/$t" "$PKG/Sources/$t"  # not the executables
done
rm -rf "$PKG/Sources/SimilarityFuzz" && mkdir -p "$PKG/Sources/SimilarityFuzz"
for f in "$ROOT"/scripts/fuzz/*.swift "$ROOT"/Sources/similarity/{SavedRuns,SiameseRun,SavedRunValidation}.swift; do
  ln -sfn "$f" "$PKG/Sources/SimilarityFuzz/"
done
[[ -f $ROOT/Package.resolved ]] && cp "$ROOT/Package.resolved" "$PKG/Package.resolved"
# The real manifest, minus its executables and tests, plus the harness: always the same targets.
{
  cat "$ROOT/Package.swift"
  cat <<'SWIFT'

// Appended by scripts/fuzz.sh: the library targets above and the libFuzzer harness only.
package.products = []
package.targets.removeAll { $0.type == .executable || $0.type == .test }
package.targets.append(
  .executableTarget(
    name: "SimilarityFuzz",
    dependencies: [
      "Similarity", "SimilarityIO", "SimilarityModels",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]))
SWIFT
} >"$PKG/Package.swift"

cd "$PKG"
swift build -c release --product SimilarityFuzz --disable-dead-strip \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  -Xcc -fsanitize=fuzzer-no-link,address
FUZZ=$PKG/.build/release/SimilarityFuzz
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
SHM=/dev/shm/similarity-fuzz-$$
trap 'rm -rf "$SHM"' EXIT

# Seeds: the library's writers, then IDX, gzip and PNG bytes from python3.
SEEDS=$OUT/seeds
rm -rf "$SEEDS" "$SHM"
FUZZ_SHM=$SHM "$FUZZ" --write-seeds "$SEEDS"
rm -rf "$SHM"
python3 - "$SEEDS" <<'PY'
import gzip, os, struct, sys, zlib
root = sys.argv[1]
def save(kind, name, data):
    os.makedirs(os.path.join(root, kind), exist_ok=True)
    with open(os.path.join(root, kind, name), "wb") as f:
        f.write(data)
def idx(code, fmt, shape, values):
    head = bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape)
    return head + b"".join(struct.pack(">" + fmt, v) for v in values)
images = idx(0x08, "B", [2, 3, 3], range(18))
labels = idx(0x08, "B", [5], [0, 1, 2, 9, 3])
for name, data in [("images.idx", images), ("labels.idx", labels),
                   ("int8.idx", idx(0x09, "b", [4], [-1, 0, 1, 127])),
                   ("int16.idx", idx(0x0B, "h", [2, 2], [-300, 0, 300, 7])),
                   ("int32.idx", idx(0x0C, "i", [3], [1, -1, 1 << 20])),
                   ("float32.idx", idx(0x0D, "f", [3], [0.5, -1.0, 3.0])),
                   ("float64.idx", idx(0x0E, "d", [1, 2], [1e-3, 2.0]))]:
    save("idx", name, data)
for name, data in [("images.idx.gz", gzip.compress(images, mtime=0)),
                   ("two-members.gz", gzip.compress(labels, mtime=0) + gzip.compress(b"abc", mtime=0)),
                   ("empty.gz", gzip.compress(b"", mtime=0)),
                   ("text.gz", gzip.compress(b"swift-similarity " * 60, 9, mtime=0)),
                   ("padded.gz", gzip.compress(b"0123456789", mtime=0) + b"\0" * 8)]:
    save("gzip", name, data)
def png(width, height, bit_depth, color_type, rows, extra=b""):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + row for row in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
save("png", "gray.png", png(3, 2, 8, 0, [bytes([0, 128, 255]), bytes([1, 2, 3])]))
save("png", "gray16.png", png(2, 1, 16, 0, [bytes([0, 1, 255, 254])]))
save("png", "gray1.png", png(8, 2, 1, 0, [bytes([0b10101010]), bytes([0b01010101])]))
save("png", "gray-alpha.png", png(2, 1, 8, 4, [bytes([10, 255, 200, 0])]))
save("png", "rgb.png", png(2, 2, 8, 2, [bytes(range(6)), bytes(range(6, 12))]))
save("png", "rgba.png", png(2, 1, 8, 6, [bytes([1, 2, 3, 255, 4, 5, 6, 128])]))
save("png", "palette.png", png(2, 2, 8, 3, [bytes([0, 1]), bytes([1, 0])],
                                chunk(b"PLTE", bytes([255, 0, 0, 0, 0, 255])) + chunk(b"tRNS", bytes([255, 100]))))
PY
cp "$ROOT"/Tests/SimilarityModelsTests/Fixtures/tiny_legacy.pth \
  "$ROOT"/Tests/SimilarityModelsTests/Fixtures/tiny_zip.pt \
  "$ROOT"/Tests/SimilarityModelsTests/Fixtures/tiny_zip64.pt "$SEEDS/torch/"

MAXLEN_npy=4096 MAXLEN_simx=8192 MAXLEN_safetensors=4096 MAXLEN_architecture=8192
MAXLEN_manifest=4096 MAXLEN_calibration=8192 MAXLEN_run=4096 MAXLEN_siamese=4096
MAXLEN_idx=4096 MAXLEN_gzip=4096 MAXLEN_png=4096 MAXLEN_torch=8192

fuzz_one() {
  local t=$1 dir=$OUT/$1 maxlen_var=MAXLEN_$1
  rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$SEEDS/$t"/* "$dir/corpus/"
  local seeds start end status=0
  seeds=$(ls "$dir/corpus" | wc -l)
  echo "== $t: $RUNS runs, $seeds seeds, -max_len=${!maxlen_var} (log: $dir/fuzz.log)"
  start=$(date +%s.%N)
  FUZZ_SHM=$SHM "$FUZZ" "$t" "$dir/corpus" -runs="$RUNS" -max_len="${!maxlen_var}" \
    -rss_limit_mb=4096 -timeout=10 -seed=1 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" >"$dir/fuzz.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  rm -rf "$SHM"
  local runs rate new rss crashes seconds
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log")
  new=$(sed -n 's/^stat::new_units_added: *//p' "$dir/fuzz.log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$dir/fuzz.log")
  crashes=$(ls "$dir/artifacts" | wc -l)
  seconds=$(python3 -c "print(round($end - $start))")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${runs:-?}" "${rate:-?}" "$seconds" "${new:-?}" \
    "${rss:-?}" "$crashes" "$status" | tee -a "$OUT/summary.tsv"
  if [[ $status != 0 ]]; then
    tail -n 40 "$dir/fuzz.log" >&2
    return 1
  fi
}

echo -e "target\truns\texec/s\tseconds\tnew units\tpeak RSS MB\tcrash artifacts\texit" >>"$OUT/summary.tsv"
if [[ $TARGET == all ]]; then
  failed=0
  for t in "${TARGETS[@]}"; do fuzz_one "$t" || failed=1; done
  exit $failed
fi
fuzz_one "$TARGET"

#!/usr/bin/env bash
# Renders an HTML report with headless Chromium and checks that a person would see something:
#   scripts/check-report.sh REPORT.html [SCREENSHOT.png] [WIDTHxHEIGHT]
# Fails (exit 1) when the screenshot is (nearly) blank or the page wrote to the JavaScript
# console (uncaught errors, console.error, …); exit 2 when the report or Chromium is missing.
# The screenshot is kept at SCREENSHOT.png (default: a temporary file, printed at the end).
# Chromium is Debian's `chromium` package (apt-get install -y chromium).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
report=$1
if [ ! -f "$report" ]; then
  echo "check-report: $report: no such file" >&2
  exit 2
fi
screenshot=${2:-$(mktemp --suffix=.png)}
size=${3:-1200x2000}
browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
  echo "check-report: no Chromium found (apt-get install -y chromium)" >&2
  exit 2
fi
url="file://$(realpath "$report")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$screenshot"
timeout 180 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --enable-logging=stderr --v=0 --window-size="${size/x/,}" \
  --screenshot="$screenshot" "$url" >/dev/null 2>"$log" || true
if [ ! -s "$screenshot" ]; then
  echo "check-report: Chromium wrote no screenshot of $report; its log:" >&2
  grep -v -e dbus -e D-Bus "$log" | tail -20 >&2
  exit 1
fi
status=0
# Console messages look like: [...:INFO:CONSOLE:12] "Uncaught ReferenceError: …", source: …
if grep -q ':CONSOLE' "$log"; then
  echo "check-report: $report wrote to the JavaScript console:" >&2
  grep ':CONSOLE' "$log" | sed 's/^[^]]*] /  /' >&2
  status=1
fi
# Nearly blank: fewer than 1% of the pixels differ from the most common colour. The PNG is
# decoded with Python's zlib (8-bit RGB/RGBA, no interlacing, as Chromium writes it).
if ! python3 - "$screenshot" <<'PY'
import struct, sys, zlib
from collections import Counter
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
channels = {2: 3, 6: 4}[colour]
assert depth == 8 and interlace == 0, 'unexpected PNG layout'
raw, stride = zlib.decompress(idat), width * channels
previous, counts = bytearray(stride), Counter()
for y in range(height):
    kind = raw[y * (stride + 1)]
    row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - channels] if i >= channels else 0
        b, c = previous[i], (previous[i - channels] if i >= channels else 0)
        if kind == 1: row[i] = (row[i] + a) & 255
        elif kind == 2: row[i] = (row[i] + b) & 255
        elif kind == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    counts.update(bytes(row[x:x + 3]) for x in range(0, stride, channels * 2))
    previous = row
total = sum(counts.values())
other = 1 - counts.most_common(1)[0][1] / total
print('check-report: %dx%d screenshot, %.1f%% of pixels differ from the background'
      % (width, height, 100 * other))
sys.exit(0 if other >= 0.01 else 1)
PY
then
  echo "check-report: the screenshot of $report is (nearly) blank" >&2
  status=1
fi
echo "check-report: screenshot $screenshot"
exit $status

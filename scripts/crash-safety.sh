#!/usr/bin/env bash
# kill -9 at random moments of every kind of save, many times, and check what is left:
#   scripts/crash-safety.sh [KILLS_PER_KIND (default 250)] [MAX_DELAY_MS (default 80)]
# For each kind (model folder, index file, checkpoint, report) it saves version 0, puts a user
# file beside it, then KILLS_PER_KIND times starts `similarity-save-loop KIND PATH loop` (which
# saves the other version, then alternates), waits until it starts saving, sleeps a random
# 0..MAX_DELAY_MS ms, SIGKILLs it and checks with `similarity-save-loop KIND PATH verify` that
# PATH holds one whole version (every file of the same version; checksums and loads pass).
# After the kills, one more save must leave no temporary (.simtmp-) or staged (.simnext-) file
# and the user file must be intact. Prints one CRASH line per kind and a TOTAL line; exit 1 on
# any failure. CONFIG=release builds the helper in release mode (default: debug).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kills=${1:-250}
max_ms=${2:-80}
config=${CONFIG:-debug}
swift build -c "$config" --product similarity-save-loop >&2
helper="$(swift build -c "$config" --show-bin-path)/similarity-save-loop"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

leftovers() { find "$work" \( -name '*.simtmp-*' -o -name '*.simnext-*' \) | wc -l; }

failures=0
total=0
for kind in model index checkpoint report; do
  case $kind in
    model | checkpoint) path=$work/$kind; notes=$path/notes.txt ;;
    *) path=$work/$kind.out; notes=$work/notes.txt ;;
  esac
  "$helper" "$kind" "$path" once 0
  echo "the user's notes" >"$notes"
  mid_save=0
  verified=0
  declare -A seen=([0]=0 [1]=0)
  for ((i = 1; i <= kills; i++)); do
    coproc LOOP { exec "$helper" "$kind" "$path" loop; }
    pid=$LOOP_PID
    read -r _ <&"${LOOP[0]}" || true # "looping": the first save starts
    delay_us=$(((RANDOM * 32768 + RANDOM) % (max_ms * 1000 + 1)))
    sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$(leftovers)" -gt 0 ]; then mid_save=$((mid_save + 1)); fi
    if out=$("$helper" "$kind" "$path" verify 2>&1); then
      verified=$((verified + 1))
      seen[${out##* }]=$((${seen[${out##* }]} + 1))
    else
      failures=$((failures + 1))
      echo "FAIL $kind kill $i after ${delay_us} us: $out" >&2
    fi
  done
  "$helper" "$kind" "$path" once 1
  after=$(leftovers)
  notes_ok=yes
  [ "$(cat "$notes")" = "the user's notes" ] || notes_ok=no
  if [ "$after" -ne 0 ] || [ "$notes_ok" != yes ]; then failures=$((failures + 1)); fi
  total=$((total + kills))
  echo "CRASH kind=$kind kills=$kills killed_mid_save=$mid_save verified=$verified" \
    "version0=${seen[0]} version1=${seen[1]} leftovers_after_next_save=$after user_file_intact=$notes_ok"
  unset seen
done
echo "TOTAL kills=$total failures=$failures"
[ "$failures" -eq 0 ]

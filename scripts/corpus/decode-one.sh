#!/usr/bin/env bash
# Worker for fetch-corpus.sh: decodes ONE source file into the corpus.
#
# Usage: decode-one.sh OUT_DIR "split<TAB>package<TAB>source<TAB>out_rel"
# Environment: PHASEGRAD_AF (the ffmpeg filter graph), PHASEGRAD_RATE (the output
# rate in Hz) and PHASEGRAD_MIN_RATE (the lowest native rate kept), set by
# fetch-corpus.sh.
#
# Prints exactly one tab-separated result line (single printf, so parallel
# workers appending to one file never interleave):
#   ok    split package out_rel seconds native_rate
#   drop  split package out_rel seconds reason
#   fail  split package out_rel -       message
# It always exits 0 so that xargs keeps going; the caller counts the fails.
set -uo pipefail

out_dir=$1
IFS=$'\t' read -r split pkg src rel <<<"$2"
out="$out_dir/$rel"
drop_mark="$out_dir/.dropped/$rel.txt"
out_rate=${PHASEGRAD_RATE:?set by fetch-corpus.sh}
min_rate=${PHASEGRAD_MIN_RATE:-$out_rate}
min_samples=$((out_rate / 2))   # 0.5 s

# Seconds with 3 decimals from a sample count at the output rate, rounded.
secs_of() { local ms=$(( ($1 * 1000 + out_rate / 2) / out_rate )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

emit() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$split" "$pkg" "$rel" "$2" "$3"; }

# Finished earlier: the WAV has a fixed 44-byte header (-fflags +bitexact, no
# metadata), so its length follows from its size without probing.
if [[ -s $out ]]; then
  size=$(stat -c %s -- "$out")
  rate='?'; [[ -f $out_dir/.rates/$rel.txt ]] && read -r rate <"$out_dir/.rates/$rel.txt"
  emit ok "$(secs_of $(( (size - 44) / 2 )))" "$rate"
  exit 0
fi
if [[ -f $drop_mark ]]; then
  IFS=$'\t' read -r secs reason <"$drop_mark"
  emit drop "$secs" "$reason"
  exit 0
fi

fmt=()
[[ $src == *.g722 ]] && fmt=(-f g722)   # raw G.722 has no header; ffmpeg decodes it at 16 kHz

if ! rate=$(ffprobe -v error "${fmt[@]}" -select_streams a:0 -show_entries stream=sample_rate \
              -of default=nw=1:nk=1 -- "$src" 2>&1) || [[ ! $rate =~ ^[0-9]+$ ]]; then
  emit fail - "ffprobe cannot read $src (package $pkg): ${rate//$'\n'/ }"
  exit 0
fi

mkdir -p -- "$(dirname -- "$out")" "$(dirname -- "$drop_mark")" "$out_dir/.rates/$(dirname -- "$rel")"

# Material recorded below the output rate would leave the upper band empty after
# upsampling and teach the network a spectrum that real speech at that rate never has.
if (( rate < min_rate )); then
  printf '%s\t%s\n' "-" "native rate $rate Hz < $min_rate Hz" >"$drop_mark"
  emit drop - "native rate $rate Hz < $min_rate Hz"
  exit 0
fi

part="$out.part"
if ! err=$(ffmpeg -nostdin -hide_banner -v error -y "${fmt[@]}" -i "$src" -vn \
             -af "$PHASEGRAD_AF" -fflags +bitexact -map_metadata -1 \
             -c:a pcm_s16le -f wav -- "$part" 2>&1); then
  rm -f -- "$part"
  emit fail - "ffmpeg failed on $src (package $pkg): $(printf '%s' "$err" | tail -n 2 | tr '\n\t' '  ')"
  exit 0
fi

size=$(stat -c %s -- "$part")
samples=$(( (size - 44) / 2 ))
secs=$(secs_of "$samples")
if (( samples < min_samples )); then
  rm -f -- "$part"
  printf '%s\t%s\n' "$secs" "shorter than 0.5 s after trimming" >"$drop_mark"
  emit drop "$secs" "shorter than 0.5 s after trimming"
  exit 0
fi
printf '%s\n' "$rate" >"$out_dir/.rates/$rel.txt"
mv -f -- "$part" "$out"
emit ok "$secs" "$rate"

#!/usr/bin/env bash
# (Re)creates phasegrad's training / validation / test speech corpus from Debian
# packages only.  See docs/CORPUS.md for what goes where and why.
#
# Needs: apt-get, apt-cache, dpkg, dpkg-deb, ffmpeg + ffprobe (Debian's ffmpeg
# is installed automatically when running as root), md5sum, awk, xargs.
# No python, no sox.
set -euo pipefail
export LC_ALL=C

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
worker="$script_dir/corpus/decode-one.sh"

usage() {
  cat <<EOF
Usage: scripts/fetch-corpus.sh [--out DIR] [--cache DIR] [--rate HZ] [--jobs N] [--clean]

Downloads the speech packages with apt-get, unpacks them with dpkg -x and
decodes every speech file to mono 16-bit PCM WAV at --rate (default 16000) under
  DIR/{train,validation,test}/<package>/<file>.wav
plus DIR/manifest.tsv, DIR/provenance.tsv, DIR/summary.tsv, DIR/licences/.

  --out DIR    corpus directory (default \${PHASEGRAD_CORPUS:-./corpus}, relative
               to the repository root)
  --cache DIR  where .deb files and unpacked packages are kept (default
               \${PHASEGRAD_CORPUS_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/phasegrad/corpus})
  --rate HZ    output sample rate: 16000 (default), 22050 or 24000; sources
               recorded below it are dropped (at 24000: below 22050), and
               above 16 kHz the split changes (docs/CORPUS.md, "Corpora above
               16 kHz")
  --jobs N     parallel ffmpeg processes (default: number of CPUs)
  --clean      delete the generated content of DIR first (only if DIR was made
               by this script)

Re-running is cheap: files already decoded are skipped, outputs that the
current rules no longer produce are removed, and the manifest is rewritten.
EOF
}

die() { printf 'fetch-corpus: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'fetch-corpus: %s\n' "$*" >&2; }

out=""; cache=""; jobs=""; rate=16000; clean=0
while (($#)); do
  case $1 in
    --out) [[ $# -ge 2 ]] || die "--out needs a directory"; out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --cache) [[ $# -ge 2 ]] || die "--cache needs a directory"; cache=$2; shift 2 ;;
    --cache=*) cache=${1#*=}; shift ;;
    --rate) [[ $# -ge 2 ]] || die "--rate needs a sample rate in Hz"; rate=$2; shift 2 ;;
    --rate=*) rate=${1#*=}; shift ;;
    --jobs) [[ $# -ge 2 ]] || die "--jobs needs a number"; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --clean) clean=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

if [[ -z $out ]]; then
  out=${PHASEGRAD_CORPUS:-./corpus}
  [[ $out == /* ]] || out="$repo_root/$out"
fi
cache=${cache:-${PHASEGRAD_CORPUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/phasegrad/corpus}}
jobs=${jobs:-$(nproc 2>/dev/null || echo 2)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer, got '$jobs'"
case $rate in 16000|22050|24000) ;; *) die "--rate must be 16000, 22050 or 24000, got '$rate'" ;; esac
export PHASEGRAD_RATE=$rate
# Sources recorded below the output rate are dropped, with one exception: at 24 kHz the 22.05 kHz
# sources (most of Fish Fillets) are kept. Dropping them would leave a training split of a few
# minutes, and upsampled they lack only 11.0-12 kHz, the top 8 % of the band.
min_rate=$rate
((rate == 24000)) && min_rate=22050
export PHASEGRAD_MIN_RATE=$min_rate
mkdir -p -- "$out" "$cache" || die "cannot create '$out' or '$cache'"
out=$(cd -- "$out" && pwd); cache=$(cd -- "$cache" && pwd)

# ---------------------------------------------------------------- settings ---
# Any change here invalidates decoded files; bump the version so that an old
# corpus is refused instead of silently mixed with new output.
settings_version=1
trim="silenceremove=start_periods=1:start_threshold=-50dB:start_silence=0.05:detection=peak"
# Downmix (mean of channels) and resample first, then trim the start, reverse,
# trim the (former) end, reverse back: silenceremove's own stop_* options would
# also cut pauses inside an utterance.  No gain or normalisation anywhere.
export PHASEGRAD_AF="aresample=osr=$rate:ochl=mono:resampler=soxr:precision=28,$trim,areverse,$trim,areverse,aformat=sample_fmts=s16:channel_layouts=mono:sample_rates=$rate"
marker="$out/.phasegrad-corpus"
marker_text="phasegrad corpus, settings v$settings_version
filter: $PHASEGRAD_AF
min_seconds: 0.5
min_native_rate: $min_rate"

# -------------------------------------------------------------- packages ---
# Split is by speaker/package, never by frames (docs/CORPUS.md):
#  test       = the English Asterisk voice (Allison Smith).  The Spanish Asterisk
#               prompts are recorded by the same speaker (es_MX_f_Allison), so
#               they go to test as well; training on them would leak the voice.
#  validation = the Italian Asterisk voice, and the side characters of the
#               Czech Fish Fillets dialogue (everyone but the two fish).
#  train      = everything else.
asterisk_pkgs=(asterisk-core-sounds-{en,es,fr,it,ru}-g722)
fixed_pkgs=("${asterisk_pkgs[@]}" fillets-ng-data-cs klettres-data ktuberling-data)
# Asterisk files that are tones, silence or animal noise, not speech.
asterisk_nonspeech='^(silence/.*|beep|beeperr|ascending-2tone|descending-2tone|confbridge-join|confbridge-leave|tt-monkeys)$'

# Licence expected per package, read off /usr/share/doc/<pkg>/copyright of the
# Debian 12 packages; the script re-derives it and warns if Debian changed it.
expected_licence() {
  case $1 in
    asterisk-core-sounds-en-g722|asterisk-core-sounds-es-g722|asterisk-core-sounds-fr-g722) echo CC-BY-SA-3.0 ;;
    asterisk-core-sounds-it-g722|asterisk-core-sounds-ru-g722) echo CC-BY-3.0 ;;
    fillets-ng-data-*) echo GPL-2 ;;
    klettres-data|ktuberling-data) echo GPL-2+ ;;
    *) echo unknown ;;
  esac
}

# ------------------------------------------------------------------ tools ---
for t in apt-get apt-cache dpkg dpkg-deb md5sum awk xargs find sort stat; do
  command -v "$t" >/dev/null || die "'$t' not found; this script needs a Debian-based system (apt/dpkg)"
done
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    log "ffmpeg missing, installing Debian's ffmpeg (apt-get install -y ffmpeg)"
    apt-get install -y ffmpeg >&2 || { apt-get update >&2 && apt-get install -y ffmpeg >&2; } \
      || die "apt-get could not install package 'ffmpeg'"
  else
    die "ffmpeg/ffprobe not found; install Debian's ffmpeg (sudo apt-get install ffmpeg) and re-run"
  fi
fi
[[ $(ffmpeg -hide_banner -buildconf 2>/dev/null) == *--enable-libsoxr* ]] \
  || die "this ffmpeg lacks libsoxr (needed for aresample=resampler=soxr); use Debian's ffmpeg package"

# -------------------------------------------------------- output directory ---
if [[ -f $marker ]]; then
  if ((clean)); then
    log "--clean: removing generated content of $out"
    rm -rf -- "$out"/{train,validation,test,licences,.dropped,.rates} \
              "$out"/{manifest,provenance,summary,dropped}.tsv "$marker"
  elif [[ $(cat -- "$marker") != "$marker_text" ]]; then
    die "$out was made with different decoding settings; re-run with --clean (or choose another --out)"
  fi
elif [[ -n $(ls -A -- "$out") ]]; then
  die "$out is not empty and was not made by this script; refusing to write into it"
fi
printf '%s\n' "$marker_text" >"$marker"

# ----------------------------------------------------- download and unpack ---
debs="$cache/debs"; roots="$cache/root"
mkdir -p -- "$debs" "$roots"
apt_updated=0

apt_known() { apt-cache show --no-all-versions "$1" >/dev/null 2>&1; }

# Other fillets-ng-data languages, if this apt knows any (Debian 12: cs, nl).
# The base package fillets-ng-data holds only music and sound effects.
mapfile -t fillets_pkgs < <(apt-cache pkgnames fillets-ng-data- 2>/dev/null | grep -E '^fillets-ng-data-[a-z]{2}(_[A-Z]{2})?$' | sort)
[[ ${#fillets_pkgs[@]} -gt 0 ]] || fillets_pkgs=(fillets-ng-data-cs)
pkgs=()
for p in "${fixed_pkgs[@]}" "${fillets_pkgs[@]}"; do
  [[ " ${pkgs[*]} " == *" $p "* ]] || pkgs+=("$p")
done

deb_of() { # newest cached .deb of a package, if any
  local best="" f
  for f in "$debs/$1"_*.deb; do
    [[ -f $f ]] || continue
    if [[ -z $best ]] || dpkg --compare-versions "$(dpkg-deb -f "$f" Version)" gt "$(dpkg-deb -f "$best" Version)"; then best=$f; fi
  done
  printf '%s' "$best"
}

declare -A root_of version_of licence_of
for p in "${pkgs[@]}"; do
  deb=$(deb_of "$p")
  if [[ -z $deb ]]; then
    if ! apt_known "$p" && ((apt_updated == 0)); then
      log "apt does not know $p yet; running apt-get update"
      apt-get update >&2 || die "apt-get update failed (needed to find package $p); run as root or update apt yourself"
      apt_updated=1
    fi
    apt_known "$p" || die "package $p is not available from apt (needs Debian 'main', e.g. bookworm, in sources.list)"
    log "downloading $p"
    (cd -- "$debs" && apt-get download "$p" >&2) || die "apt-get download $p failed"
    deb=$(deb_of "$p")
    [[ -n $deb ]] || die "apt-get download $p left no $debs/${p}_*.deb"
  fi
  ver=$(dpkg-deb -f "$deb" Version) || die "dpkg-deb cannot read $deb (package $p); delete it and re-run"
  dir="$roots/${p}_${ver//:/%3a}"
  if [[ ! -f $dir/.unpacked ]]; then
    log "unpacking $p $ver"
    rm -rf -- "$dir" "$dir.tmp"
    dpkg -x "$deb" "$dir.tmp" || die "dpkg -x failed for package $p ($deb); delete the .deb and re-run"
    mv -- "$dir.tmp" "$dir"; touch -- "$dir/.unpacked"
  fi
  root_of[$p]=$dir; version_of[$p]=$ver
done

# Licence from the package's own copyright file.  DEP-5 files: the License of
# the stanza whose Files pattern covers this package's sounds (Asterisk keeps
# one stanza per language prefix, e.g. "Files: fr-*"), else of "Files: *".
derive_licence() {
  local p=$1 cr="${root_of[$1]}/usr/share/doc/$1/copyright" lang=""
  [[ -f $cr ]] || { echo unknown; return; }
  [[ $p =~ ^asterisk-core-sounds-([a-z]+)-g722$ ]] && lang=${BASH_REMATCH[1]}
  if grep -q '^Format: .*copyright-format' "$cr"; then
    awk -v lang="$lang" '
      /^Files:/ { files = $0; sub(/^Files:[ \t]*/, "", files); inpara = 1; next }
      /^$/      { inpara = 0; files = "" }
      /^License:/ && inpara && files != "" {
        lic = $2
        if (lang != "" && files == lang "-*") hit = lic
        if (files == "*" && star == "") star = lic
        files = ""
      }
      END { print (hit != "" ? hit : (star != "" ? star : "unknown")) }' "$cr"
  elif grep -q 'GNU General Public License' "$cr" && grep -q 'version 2 dated June, 1991' "$cr"; then
    echo GPL-2
  else
    echo unknown
  fi
}
mkdir -p -- "$out/licences"
for p in "${pkgs[@]}"; do
  lic=$(derive_licence "$p"); exp=$(expected_licence "$p")
  if [[ $lic == unknown ]]; then
    log "warning: could not read a licence from the copyright file of $p; using '$exp'"
    lic=$exp
  elif [[ $exp != unknown && $lic != "$exp" ]]; then
    log "warning: $p copyright now says $lic (expected $exp); check docs/CORPUS.md"
  fi
  licence_of[$p]=$lic
  cp -f -- "${root_of[$p]}/usr/share/doc/$p/copyright" "$out/licences/$p.copyright" 2>/dev/null \
    || log "warning: $p ships no /usr/share/doc/$p/copyright"
done

# ------------------------------------------------------------- job list ---
# One line per source file: split, package, source path, output path, voice.
jobs_tsv="$cache/jobs.tsv"; : >"$jobs_tsv.tmp"
add_jobs() { # package split_fn: reads "src<TAB>rel<TAB>voice" lines on stdin
  local p=$1 split_fn=$2 src rel voice split
  while IFS=$'\t' read -r src rel voice; do
    "$split_fn" "$p" "$voice"
    printf '%s\t%s\t%s\t%s/%s/%s\t%s\n' "$split" "$p" "$src" "$split" "$p" "$rel" "$voice"
  done
}
# Split functions set $split (no subshell: they run once per file).
asterisk_split() {
  case $1 in
    asterisk-core-sounds-en-g722|asterisk-core-sounds-es-g722) split=test ;;
    asterisk-core-sounds-it-g722) split=validation ;;
    *) split=train ;;
  esac
}
fillets_split() { if [[ $1 == fillets-ng-data-cs && $2 == cs:other ]]; then split=validation; else split=train; fi; }
train_split() { split=train; }
# Above 16 kHz every Asterisk voice (16 kHz G.722) is dropped by the rate rule,
# and with it the 16 kHz test voice: klettres-data (many amateur voices, 20
# languages, recorded at 44.1 kHz) becomes the test split of those corpora.
klettres_split() { if ((rate > 16000)); then split=test; else split=train; fi; }

for p in "${pkgs[@]}"; do
  r=${root_of[$p]}
  case $p in
    asterisk-core-sounds-*)
      vdirs=("$r"/usr/share/asterisk/sounds/*/)
      [[ ${#vdirs[@]} -eq 1 && -d ${vdirs[0]} ]] || die "expected one voice directory under /usr/share/asterisk/sounds in package $p"
      vdir=${vdirs[0]%/}
      voice=$(basename -- "$vdir")
      find "$vdir" -type f -name '*.g722' | sort | while read -r f; do
        rel=${f#"$vdir"/}; stem=${rel%.g722}
        [[ $stem =~ $asterisk_nonspeech ]] && continue
        printf '%s\t%s.wav\t%s\n' "$f" "${stem//\//_}" "$voice"
      done | add_jobs "$p" asterisk_split ;;
    fillets-ng-data-*)
      lang=${p#fillets-ng-data-}; base="$r/usr/share/games/fillets-ng/sound"
      # Dialogue files live in <level>/<lang>/; "m" / "v" in the dash-separated
      # name marks the small / big fish, anything else is a side character.
      find "$base" -path "*/$lang/*.ogg" -type f | sort | while read -r f; do
        level=${f%/*/*}; level=${level##*/}; name=${f##*/}; name=${name%.ogg}
        who=other
        case "-$name-" in *-m-*) who=m ;; *-v-*) who=v ;; esac
        printf '%s\t%s_%s.wav\t%s:%s\n' "$f" "$level" "$name" "$lang" "$who"
      done | add_jobs "$p" fillets_split ;;
    klettres-data)
      base="$r/usr/share/klettres"
      find "$base" -mindepth 3 -maxdepth 3 -type f -name '*.ogg' \( -path '*/alpha/*' -o -path '*/syllab/*' \) | sort | while read -r f; do
        rel=${f#"$base"/}; lang=${rel%%/*}
        stem=${rel%.ogg}; printf '%s\t%s.wav\t%s\n' "$f" "${stem//\//_}" "$lang"
      done | add_jobs "$p" klettres_split ;;
    ktuberling-data)
      base="$r/usr/share/ktuberling/sounds"
      find "$base" -mindepth 2 -maxdepth 2 -type f \( -name '*.ogg' -o -name '*.wav' -o -name '*.opus' \) | sort | while read -r f; do
        rel=${f#"$base"/}; lang=${rel%%/*}
        stem=${rel%.*}; printf '%s\t%s.wav\t%s\n' "$f" "${stem//\//_}" "$lang"
      done | add_jobs "$p" train_split ;;
    *) die "no selection rule for package $p" ;;
  esac >>"$jobs_tsv.tmp"
done
[[ -s $jobs_tsv.tmp ]] || die "no source files found in the unpacked packages under $roots"

# Byte-identical sources within a package (e.g. ktuberling's four Serbian
# variants, fillets lines reused in two levels) are kept once: the first path.
cut -f3 "$jobs_tsv.tmp" | tr '\n' '\0' | xargs -0 md5sum | awk '{print $1}' >"$jobs_tsv.md5"
paste "$jobs_tsv.tmp" "$jobs_tsv.md5" | awk -F'\t' -v OFS='\t' '
  { key = $2 SUBSEP $6; if (key in seen) { dup++; next } seen[key] = 1; print $1, $2, $3, $4, $5 }
  END { printf "%d duplicate source files skipped\n", dup > "/dev/stderr" }' >"$jobs_tsv"
rm -f -- "$jobs_tsv.tmp" "$jobs_tsv.md5"
dups=$(awk -F'\t' '++n[$4] == 2 { print $4 }' "$jobs_tsv")
[[ -z $dups ]] || die "output name collision (selection rules bug): $dups"
log "$(wc -l <"$jobs_tsv") source files from ${#pkgs[@]} packages: ${pkgs[*]}"

# Remove outputs the current rules no longer produce (e.g. after a split
# change) and leftovers of interrupted runs; only our own file kinds.
find "$out" -name '*.part' -type f -delete
expected="$cache/expected.txt"; cut -f4 "$jobs_tsv" | sort >"$expected"
stale=$( (cd -- "$out" && find train validation test -type f -name '*.wav' 2>/dev/null || true) | sort | comm -23 - "$expected")
if [[ -n $stale ]]; then
  log "removing $(printf '%s\n' "$stale" | wc -l) outputs no longer produced by the rules"
  (cd -- "$out" && printf '%s\n' "$stale" | tr '\n' '\0' | xargs -0 rm -f --)
fi
find "$out"/{train,validation,test} -type d -empty -delete 2>/dev/null || true

# ------------------------------------------------------------------ decode ---
results="$cache/results.tsv"; : >"$results"
log "decoding with $jobs parallel jobs into $out (files already there are kept)"
cut -f1-4 "$jobs_tsv" | xargs -d '\n' -n 1 -P "$jobs" "$worker" "$out" >>"$results"

nfail=$(awk -F'\t' '$1 == "fail"' "$results" | wc -l)
if ((nfail > 0)); then
  awk -F'\t' '$1 == "fail" { print "  " $6 }' "$results" | head -n 20 >&2
  die "$nfail files failed to decode (first ones above); fix and re-run, finished files are kept"
fi
nres=$(wc -l <"$results"); njobs=$(wc -l <"$jobs_tsv")
((nres == njobs)) || die "worker reported $nres results for $njobs files; re-run"

# --------------------------------------------------------------- manifests ---
lic_table=$(for p in "${pkgs[@]}"; do printf '%s\t%s\t%s\n' "$p" "${licence_of[$p]}" "${version_of[$p]}"; done)
{
  printf 'split\tpackage\tpath\tseconds\tsample_rate\tlicence\n'
  awk -F'\t' -v OFS='\t' 'NR == FNR { lic[$1] = $2; next }
    $1 == "ok" { print $2, $3, $4, $5, '"$rate"', lic[$3] }' <(printf '%s\n' "$lic_table") "$results" | sort -t$'\t' -k1,1 -k2,2 -k3,3
} >"$out/manifest.tsv.tmp" && mv -f -- "$out/manifest.tsv.tmp" "$out/manifest.tsv"

# Where each file came from, so that other speaker splits stay possible.
{
  printf 'path\tpackage\tversion\tsource\tvoice\tnative_rate\n'
  awk -F'\t' -v OFS='\t' -v roots="$roots/" '
    FILENAME == ARGV[1] { ver[$1] = $3; next }
    FILENAME == ARGV[2] { if ($1 == "ok") rate[$4] = $6; next }
    ($4 in rate) { src = $3; sub("^" roots "[^/]*", "", src); print $4, $2, ver[$2], src, $5, rate[$4] }' \
    <(printf '%s\n' "$lic_table") "$results" "$jobs_tsv" | sort
} >"$out/provenance.tsv"

{
  printf 'split\tpackage\tpath\tseconds\treason\n'
  awk -F'\t' -v OFS='\t' '$1 == "drop" { print $2, $3, $4, $5, $6 }' "$results" | sort
} >"$out/dropped.tsv"

{
  printf 'split\tpackage\tfiles\tseconds\thours\tbytes\tlicence\n'
  awk -F'\t' -v OFS='\t' 'NR > 1 { k = $1 "\t" $2; n[k]++; s[k] += $4; lic[k] = $6 }
    END { for (k in n) printf "%s\t%d\t%.1f\t%.3f\t%d\t%s\n", k, n[k], s[k], s[k] / 3600, s[k] * 2 * '"$rate"' + 44 * n[k], lic[k] }' \
    "$out/manifest.tsv" | sort
} >"$out/summary.tsv"

cat >"$out/README.txt" <<EOF
Generated by phasegrad scripts/fetch-corpus.sh; do not edit or commit.
$rate Hz mono 16-bit PCM WAV, leading/trailing silence trimmed (-50 dBFS peak,
50 ms kept), files < 0.5 s and sources below $rate Hz dropped, levels untouched.
manifest.tsv: split, package, path, seconds, sample_rate, licence.
provenance.tsv: source file inside each Debian package and voice group.
dropped.tsv: files left out and why.  licences/: each package's copyright file.
EOF

log "done. per split:"
awk -F'\t' 'NR > 1 { n[$1] += $3; s[$1] += $4 } END { for (k in n) printf "  %-10s %6d files %7.2f h\n", k, n[k], s[k] / 3600 }' \
  "$out/summary.tsv" | sort >&2
log "dropped: $(($(wc -l <"$out/dropped.tsv") - 1)) files (see dropped.tsv)"

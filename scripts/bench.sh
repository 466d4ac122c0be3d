#!/usr/bin/env bash
# Benchmark `candor build` on synthetic sites made by examples/gen.rs, in
# both of its profiles: "light" (short updates and narratives; SIZE
# incidents and 200 maintenance windows) and "realistic" (content shaped
# like a large provider's history; SIZE items, 80% incidents and 20%
# maintenance; see examples/gen/realistic.rs).
#
#   scripts/bench.sh                  # both profiles at 1,000 and 10,000
#   scripts/bench.sh 1000 10000 50000 # other sizes
#   BENCH_PROFILES=realistic BENCH_RUNS=3 scripts/bench.sh 10000
#   BENCH_RUNS=9 BENCH_TMPFS=0 scripts/bench.sh 10000
#
# When a `zola` binary is on PATH, the same content (each incident and
# maintenance as a Markdown page with its updates, minimal templates) is
# also built with Zola into tmpfs, as a side-by-side column for scale; the
# column is left out otherwise.
#
# Environment (all optional):
#   BENCH_SIZES       sizes when no arguments are given             [1000 10000]
#   BENCH_PROFILES    generator profiles, in order (spaces or commas)
#                                                      [light realistic]
#   BENCH_COMPONENTS  components per site                           [200]
#   BENCH_REGIONS     regions per site                              [60]
#   BENCH_SEED        generator seed                                [42]
#   BENCH_END         generator --end date; the build's --now is its
#                     midnight UTC                                  [2026-11-01]
#   BENCH_RUNS        timed builds per size and target              [5]
#   BENCH_WARMUP      untimed builds before them                    [1]
#   BENCH_TMPFS       1: also build into /dev/shm (if tmpfs), 0: not [1]
#   BENCH_DIR         scratch folder           [<cargo target dir>/bench]
#
# Generated sites are kept in $BENCH_DIR/sites and reused when the generator's
# arguments and source are unchanged. Builds run from a copy of the binaries,
# so a concurrent `cargo build` cannot swap them mid-benchmark.
#
# Needs the Rust toolchain and GNU time (/usr/bin/time). Prints a Markdown
# table for the README, the machine, and the exact commands.

set -euo pipefail

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

case "${1:-}" in
-h | --help) usage; exit 0 ;;
esac

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
[[ -f Cargo.toml && -f examples/gen.rs ]] || die "run from a Candor checkout ($repo has no Cargo.toml or examples/gen.rs)"

# ----------------------------------------------------------------- settings

if (($# > 0)); then
    sizes=("$@")
else
    read -r -a sizes <<<"${BENCH_SIZES:-1000 10000}"
fi
read -r -a profiles <<<"${BENCH_PROFILES:-light realistic}"
[[ ${#profiles[@]} == 1 && ${profiles[0]} == *,* ]] && IFS=, read -r -a profiles <<<"${profiles[0]}"
((${#profiles[@]} > 0)) || die "BENCH_PROFILES is empty"
for p in "${profiles[@]}"; do
    [[ $p == light || $p == realistic ]] || die "BENCH_PROFILES: unknown profile '$p' (light or realistic)"
done
zola=$(command -v zola 2>/dev/null || true)
components=${BENCH_COMPONENTS:-200}
regions=${BENCH_REGIONS:-60}
seed=${BENCH_SEED:-42}
end=${BENCH_END:-2026-11-01}
runs=${BENCH_RUNS:-5}
warmup=${BENCH_WARMUP:-1}
use_tmpfs=${BENCH_TMPFS:-1}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
((${#sizes[@]} > 0)) || die "no sizes given"
for n in "${sizes[@]}"; do
    is_uint "$n" && ((10#$n > 0)) || die "size '$n' is not a positive integer (usage: scripts/bench.sh [INCIDENTS...])"
done
for v in components regions runs; do
    is_uint "${!v}" && ((10#${!v} > 0)) || die "BENCH_${v^^}='${!v}' must be a positive integer"
done
is_uint "$seed" || die "BENCH_SEED='$seed' must be a non-negative integer"
is_uint "$warmup" || die "BENCH_WARMUP='$warmup' must be a non-negative integer"
[[ $end =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "BENCH_END='$end' must be a date YYYY-MM-DD"
[[ $use_tmpfs == [01] ]] || die "BENCH_TMPFS='$use_tmpfs' must be 0 or 1"
now="${end}T00:00:00Z"
loadavg_before=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="${loadavg_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }' 2>/dev/null; then
    note "load average is $loadavg_before on $(nproc) CPUs: other work may skew the numbers (see the spread in the details)"
fi

# ------------------------------------------------------------------- tools

command -v cargo >/dev/null || die "cargo not found: install the Rust toolchain (https://rustup.rs)"
command -v rustc >/dev/null || die "rustc not found: install the Rust toolchain (https://rustup.rs)"

if ! command -v /usr/bin/time >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        note "/usr/bin/time is missing; installing GNU time with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y time >&2 ||
            { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y time >&2; } ||
            die "could not install GNU time"
    else
        die "/usr/bin/time (GNU time) is missing: install it, e.g. 'sudo apt-get install time' (Debian/Ubuntu) or 'sudo dnf install time' (Fedora)"
    fi
fi
/usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null ||
    die "/usr/bin/time does not accept -f/-o; GNU time is needed (apt-get install time)"

# ---------------------------------------------------------- scratch folders

target_dir=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    grep -o '"target_directory":"[^"]*"' | head -n1 | cut -d'"' -f4) || true
[[ -n $target_dir ]] || target_dir=${CARGO_TARGET_DIR:-$repo/target}
bench=${BENCH_DIR:-$target_dir/bench}
mkdir -p "$bench/sites" "$bench/out" "$bench/bin" "$bench/tmp"
bench=$(cd "$bench" && pwd)

# One benchmark at a time: two would share output folders and skew each other.
if command -v flock >/dev/null; then
    exec 9>"$bench/.lock"
    flock -n 9 || die "another scripts/bench.sh is running (lock $bench/.lock)"
fi

shm=""
if [[ $use_tmpfs == 1 ]]; then
    if [[ -d /dev/shm && -w /dev/shm ]] && [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]]; then
        shm="/dev/shm/candor-bench-$(id -u)"
    else
        note "/dev/shm is not a writable tmpfs: skipping the tmpfs runs"
    fi
fi

# Builds stage into <parent>/.site.candor-new-<pid> and move the old site to
# .site.candor-old-<pid>; a killed build leaves those behind. Every output
# folder lives alone in a parent we own, so sweep them before each build.
sweep_staging() {
    local parent=$1
    [[ -d $parent ]] || return 0
    find "$parent" -mindepth 1 -maxdepth 1 -name '.site.candor-*' -exec rm -rf -- {} + 2>/dev/null || true
}

cleanup() {
    local d
    for d in "$bench"/out/*/; do
        [[ -d $d ]] && sweep_staging "$d"
    done
    rm -rf -- "$bench/tmp"/* 2>/dev/null || true
    [[ -n $shm ]] && rm -rf -- "$shm"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cleanup # leftovers of an interrupted earlier run
[[ -n $shm ]] && mkdir -p "$shm"

# ------------------------------------------------------------------ helpers

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -n1; }
maximum() { sort -g | tail -n1; }
secs() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
group3() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/' -e 'ta' <<<"$1"; }
spread() { # "min max median" -> percent (max-min)/median
    awk -v lo="$1" -v hi="$2" -v med="$3" 'BEGIN { printf "%.0f%%", (med > 0) ? 100 * (hi - lo) / med : 0 }'
}

# run_timed TIMEFILE LOGFILE CMD...: runs CMD under GNU time, appends
# "<wall s> <peak RSS KiB> <user s> <sys s>" to TIMEFILE; a failure prints
# the log and stops.
run_timed() {
    local tf=$1 log=$2 one="$bench/tmp/time.$$"
    shift 2
    if ! /usr/bin/time -f '%e %M %U %S' -o "$one" "$@" >"$log" 2>&1; then
        printf '\nbench: FAILED: %s\n' "$*" >&2
        sed 's/^/    /' "$log" >&2
        [[ -f $one ]] && sed 's/^/    /' "$one" >&2
        exit 1
    fi
    tail -n1 "$one" >>"$tf"
}

# ------------------------------------------------------------------- build

note "building release binaries (cargo build --release --bin candor --example gen)"
cargo build --release --bin candor --example gen >&2 || die "cargo build failed"
[[ -x $target_dir/release/candor && -x $target_dir/release/examples/gen ]] ||
    die "built binaries not found under $target_dir/release"
cp -f -- "$target_dir/release/candor" "$bench/bin/candor"
cp -f -- "$target_dir/release/examples/gen" "$bench/bin/gen"
candor=$bench/bin/candor
gen=$bench/bin/gen

gen_digest=$(cat examples/gen.rs examples/gen/*.rs | sha256sum | cut -c1-16)
src_digest=$(find src Cargo.toml Cargo.lock templates -type f -print0 2>/dev/null | LC_ALL=C sort -z |
    xargs -0 sha256sum | sha256sum | cut -c1-12)
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ $git_rev != "no commit" ]] && [[ -n $(git status --porcelain -- src Cargo.toml Cargo.lock templates 2>/dev/null) ]]; then
    git_rev="$git_rev+dirty"
fi

# -------------------------------------------------------------- the sites

# gen_args PROFILE N: the generator's arguments for a site of size N.
gen_args() {
    case $1 in
    light) printf '%s\n' --incidents "$2" ;;
    realistic) printf '%s\n' --profile realistic --items "$2" ;;
    esac
    printf '%s\n' --components "$components" --regions "$regions" --seed "$seed" --end "$end"
}

# site_for PROFILE N: prints the folder of a generated site of size N, making
# it if needed (into a temporary folder first, so a half-written one is never
# reused).
site_for() {
    local profile=$1 n=$2 key dir stamp want args
    mapfile -t args < <(gen_args "$profile" "$n")
    key="$profile-$n-c$components-r$regions-s$seed-e$end"
    dir="$bench/sites/$key"
    stamp="$dir/.bench-params"
    want="gen ${args[*]}; gen.rs $gen_digest"
    if [[ -f $stamp && $(<"$stamp") == "$want" ]]; then
        note "reusing $dir"
    else
        note "generating: gen ${args[*]} $dir"
        rm -rf -- "$dir" "$dir.partial" "$dir.zola"
        "$gen" "${args[@]}" "$dir.partial" >&2 || die "gen failed for $profile $n"
        printf '%s\n' "$want" >"$dir.partial/.bench-params"
        mv -- "$dir.partial" "$dir"
    fi
    printf '%s\n' "$dir"
}

# zola_site_for SITE: prints a Zola site with the same incidents and
# maintenance as SITE (each a page: its title, its updates as sections, its
# narrative), made once per generated site.
zola_site_for() {
    local site=$1 dir="$1.zola" f kind
    if [[ ! -f $dir/.done ]]; then
        rm -rf -- "$dir"
        mkdir -p "$dir/templates" "$dir/content/incidents" "$dir/content/maintenance"
        printf '%s\n' 'base_url = "https://status.synthetic.example"' 'title = "Synthetic Cloud Status"' \
            'compile_sass = false' 'build_search_index = false' >"$dir/config.toml"
        printf '%s\n' '<!doctype html><title>{{ config.title }}</title><ul>' \
            '{% set s = get_section(path="incidents/_index.md") %}{% for p in s.pages | slice(end=50) %}' \
            '<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>' >"$dir/templates/index.html"
        printf '%s\n' '<!doctype html><title>{{ section.title }}</title><ul>{% for p in section.pages %}' \
            '<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.date }}</li>{% endfor %}</ul>' >"$dir/templates/section.html"
        printf '%s\n' '<!doctype html><title>{{ page.title }}</title><h1>{{ page.title }}</h1>' \
            '<p>{{ page.date }}</p>{{ page.content | safe }}' >"$dir/templates/page.html"
        for kind in incidents maintenance; do
            printf '+++\ntitle = "%s"\nsort_by = "date"\n+++\n' "$kind" >"$dir/content/$kind/_index.md"
            for f in "$site/content/$kind"/*.md; do
                awk '
                    BEGIN { fm = 0 }
                    /^\+\+\+$/ { fm++; if (fm == 2) { print "+++"; print body; } next }
                    fm == 1 && /^title = / { print "+++"; print; next }
                    fm == 1 && /^(started|scheduled_start) = / { sub(/^[a-z_]+ = /, "date = "); print; next }
                    fm == 1 && /^at = / { body = body "\n### " $3 "\n"; next }
                    fm == 1 && /^body = """/ { inb = 1; next }
                    fm == 1 && inb && /^"""/ { inb = 0; next }
                    fm == 1 && inb { body = body "\n" $0; next }
                    fm >= 2 { print }
                ' "$f" >"$dir/content/$kind/${f##*/}"
            done
        done
        : >"$dir/.done"
    fi
    printf '%s\n' "$dir"
}

# ------------------------------------------------------------- measurement

rows=()
details=()
cmd_examples=()

for profile in "${profiles[@]}"; do
for n in "${sizes[@]}"; do
    n=$((10#$n))
    tag="$profile-$n"
    site=$(site_for "$profile" "$n")

    # Valid? (errors fail the benchmark; warnings are shown)
    log="$bench/tmp/check.log"
    if ! "$candor" check --root "$site" --now "$now" >"$log" 2>&1; then
        printf '\nbench: the generated site is INVALID: candor check --root %q --now %s\n' "$site" "$now" >&2
        sed 's/^/    /' "$log" | head -n 60 >&2
        die "examples/gen.rs produced content that candor rejects (fix the generator or candor)"
    fi
    summary=$(tail -n1 "$log")
    note "check: $summary"
    if [[ ! $summary =~ \ 0\ warnings$ ]]; then
        note "WARNING: the generated site has warnings; numbers include printing them"
        head -n 20 "$log" >&2
    fi

    # check alone (load + validate, no render, no writes)
    ctimes="$bench/tmp/check.$tag.times"
    : >"$ctimes"
    for ((i = 0; i < runs; i++)); do
        run_timed "$ctimes" "$log" "$candor" check --root "$site" --now "$now"
    done
    check_med=$(cut -d' ' -f1 "$ctimes" | median)

    targets=("disk:$bench/out/$tag")
    [[ -n $shm ]] && targets+=("tmpfs:$shm/$tag")

    declare -A med=() lo=() rss=()
    cpu_fresh=""
    for t in "${targets[@]}"; do
        kind=${t%%:*}
        parent=${t#*:}
        out="$parent/site"
        mkdir -p "$parent"
        if [[ $kind == tmpfs && -d $bench/out/$tag/site ]]; then
            # old and new output coexist during the swap
            need=$(($(du -sk "$bench/out/$tag/site" | cut -f1) * 3))
            avail=$(df -Pk "$shm" | awk 'NR == 2 { print $4 }')
            if ((avail < need)); then
                note "not enough room in /dev/shm for $tag (${avail} KiB free, need ~${need} KiB): skipping tmpfs"
                continue
            fi
        fi
        build=("$candor" build --root "$site" --output "$out" --now "$now" --full)
        cmd_examples+=("$(printf '%q ' "${build[@]}" | sed 's/ $//')")
        times="$bench/tmp/build.$kind.$tag.times"
        : >"$times"
        blog="$bench/tmp/build.log"
        note "build $tag -> $kind: $warmup warm-up + $runs timed"
        for ((i = 0; i < warmup + runs; i++)); do
            sweep_staging "$parent"
            # Start each run with no write-back pending from the previous one
            # (untimed), so runs measure the build, not the backlog before it.
            sync
            if ((i < warmup)); then
                run_timed /dev/null "$blog" "${build[@]}"
            else
                run_timed "$times" "$blog" "${build[@]}"
            fi
        done
        sweep_staging "$parent"
        # One more, untimed, with the per-step wall times (the "prepare
        # pages" step is the status grid, matrix, uptime timelines and month
        # figures that the summary views are made of).
        if [[ $kind == "${targets[-1]%%:*}" ]]; then
            CANDOR_TIMINGS=1 "${build[@]}" >"$blog.steps" 2>&1 || true
            sweep_staging "$parent"
            details+=("$(printf '%16s, %-5s steps (CANDOR_TIMINGS=1; parallel channels overlap): %s' "$tag" "$kind" \
                "$(grep -E '^ *[0-9.]+ s  ' "$blog.steps" | sed 's/^ *//' | paste -sd ';' - | sed 's/;/; /g')")")
        fi
        walls=$(cut -d' ' -f1 "$times")
        med[$kind]=$(median <<<"$walls")
        lo[$kind]=$(minimum <<<"$walls")
        hi=$(maximum <<<"$walls")
        rss[$kind]=$(cut -d' ' -f2 "$times" | maximum)
        details+=("$(printf '%16s, %-5s: wall %s s (median %s, spread %s); peak RSS %s KiB; candor: %s' \
            "$tag" "$kind" "$(tr '\n' ' ' <<<"$walls" | sed 's/ $//')" "${med[$kind]}" \
            "$(spread "${lo[$kind]}" "$hi" "${med[$kind]}")" "$(cut -d' ' -f2 "$times" | maximum)" \
            "$(grep '^built ' "$blog" | tail -n1 | sed 's/ -> .*//')")")

        # The same build into an empty output (as on a fresh clone or in
        # CI): no previous site to set aside and delete.
        if [[ $kind == tmpfs ]]; then
            ftimes="$bench/tmp/build.fresh.$tag.times"
            : >"$ftimes"
            note "build $tag -> empty $kind output: $runs timed"
            for ((i = 0; i < runs; i++)); do
                rm -rf -- "$out"
                sweep_staging "$parent"
                sync
                run_timed "$ftimes" "$blog" "${build[@]}"
            done
            fwalls=$(cut -d' ' -f1 "$ftimes")
            med[fresh]=$(median <<<"$fwalls")
            lo[fresh]=$(minimum <<<"$fwalls")
            rss[fresh]=$(cut -d' ' -f2 "$ftimes" | maximum)
            cpu_fresh=$(awk '{ print $3 + $4 }' "$ftimes" | median)
            details+=("$(printf '%16s, %-5s, empty output: wall %s s (median %s); peak RSS %s KiB' \
                "$tag" "$kind" "$(tr '\n' ' ' <<<"$fwalls" | sed 's/ $//')" "${med[fresh]}" "${rss[fresh]}")")

            # Incremental: after one incident changed, a build into the
            # folder of the previous one (which takes unchanged files from
            # it). On a copy of the site, each run changing another incident.
            isite="$parent/edited-site"
            rm -rf -- "$isite"
            cp -r -- "$site" "$isite"
            ibuild=("$candor" build --root "$isite" --output "$out" --now "$now")
            run_timed /dev/null "$blog" "${ibuild[@]}"
            itimes="$bench/tmp/build.incremental.$tag.times"
            : >"$itimes"
            note "build $tag -> $kind after one incident changed: $runs timed"
            mapfile -t incidents < <(find "$isite/content/incidents" -name '*.md' | LC_ALL=C sort | head -n "$runs")
            for ((i = 0; i < runs; i++)); do
                printf '\nOne more sentence, run %s.\n' "$i" >>"${incidents[$i]}"
                sync
                run_timed "$itimes" "$blog" "${ibuild[@]}"
            done
            rm -rf -- "$isite"
            iwalls=$(cut -d' ' -f1 "$itimes")
            med[incremental]=$(median <<<"$iwalls")
            lo[incremental]=$(minimum <<<"$iwalls")
            details+=("$(printf '%16s, %-5s, one incident changed: wall %s s (median %s); candor: %s' \
                "$tag" "$kind" "$(tr '\n' ' ' <<<"$iwalls" | sed 's/ $//')" "${med[incremental]}" \
                "$(grep '^built ' "$blog" | tail -n1 | sed 's/ -> .*//')")")

            # For scale: copying the finished output (every file and folder
            # created, nothing rendered) within tmpfs, one process.
            copy="$parent/copy"
            ptimes="$bench/tmp/copy.$tag.times"
            : >"$ptimes"
            note "copy the $tag output within $kind: $runs timed"
            for ((i = 0; i < runs; i++)); do
                rm -rf -- "$copy"
                sync
                run_timed "$ptimes" "$bench/tmp/copy.log" cp -r -- "$out" "$copy"
            done
            rm -rf -- "$copy"
            pwalls=$(cut -d' ' -f1 "$ptimes")
            med[copy]=$(median <<<"$pwalls")
            lo[copy]=$(minimum <<<"$pwalls")
            details+=("$(printf '%16s, %-5s, cp -r of the output: wall %s s (median %s)' \
                "$tag" "$kind" "$(tr '\n' ' ' <<<"$pwalls" | sed 's/ $//')" "${med[copy]}")")
            # Zola, for scale: the same incidents and maintenance as pages.
            if [[ -n $zola ]]; then
                zsite=$(zola_site_for "$site")
                zout="$parent/zola"
                ztimes="$bench/tmp/zola.$tag.times"
                : >"$ztimes"
                note "zola build of the $tag content -> $kind: $runs timed"
                for ((i = 0; i < runs; i++)); do
                    rm -rf -- "$zout"
                    sync
                    run_timed "$ztimes" "$bench/tmp/zola.log" "$zola" --root "$zsite" build --output-dir "$zout"
                done
                rm -rf -- "$zout"
                zwalls=$(cut -d' ' -f1 "$ztimes")
                med[zola]=$(median <<<"$zwalls")
                lo[zola]=$(minimum <<<"$zwalls")
                details+=("$(printf '%16s, %-5s, zola build: wall %s s (median %s); peak RSS %s KiB' \
                    "$tag" "$kind" "$(tr '\n' ' ' <<<"$zwalls" | sed 's/ $//')" "${med[zola]}" "$(cut -d' ' -f2 "$ztimes" | maximum)")")
            fi
        fi

        if [[ $kind == disk ]]; then
            files=$(find "$out" -type f | wc -l)
            bytes=$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
            du_b=$(du -sb "$out" | cut -f1)
            human=$(du -sh "$out" | cut -f1)
            details+=("$(printf '%16s, output: %s files, %s bytes in files, du -sb %s, du -sh %s' \
                "$tag" "$files" "$bytes" "$du_b" "$human")")
        fi
    done
    details+=("$(printf '%16s, check: wall %s s' "$tag" "$(cut -d' ' -f1 "$ctimes" | tr '\n' ' ' | sed 's/ $//')")")

    peak=0
    for k in "${!rss[@]}"; do ((rss[$k] > peak)) && peak=${rss[$k]}; done
    cell_disk="$(secs "${med[disk]}") ($(secs "${lo[disk]}"))"
    if [[ -n ${med[tmpfs]:-} ]]; then
        cell_tmpfs="$(secs "${med[tmpfs]}") ($(secs "${lo[tmpfs]}"))"
        cell_fresh="$(secs "${med[fresh]}") ($(secs "${lo[fresh]}"))"
        cell_copy="$(secs "${med[copy]}") ($(secs "${lo[copy]}"))"
        cell_incremental="$(secs "${med[incremental]}") ($(secs "${lo[incremental]}"))"
    else
        cell_incremental="–"
        cell_tmpfs="–"
        cell_fresh="–"
        cell_copy="–"
    fi
    cell_cpu="–"
    [[ -n $cpu_fresh ]] && cell_cpu=$(secs "$cpu_fresh")
    cell_zola=""
    if [[ -n $zola ]]; then
        cell_zola=" –"
        [[ -n ${med[zola]:-} ]] && cell_zola=" $(secs "${med[zola]}") ($(secs "${lo[zola]}")) |"
    fi
    rows+=("| $profile | $(group3 "$n") | $(group3 "$files") | $(mib "$bytes") (du -sh $human) | $(secs "$check_med") | $cell_disk | $cell_tmpfs | $cell_fresh | $cell_cpu | $cell_incremental | $cell_copy |$cell_zola $(kib_to_mib "$peak") |")
    unset med lo rss
done
done

# ------------------------------------------------------------------ report

cpu=$(grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') || true
[[ -n $cpu ]] || cpu=$(uname -m)
mem=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null) || true
fs=$(df -PT "$bench/out" | awk 'NR == 2 { print $2 }')
fs_note=""
if [[ $fs == ext4 ]]; then
    # Without a journal, ext4 checks each free inode it considers for a
    # recent deletion (fs/ext4/ialloc.c: find_inode_bit, recently_deleted);
    # creating tens of thousands of files can then cost more than rendering
    # them. Say so next to the numbers.
    dev=$(readlink -f "$(df -P "$bench/out" | awk 'NR == 2 { print $1 }')" 2>/dev/null) || dev=""
    jt="/sys/fs/ext4/${dev##*/}/journal_task"
    if [[ -n $dev && -r $jt && $(<"$jt") == "<none>" ]]; then
        fs_note="Note: the disk is ext4 *without a journal*. There the kernel checks each free inode it
considers for a recent deletion when creating a file (fs/ext4/ialloc.c: find_inode_bit,
recently_deleted), so creating the output's files costs much more system time than on a
journaled file system, and varies from run to run. The tmpfs column is the build itself."
    fi
fi

invocation="scripts/bench.sh ${sizes[*]}"
envs=()
[[ ${profiles[*]} != "light realistic" ]] && envs+=("BENCH_PROFILES=${profiles[*]// /,}")
[[ $components != 200 ]] && envs+=("BENCH_COMPONENTS=$components")
[[ $regions != 60 ]] && envs+=("BENCH_REGIONS=$regions")
[[ $seed != 42 ]] && envs+=("BENCH_SEED=$seed")
[[ $end != 2026-11-01 ]] && envs+=("BENCH_END=$end")
[[ $runs != 5 ]] && envs+=("BENCH_RUNS=$runs")
[[ $warmup != 1 ]] && envs+=("BENCH_WARMUP=$warmup")
[[ $use_tmpfs != 1 ]] && envs+=("BENCH_TMPFS=$use_tmpfs")
[[ -n ${RAYON_NUM_THREADS:-} ]] && envs+=("RAYON_NUM_THREADS=$RAYON_NUM_THREADS")
((${#envs[@]})) && invocation="${envs[*]} $invocation"

cat <<EOF

## Benchmark

Synthetic sites from \`examples/gen.rs\` ($components components x $regions regions, seed $seed):
"light" is SIZE incidents with short updates and 200 maintenance windows (\`--incidents SIZE\`),
"realistic" SIZE items, 80% incidents with ~10 updates of 20-60 words and a ~550-word narrative
each, 20% maintenance (\`--profile realistic --items SIZE\`). A full \`candor build --now $now --full\`,
$runs timed runs after $warmup warm-up,
warm page cache, \`sync\` before each run. Wall time is the median (fastest in brackets); peak RSS
is the largest of all timed builds. Output size is the sum of the files' sizes (du -sh, which
counts blocks and folders, in brackets). "disk" writes to $fs, "tmpfs" to /dev/shm, each over
the previous build's output (which is set aside and deleted once the new one is in place);
"tmpfs, empty" into an output folder that does not exist yet. \`check\` = load and validate only.
"\`cp -r\`, tmpfs" copies the finished output within tmpfs (one process, nothing rendered): the
cost of creating the same files and folders, for scale. "one incident changed" is an incremental
\`candor build\` (no \`--full\`) into the tmpfs output of the previous build after one line was
added to one incident's narrative (another incident each run). CPU is user+sys time of the "tmpfs, empty"
builds (median), steadier than wall time on a shared machine.$([[ -n $zola ]] && printf '%s' "
\`zola build\` builds the same incidents and maintenance as Zola pages (updates and narrative as
Markdown, minimal templates; $("$zola" --version 2>/dev/null)) into tmpfs, for scale.")

EOF
if [[ -n $zola ]]; then
    echo "| Profile | Size | Output files | Output size | \`check\` | \`build\`, disk | \`build\`, tmpfs | \`build\`, tmpfs, empty | CPU (user+sys), tmpfs, empty | one incident changed, tmpfs | \`cp -r\`, tmpfs | \`zola build\`, tmpfs | Peak RSS |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
else
    echo "| Profile | Size | Output files | Output size | \`check\` | \`build\`, disk | \`build\`, tmpfs | \`build\`, tmpfs, empty | CPU (user+sys), tmpfs, empty | one incident changed, tmpfs | \`cp -r\`, tmpfs | Peak RSS |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${rows[@]}"
if [[ -n $fs_note ]]; then printf '\n%s\n' "$fs_note"; fi
cat <<EOF

Machine: $cpu, $(nproc) CPUs (nproc), ${mem:-? GiB} RAM, $(uname -sr); $(rustc -V).
Candor $($candor --version 2>/dev/null | awk '{ print $2 }') ($git_rev, sources $src_digest).
Load average before/after: $loadavg_before / $(cut -d' ' -f1-3 /proc/loadavg).

Command: \`$invocation\`
EOF
echo
echo "Per-run details:"
printf '  %s\n' "${details[@]}"
echo
echo "Builds timed:"
printf '  /usr/bin/time -f "%%e %%M %%U %%S" %s\n' "${cmd_examples[@]}"

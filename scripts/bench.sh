#!/usr/bin/env bash
# Benchmark `candor build` on synthetic sites made by examples/gen.rs.
#
#   scripts/bench.sh                  # 1,000 and 10,000 incidents
#   scripts/bench.sh 1000 10000 50000 # other sizes (incident counts)
#   BENCH_RUNS=9 BENCH_TMPFS=0 scripts/bench.sh 10000
#
# Environment (all optional):
#   BENCH_SIZES       incident counts when no arguments are given   [1000 10000]
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
# "<wall s> <peak RSS KiB>" to TIMEFILE; a failure prints the log and stops.
run_timed() {
    local tf=$1 log=$2 one="$bench/tmp/time.$$"
    shift 2
    if ! /usr/bin/time -f '%e %M' -o "$one" "$@" >"$log" 2>&1; then
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

gen_digest=$(sha256sum examples/gen.rs | cut -c1-16)
src_digest=$(find src Cargo.toml Cargo.lock templates -type f -print0 2>/dev/null | LC_ALL=C sort -z |
    xargs -0 sha256sum | sha256sum | cut -c1-12)
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ $git_rev != "no commit" ]] && [[ -n $(git status --porcelain -- src Cargo.toml Cargo.lock templates 2>/dev/null) ]]; then
    git_rev="$git_rev+dirty"
fi

# -------------------------------------------------------------- the sites

# site_for N: prints the folder of a generated site with N incidents, making it
# if needed (into a temporary folder first, so a half-written one is never reused).
site_for() {
    local n=$1 key dir stamp want
    key="i$n-c$components-r$regions-s$seed-e$end"
    dir="$bench/sites/$key"
    stamp="$dir/.bench-params"
    want="gen --incidents $n --components $components --regions $regions --seed $seed --end $end; gen.rs $gen_digest"
    if [[ -f $stamp && $(<"$stamp") == "$want" ]]; then
        note "reusing $dir"
    else
        note "generating $n incidents x $components components x $regions regions into $dir"
        rm -rf -- "$dir" "$dir.partial"
        "$gen" --incidents "$n" --components "$components" --regions "$regions" \
            --seed "$seed" --end "$end" "$dir.partial" >&2 || die "gen failed for $n incidents"
        printf '%s\n' "$want" >"$dir.partial/.bench-params"
        mv -- "$dir.partial" "$dir"
    fi
    printf '%s\n' "$dir"
}

# ------------------------------------------------------------- measurement

rows=()
details=()
cmd_examples=()

for n in "${sizes[@]}"; do
    n=$((10#$n))
    site=$(site_for "$n")

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
    ctimes="$bench/tmp/check.$n.times"
    : >"$ctimes"
    for ((i = 0; i < runs; i++)); do
        run_timed "$ctimes" "$log" "$candor" check --root "$site" --now "$now"
    done
    check_med=$(cut -d' ' -f1 "$ctimes" | median)

    targets=("disk:$bench/out/i$n")
    [[ -n $shm ]] && targets+=("tmpfs:$shm/i$n")

    declare -A med=() lo=() rss=()
    for t in "${targets[@]}"; do
        kind=${t%%:*}
        parent=${t#*:}
        out="$parent/site"
        mkdir -p "$parent"
        if [[ $kind == tmpfs && -d $bench/out/i$n/site ]]; then
            # old and new output coexist during the swap
            need=$(($(du -sk "$bench/out/i$n/site" | cut -f1) * 3))
            avail=$(df -Pk "$shm" | awk 'NR == 2 { print $4 }')
            if ((avail < need)); then
                note "not enough room in /dev/shm for $n incidents (${avail} KiB free, need ~${need} KiB): skipping tmpfs"
                continue
            fi
        fi
        build=("$candor" build --root "$site" --output "$out" --now "$now")
        cmd_examples+=("$(printf '%q ' "${build[@]}" | sed 's/ $//')")
        times="$bench/tmp/build.$kind.$n.times"
        : >"$times"
        blog="$bench/tmp/build.log"
        note "build $n incidents -> $kind: $warmup warm-up + $runs timed"
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
            details+=("$(printf '%6s incidents, %-5s steps (CANDOR_TIMINGS=1; parallel channels overlap): %s' "$n" "$kind" \
                "$(grep -E '^ *[0-9.]+ s  ' "$blog.steps" | sed 's/^ *//' | paste -sd ';' - | sed 's/;/; /g')")")
        fi
        walls=$(cut -d' ' -f1 "$times")
        med[$kind]=$(median <<<"$walls")
        lo[$kind]=$(minimum <<<"$walls")
        hi=$(maximum <<<"$walls")
        rss[$kind]=$(cut -d' ' -f2 "$times" | maximum)
        details+=("$(printf '%6s incidents, %-5s: wall %s s (median %s, spread %s); peak RSS %s KiB; candor: %s' \
            "$n" "$kind" "$(tr '\n' ' ' <<<"$walls" | sed 's/ $//')" "${med[$kind]}" \
            "$(spread "${lo[$kind]}" "$hi" "${med[$kind]}")" "$(cut -d' ' -f2 "$times" | maximum)" \
            "$(grep '^built ' "$blog" | tail -n1 | sed 's/ -> .*//')")")

        # The same build into an empty output (as on a fresh clone or in
        # CI): no previous site to set aside and delete.
        if [[ $kind == tmpfs ]]; then
            ftimes="$bench/tmp/build.fresh.$n.times"
            : >"$ftimes"
            note "build $n incidents -> empty $kind output: $runs timed"
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
            details+=("$(printf '%6s incidents, %-5s, empty output: wall %s s (median %s); peak RSS %s KiB' \
                "$n" "$kind" "$(tr '\n' ' ' <<<"$fwalls" | sed 's/ $//')" "${med[fresh]}" "${rss[fresh]}")")

            # For scale: copying the finished output (every file and folder
            # created, nothing rendered) within tmpfs, one process.
            copy="$parent/copy"
            ptimes="$bench/tmp/copy.$n.times"
            : >"$ptimes"
            note "copy the $n-incident output within $kind: $runs timed"
            for ((i = 0; i < runs; i++)); do
                rm -rf -- "$copy"
                sync
                run_timed "$ptimes" "$bench/tmp/copy.log" cp -r -- "$out" "$copy"
            done
            rm -rf -- "$copy"
            pwalls=$(cut -d' ' -f1 "$ptimes")
            med[copy]=$(median <<<"$pwalls")
            lo[copy]=$(minimum <<<"$pwalls")
            details+=("$(printf '%6s incidents, %-5s, cp -r of the output: wall %s s (median %s)' \
                "$n" "$kind" "$(tr '\n' ' ' <<<"$pwalls" | sed 's/ $//')" "${med[copy]}")")
        fi

        if [[ $kind == disk ]]; then
            files=$(find "$out" -type f | wc -l)
            bytes=$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
            du_b=$(du -sb "$out" | cut -f1)
            human=$(du -sh "$out" | cut -f1)
            details+=("$(printf '%6s incidents, output: %s files, %s bytes in files, du -sb %s, du -sh %s' \
                "$n" "$files" "$bytes" "$du_b" "$human")")
        fi
    done
    details+=("$(printf '%6s incidents, check: wall %s s' "$n" "$(cut -d' ' -f1 "$ctimes" | tr '\n' ' ' | sed 's/ $//')")")

    peak=0
    for k in "${!rss[@]}"; do ((rss[$k] > peak)) && peak=${rss[$k]}; done
    cell_disk="$(secs "${med[disk]}") ($(secs "${lo[disk]}"))"
    if [[ -n ${med[tmpfs]:-} ]]; then
        cell_tmpfs="$(secs "${med[tmpfs]}") ($(secs "${lo[tmpfs]}"))"
        cell_fresh="$(secs "${med[fresh]}") ($(secs "${lo[fresh]}"))"
        cell_copy="$(secs "${med[copy]}") ($(secs "${lo[copy]}"))"
    else
        cell_tmpfs="–"
        cell_fresh="–"
        cell_copy="–"
    fi
    rows+=("| $(group3 "$n") | $(group3 "$files") | $(mib "$bytes") (du -sh $human) | $(secs "$check_med") | $cell_disk | $cell_tmpfs | $cell_fresh | $cell_copy | $(kib_to_mib "$peak") |")
    unset med lo rss
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

Synthetic sites from \`examples/gen.rs\` ($components components x $regions regions, seed $seed,
200 maintenance windows); a full \`candor build --now $now\`, $runs timed runs after $warmup warm-up,
warm page cache, \`sync\` before each run. Wall time is the median (fastest in brackets); peak RSS
is the largest of all timed builds. Output size is the sum of the files' sizes (du -sh, which
counts blocks and folders, in brackets). "disk" writes to $fs, "tmpfs" to /dev/shm, each over
the previous build's output (which is set aside and deleted once the new one is in place);
"tmpfs, empty" into an output folder that does not exist yet. \`check\` = load and validate only.
"\`cp -r\`, tmpfs" copies the finished output within tmpfs (one process, nothing rendered): the
cost of creating the same files and folders, for scale.

| Incidents | Output files | Output size | \`check\` | \`build\`, disk | \`build\`, tmpfs | \`build\`, tmpfs, empty | \`cp -r\`, tmpfs | Peak RSS |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
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
printf '  /usr/bin/time -f "%%e %%M" %s\n' "${cmd_examples[@]}"

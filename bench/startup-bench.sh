#!/usr/bin/env bash
# Start-up and memory of lo's commands, next to the floors measured in the same run:
#   - a plain Java main with an AOT cache,
#   - a minimal Quarkus command-mode + picocli app (bench/startup-floor/picocli), --help,
#   - the same + H2 + Agroal reading one row (bench/startup-floor/h2), same H2 URL options as lo,
# all built here with lo's JDK, packaging (aot-jar) and launcher options, each with its AOT cache.
# Every round runs every case once, interleaved, so a loaded machine slows floors and lo alike.
# Prints medians of wall clock, CPU (user+sys) and peak RSS, the ratio to the floor, the targets
# (issue 13 for runs/history, issue 25 for --help and memory), and the Quarkus start-up steps of `lo runs`.
#   bench/startup-bench.sh [ROUNDS]      (default 7; from anywhere in the checkout)
#   bench/startup-bench.sh --smoke       (one round of lo's cases and the plain Java main, on the current
#                                         build; no Quarkus floors (each a Maven build) and no serve: checks
#                                         the bench still runs, BenchSmokeIT runs it in the test suite)
# Env: BENCH_DIR (default target/startup-bench), LO_SKIP_BUILD=1 (use the current build as is).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
smoke=false
if [[ "${1:-}" == --smoke ]]; then
  smoke=true
  shift
  export LO_SKIP_BUILD=1
fi
rounds=${1:-7}
$smoke && rounds=1
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
work=$(realpath -m "${BENCH_DIR:-target/startup-bench}")
mkdir -p "$work"
# the launcher's options for a command (deploy/lo), for the floors too
opts=(-XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=16 -XX:+UseSerialGC -Xms16m -Xmn8m -XX:-UsePerfData -Xlog:disable -Xlog:all=off)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$java" -version 2>&1 | head -1)"

if [[ "${LO_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B package -DskipTests >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
fi
[[ -f cli/target/quarkus-app/lo.aot ]] || echo "warning: cli/target/quarkus-app/lo.aot missing: lo runs without an AOT cache" >&2

# ---- the floors (built once; rebuilt when their sources change)
build_floor() {
  local name=$1 dir="$work/floor-$1"
  if [[ ! -f "$dir/target/quarkus-app/lo.aot" || -n "$(find bench/startup-floor/"$name" -newer "$dir/target/quarkus-app/lo.aot" -type f)" ]]; then
    rm -rf "$dir" && cp -r "bench/startup-floor/$name" "$dir"
    (cd "$dir" && "$repo/mvnw" -q -B package -DskipTests) >"$work/floor-$name.log" 2>&1 || { tail -30 "$work/floor-$name.log"; exit 1; }
    FLOOR_DB="$work/train-db" "$java" "${opts[@]}" -DFLOOR_DB="$work/train-db" -XX:AOTCacheOutput="$dir/target/quarkus-app/lo.aot" \
      -jar "$dir/target/quarkus-app/quarkus-run.jar" >/dev/null 2>&1 || true
    FLOOR_DB="$work/train-db" "$java" "${opts[@]}" -XX:AOTCache="$dir/target/quarkus-app/lo.aot" \
      -jar "$dir/target/quarkus-app/quarkus-run.jar" --help >/dev/null 2>&1 || true
  fi
}
if ! $smoke; then
  build_floor picocli
  build_floor h2
fi
main_dir="$work/plain-main"
if [[ ! -f "$main_dir/main.aot" ]]; then
  mkdir -p "$main_dir"
  printf 'public class Main { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$main_dir/Main.java"
  "$JAVA_HOME/bin/javac" -d "$main_dir" "$main_dir/Main.java"
  (cd "$main_dir" && "$JAVA_HOME/bin/jar" --create --file main.jar --main-class Main Main.class)
  "$java" "${opts[@]}" -XX:AOTCacheOutput="$main_dir/main.aot" -jar "$main_dir/main.jar" >/dev/null 2>&1
fi

# ---- the cases: label | command (run from the repository root)
state="$work/state"
rm -rf "$state" && mkdir -p "$state"
export LO_STATE_DIR=$state
deploy/lo runs >/dev/null 2>&1 # creates and migrates the empty store, as a user's first command does
# Each case is a small script (in $work/cases) that execs one command, so the time and peak RSS
# measured are the JVM's own.
floor_cmd() { echo "\"$java\" ${opts[*]} -XX:AOTCache=$work/floor-$1/target/quarkus-app/lo.aot -DFLOOR_DB=$work/floor-db -jar $work/floor-$1/target/quarkus-app/quarkus-run.jar ${*:2}"; }
cases=("a plain Java main, AOT cache|\"$java\" ${opts[*]} -XX:AOTCache=$main_dir/main.aot -jar $main_dir/main.jar")
$smoke || cases+=(
  "floor: Quarkus command mode + picocli, --help|$(floor_cmd picocli --help)"
  "floor: the same + H2 + Agroal, reading one row|$(floor_cmd h2)"
)
cases+=(
  "lo --help|deploy/lo --help"
  "lo runs --help|deploy/lo runs --help"
  "lo history --help|deploy/lo history --help"
  "lo runs (empty store)|deploy/lo runs"
  "lo history --limit 50 (empty store)|deploy/lo history --limit 50"
  "lo provision --dry-run (sample spec, no Docker)|deploy/lo provision lok8s.dev --dry-run"
)
rm -rf "$work/cases" && mkdir -p "$work/cases"
for i in "${!cases[@]}"; do
  printf '#!/usr/bin/env bash\ncd %q\nexec %s\n' "$repo" "${cases[i]#*|}" >"$work/cases/$i.sh"
done

measure() { # index -> one line: label<TAB>wall<TAB>cpu<TAB>rss_kib<TAB>exit
  local label=${cases[$1]%%|*} script="$work/cases/$1.sh" out wall user sys rss code
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -o "$work/time.out" -f '%e %U %S %M %x' bash "$script" >/dev/null 2>&1 || true
    out=$(tail -1 "$work/time.out")
    read -r wall user sys rss code <<<"$out"
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')" "$rss" "$code"
  else # no GNU time: wall from date, peak RSS from VmHWM polled while it runs (the script execs java)
    local start end hwm=0 pid h
    start=$(date +%s%N)
    bash "$script" >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      h=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      (( ${h:-0} > hwm )) && hwm=$h
      sleep 0.01
    done
    wait "$pid" && code=0 || code=$?
    end=$(date +%s%N)
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", (b - a) / 1e9}')" "-" "$hwm" "$code"
  fi
}

serve_once() { # wall from launch to a ready health check, and RSS then
  local port=$((20000 + RANDOM % 20000)) start pid ready=-
  start=$(date +%s%N)
  deploy/lo serve --port "$port" >/dev/null 2>"$work/serve.err" &
  pid=$!
  for _ in $(seq 1 1200); do
    if curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then
      ready=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN{printf "%.2f", (b - a) / 1e9}')
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  local rss
  rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\n' "lo serve, launch to /q/health/ready" "$ready" "-" "$rss" 0
}

results="$work/results.tsv"
: >"$results"
for r in $(seq 1 "$rounds"); do
  for i in "${!cases[@]}"; do
    measure "$i" >>"$results"
  done
  $smoke || ! command -v curl >/dev/null || serve_once >>"$results"
  echo "round $r/$rounds done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
order, by = [], {}
for label, wall, cpu, rss, code in rows:
    if label not in by:
        order.append(label); by[label] = []
    by[label].append((wall, cpu, rss, code))
def med(xs):
    xs = [float(x) for x in xs if x not in ("-", "")]
    return statistics.median(xs) if xs else None
targets = {"lo --help": ("0.3 s", 0.3), "lo runs --help": ("0.3 s", 0.3), "lo history --help": ("0.3 s", 0.3),
           "lo runs (empty store)": ("0.8 s", 0.8), "lo history --limit 50 (empty store)": ("0.8 s", 0.8)}
def floors(i):
    return (med([x[i] for x in by.get("floor: Quarkus command mode + picocli, --help", [])]),
            med([x[i] for x in by.get("floor: the same + H2 + Agroal, reading one row", [])]))
floor_help, floor_row = floors(0)
cpu_help, cpu_row = floors(1)
print()
print("| what | wall (median) | CPU user+sys | peak RSS | wall vs floor | CPU vs floor | target | runs |")
print("|---|---|---|---|---|---|---|---|")
for label in order:
    v = by[label]
    wall, cpu, rss = med([x[0] for x in v]), med([x[1] for x in v]), med([x[2] for x in v])
    fails = sum(1 for x in v if x[3] not in ("0",))
    reads = "runs (empty" in label or "history --limit" in label or "dry-run" in label
    floor, cfloor = (floor_row, cpu_row) if reads else (floor_help, cpu_help)
    is_cli = label.startswith("lo") and "serve" not in label
    ratio = f"{wall / floor:.2f}x" if (is_cli and floor and wall) else ""
    cratio = f"{cpu / cfloor:.2f}x" if (is_cli and cfloor and cpu) else ""
    t = targets.get(label)
    tgt = f"<= {t[0]} wall, <= 100 MiB" if t else ("<= 100 MiB" if label.startswith("lo") and "serve" not in label else "")
    f = lambda x, u: "-" if x is None else (f"{x:.2f} s" if u == "s" else f"{x / 1024:.0f} MiB")
    print(f"| {label} | {f(wall, 's')} | {f(cpu, 's')} | {f(rss, 'k')} | {ratio} | {cratio} | {tgt} | {len(v)}{' (' + str(fails) + ' failed)' if fails else ''} |")
PY

echo
echo "Quarkus start-up steps of 'lo runs' (>= 5 ms, one run, -Dquarkus.debug.print-startup-times=true):"
LO_JAVA_OPTS="-Dquarkus.debug.print-startup-times=true -Dquarkus.log.level=INFO" deploy/lo runs 2>&1 \
  | grep -E 'Build step|started in' | sed -E 's/^.*(Build step|lo )/\1/' \
  | awk '/started in/ {print "  " $0; next} {ms=$NF; sub("ms","",ms); if (ms+0 >= 5) print "  " $0}'

#!/usr/bin/env bash
# Where the time of one lo command goes, from exec to exit (docs/benchmarks.md, "Where a command's
# time goes"). Runs the command through the launcher (deploy/lo, or LO=path) with a JFR recording:
#   - method traces (JDK 25, JEP 520) of the phase boundaries below: when each starts, how long it takes;
#   - CPU-time samples (JDK 25, JEP 509), attributed to the innermost phase on the sample's stack and to
#     the library of the sample's top frame;
#   - the same samples by thread (main, virtual threads, the pool's...); JIT compiler and GC threads run
#     no Java code and are not sampled (the process's own CPU total is in the benches).
# The recording itself costs start-up time (JFR starts before main): read the phases as shares and
# offsets relative to each other, and take wall/CPU totals from the benches, not from here.
#   bench/command-profile.sh [--runs N] -- lo-args...     (run from the project directory the command needs)
#   bench/command-profile.sh --smoke     (one run of `lo runs` on an empty store of its own: checks the profile
#                                         still runs and finds its phases; BenchSmokeIT runs it in the test suite)
# With LO_JAVA_OPTS set (as here), the launcher does not print usage from its texts: `--help` is profiled
# on its Java path (cli/LoMain).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=3
smoke_state=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --smoke)
      runs=1 smoke_state=$(mktemp -d)
      export LO_STATE_DIR=$smoke_state
      set -- runs
      break ;;
    --) shift; break ;;
    *) break ;;
  esac
done
lo=${LO:-$repo/deploy/lo}
java_home=${LO_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
work=$(mktemp -d)
trap 'rm -rf "$work" ${smoke_state:+"$smoke_state"}' EXIT
# the store exists before the profile (its first opening creates and migrates it)
[[ -z "$smoke_state" ]] || "$lo" runs >/dev/null
# phase label = method filter (JFR method-trace syntax)
phases=(
  "help answered without Quarkus=dev.lok8s.lo.cli.LoMain::answerHelp"
  "Quarkus start=io.quarkus.runtime.Application::start"
  "picocli model=io.quarkus.picocli.runtime.DefaultPicocliCommandLineFactory::create"
  "picocli model=dev.lok8s.lo.cli.CommandModel::forArguments"
  "command=io.quarkus.picocli.runtime.PicocliRunner::run"
  "spec + plan=dev.lok8s.lo.cli.ProjectOptions::load"
  "store open=dev.lok8s.lo.store.StoreBeans::eventStore"
  "lease=dev.lok8s.lo.run.ProjectLeases::acquire"
  "lease release=dev.lok8s.lo.run.ProjectLeases::release"
  "append=dev.lok8s.lo.store.EventStore::append"
  "Docker client=dev.lok8s.lo.docker.DockerEngine::<init>"
  "observe=dev.lok8s.lo.observe.MachineObserver::observe"
  "probe=dev.lok8s.lo.registry.RegistryProbe::probeAll"
  "status observe=dev.lok8s.lo.status.RegistryStatusService::observe"
  "print report=dev.lok8s.lo.cli.RunReport::print"
  "print status=dev.lok8s.lo.cli.RegistryStatusText::print"
  "Quarkus stop=io.quarkus.runtime.Application::stop"
)
filter=$(for p in "${phases[@]}"; do printf '%s;' "${p#*=}"; done)
filter=${filter%;}
labels=$(for p in "${phases[@]}"; do printf '%s\n' "$p"; done)
for r in $(seq 1 "$runs"); do
  LO_JAVA_OPTS="${LO_JAVA_OPTS:-} -XX:StartFlightRecording:method-trace=$filter,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms,jdk.ExecutionSample#enabled=false,filename=$work/$r.jfr" \
    "$lo" "$@" >/dev/null 2>"$work/$r.err" || true
  [[ -f "$work/$r.jfr" ]] || { echo "no recording: lo $* printed:" >&2; tail -5 "$work/$r.err" >&2; exit 1; }
  "$java_home/bin/jfr" print --json --events jdk.MethodTrace,jdk.CPUTimeSample,jdk.JVMInformation,jdk.Shutdown \
    --stack-depth 64 "$work/$r.jfr" >"$work/$r.json"
done
echo "command: lo $*   (load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs, JFR on)"
python3 - "$work" "$runs" "$labels" <<'PY'
import json, sys, statistics, datetime, collections
work, runs, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3].splitlines()
label_of = {}
for l in labels:
    name, f = l.split("=", 1)
    cls, meth = f.split("::")
    label_of[(cls, meth)] = name
def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
def dur(s):  # JFR JSON durations: "PT0.123S"
    return float(s[2:-1]) if s.startswith("PT") and s.endswith("S") else 0.0
def frame_key(f):
    m = f["method"]; return (m["type"]["name"].replace("/", "."), m["name"])
LIBS = [("dev.lok8s.", "lo"), ("picocli.", "picocli"), ("io.quarkus.", "Quarkus"), ("io.smallrye.", "SmallRye config"),
        ("org.h2.", "H2"), ("io.agroal.", "Agroal"), ("org.flywaydb.", "Flyway"), ("com.github.dockerjava.", "docker-java"),
        ("com.fasterxml.jackson.", "Jackson"), ("org.apache.hc.", "httpclient5"), ("org.yaml.", "SnakeYAML"),
        ("org.jboss.", "JBoss logging"), ("java.", "JDK"), ("javax.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK"), ("com.sun.", "JDK")]
def lib(cls):
    for p, n in LIBS:
        if cls.startswith(p): return n
    return "other"
phase_start = collections.defaultdict(list); phase_dur = collections.defaultdict(list)
total = []; cpu_phase = collections.Counter(); cpu_lib = collections.Counter(); cpu_thread = collections.Counter(); nsamples = 0
for r in range(1, runs + 1):
    evs = json.load(open(f"{work}/{r}.json"))["recording"]["events"]
    start = None; end = None
    for e in evs:
        if e["type"] == "jdk.JVMInformation":
            start = ts(e["values"]["jvmStartTime"])
        if e["type"] == "jdk.Shutdown":
            end = ts(e["values"]["startTime"])
    if start is None: continue
    if end: total.append(end - start)
    first = {}; sums = collections.Counter()
    for e in evs:
        if e["type"] != "jdk.MethodTrace": continue
        v = e["values"]; m = v["method"]
        key = (m["type"]["name"].replace("/", "."), m["name"])
        name = label_of.get(key)
        if not name: continue
        t0 = ts(v["startTime"]) - start
        first.setdefault(name, t0); first[name] = min(first[name], t0)
        sums[name] += dur(v["duration"])
    for n in first: phase_start[n].append(first[n]); phase_dur[n].append(sums[n])
    for e in evs:
        if e["type"] != "jdk.CPUTimeSample": continue
        v = e["values"]; st = v.get("stackTrace") or {}; frames = st.get("frames") or []
        nsamples += 1
        th = (v.get("eventThread") or {}).get("javaName") or "?"
        cpu_thread["virtual" if (v.get("eventThread") or {}).get("virtual") else th.split("-")[0] if th.startswith(("agroal", "ForkJoin", "H2")) else th] += 1
        ph = "(outside the phases)"
        for f in frames:  # innermost first
            k = frame_key(f)
            if k in label_of: ph = label_of[k]; break
            if k[0].startswith("dev.lok8s.lo.observe.MachineObserver"): ph = "observe"; break
            if k[0].startswith("dev.lok8s.lo.registry.RegistryProbe"): ph = "probe"; break
        cpu_phase[ph] += 1
        # the library that asked for the work: the innermost frame outside the JDK (class loading,
        # reflection and collections run in the JDK on behalf of the library above them)
        owner = next((lib(frame_key(f)[0]) for f in frames if lib(frame_key(f)[0]) != "JDK"), "JDK" if frames else "?")
        cpu_lib[owner] += 1
med = lambda xs: statistics.median(xs) if xs else float("nan")
print(f"\nexec to JVM shutdown (JFR on): median {med(total):.2f} s over {len(total)} runs\n")
print("| phase (first start, summed duration; medians) | starts at | takes |\n|---|---|---|")
for n in sorted(phase_start, key=lambda n: med(phase_start[n])):
    print(f"| {n} | {med(phase_start[n]):.3f} s | {med(phase_dur[n]):.3f} s |")
print(f"\nCPU-time samples (every 2 ms of a thread's CPU; {nsamples} over {runs} runs), by innermost phase:\n")
print("| phase | share |\n|---|---|")
for k, c in cpu_phase.most_common(): print(f"| {k} | {100 * c / max(nsamples, 1):.0f}% |")
print("\nby the library running (innermost frame outside the JDK):\n\n| library | share |\n|---|---|")
for k, c in cpu_lib.most_common(12): print(f"| {k} | {100 * c / max(nsamples, 1):.0f}% |")
print("\nby thread:\n\n| thread | share |\n|---|---|")
for k, c in cpu_thread.most_common(8): print(f"| {k} | {100 * c / max(nsamples, 1):.0f}% |")
PY

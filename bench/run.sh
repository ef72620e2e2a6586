#!/usr/bin/env bash
# Runs one benchmark, or all of them, from the repository root; results go to stdout (and bench/results/).
#   bench/run.sh planning         JMH: plan, decide, whole reconcile without API round trips, 100/1k/10k nodes
#   bench/run.sh reconcile-facts  writes per reconcile and status size at 100/1k/10k nodes
#   bench/run.sh false-positives  the detector over a simulated hour of 10,000 nodes: jitter, 1 % loss, a broker restart
#   bench/run.sh ingest           heartbeat ingestion through Mosquitto vs mosquitto_sub (10,000 topics, 3 runs)
#   bench/run.sh detection        real probe JVMs frozen or killed: time to Lost (time compressed x10)
#   bench/run.sh gate             wave gate to next-wave dispatch on the embedded API server (1,000 nodes, 3 runs)
#   bench/run.sh memory           operator heap at 10,000 nodes with a rollout running; growth 1k/10k/100k
#   bench/run.sh probe-footprint  probe RSS and CPU (3 probes, 60 s)
#   bench/run.sh demo-10k         the demo with 10,000 nodes and 300 GPU boxes (about 25 minutes)
#   bench/run.sh staging          per-node downtime and wall time, 100 centers, 500 MB over 10 Mbit/s site uplinks,
#                                 without and with staging (maxPullsPerSite 2, asserted); time x120
#   bench/run.sh chaos            operators killed with kill -9 during a 1,000-node rollout: one replica, then the
#                                 leader of two (docs/reliability.md)
#   bench/run.sh all              every one of the above
# Needs: Java 17, Maven, mosquitto and mosquitto_sub (Debian mosquitto, mosquitto-clients), jcmd (the JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-}"
[ -n "$name" ] || { sed -n '2,17p' "$0"; exit 2; }
mkdir -p bench/results
if [ ! -f cloud-operator/target/edgewave.jar ] || [ ! -d bench/target/classes/io ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  mvn -B -q -ntp -DskipTests package >&2
fi
mvn -B -q -ntp dependency:build-classpath -pl bench -Dmdep.outputFile="$PWD/bench/target/classpath.txt" >/dev/null
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java_bench() { java -Xmx4g -cp "$cp" "$@"; }

run() {
  local b="$1"
  echo "## $b ($(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1))"
  case "$b" in
    planning) java -cp "$cp" org.openjdk.jmh.Main PlanningBench -rf json -rff "bench/results/planning.json" ;;
    reconcile-facts) java_bench io.edgewave.bench.ReconcileFacts ;;
    false-positives) for seed in 1 2 3; do echo "seed $seed"; java_bench io.edgewave.bench.FalsePositives 10000 all "$seed"; done ;;
    ingest) java_bench io.edgewave.bench.IngestBench 10000 3 10 ;;
    detection) java_bench io.edgewave.bench.DetectionBench 20 40 freeze && java_bench io.edgewave.bench.DetectionBench 20 30 kill ;;
    gate) java_bench io.edgewave.bench.GateBench 1000 3 ;;
    memory) java_bench io.edgewave.bench.MemoryBench model && java_bench io.edgewave.bench.MemoryBench operator 10000 ;;
    probe-footprint) bench/probe-footprint.sh 60 3 ;;
    chaos) java_bench io.edgewave.bench.Chaos crash 1000 && java_bench io.edgewave.bench.Chaos leaders 1000 ;;
    staging) java_bench io.edgewave.bench.StagingBench 100 500 10 120 ;;
    demo-10k) EDGEWAVE_JAVA_OPTS=-Xmx4g bin/edgewave demo --nodes 10000 --gpu-boxes 300 --port 0 | tail -n 12 ;;
    *) echo "unknown benchmark: $b" >&2; exit 2 ;;
  esac
}

if [ "$name" = all ]; then
  for b in planning reconcile-facts false-positives ingest detection gate memory probe-footprint chaos staging demo-10k; do
    run "$b" | tee "bench/results/$b.md"
  done
else
  run "$name" | tee "bench/results/$name.md"
fi

#!/usr/bin/env bash
# Memory and CPU of the edge probe as it runs on a node: -Xmx32m, h = 10 s, against a local Mosquitto.
# Usage: bench/probe-footprint.sh [seconds=120] [probes=3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-120}; n=${2:-3}
jar=edge-probe/target/edgewave-probe.jar
[ -f "$jar" ] || mvn -B -q -ntp -DskipTests -pl edge-probe -am package
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
dir=$(mktemp -d)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$dir/m.conf"
/usr/sbin/mosquitto -c "$dir/m.conf" >"$dir/m.log" 2>&1 & mq=$!
sleep 0.5
pids=()
for i in $(seq 1 "$n"); do
  java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxMetaspaceSize=48m -jar "$jar" \
    --broker "tcp://127.0.0.1:$port" --node "bench-$i" --interval 10s >"$dir/p$i.log" 2>&1 &
  pids+=($!)
done
trap 'kill ${pids[*]} $mq 2>/dev/null || true' EXIT
sleep 15   # past start-up: JIT and class loading are not the steady state
tick=$(getconf CLK_TCK)
declare -A c0
for p in "${pids[@]}"; do c0[$p]=$(awk '{print $14+$15}' /proc/$p/stat); done
sleep "$secs"
printf '%-8s %10s %12s %16s\n' probe rss_mib cpu_percent cpu_ms_per_beat
for p in "${pids[@]}"; do
  c1=$(awk '{print $14+$15}' /proc/$p/stat)
  rss=$(awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$p/status)
  cpu=$(python3 -c "print(f'{($c1-${c0[$p]})/$tick/$secs*100:.3f}')")
  perbeat=$(python3 -c "print(f'{($c1-${c0[$p]})/$tick*1000/($secs/10):.2f}')")
  printf '%-8s %10s %12s %16s\n' "$p" "$rss" "$cpu" "$perbeat"
done

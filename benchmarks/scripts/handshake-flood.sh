#!/usr/bin/env bash
# A zonegate gateway under a flood of valid-mac1 handshake initiations (issue 16, item 1): how much
# an established client's throughput drops and how long a NEW client needs for its first handshake.
# Run as root after `./build package -DskipTests` (the runtime image and benchmarks/target/benchmarks.jar).
#
# Hosts (namespaces, lib.sh's topology plus a flooder): alice (wireguard-go, established) runs
# iperf3 through the gateway to the resource host; bob (wireguard-go, configured from
# `zonegate client-config`) connects for the first time during each flood; the flooder
# (zonegate.bench.flood.HandshakeFlooder) sits on its own link to the gateway.
# Phases: baseline (no flood); A: RATE initiations/s from SOCKETS source ports; B: RATE/s from one
# source holding a valid cookie. Prints a table and the ratios. About 1.5 minutes.
#
# Knobs: RATE (200000), SOCKETS (256), DURATION (iperf3 seconds per phase, 10), CONNECT_LIMIT (20 s);
# THREADS=1 prints the busiest threads of the machine (top -H) during each phase.
cd "$(dirname "$0")/../.." || exit 1
ID=${ID:-zhs$(( $$ % 1000 ))}
source tests/e2e/lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
JAR=benchmarks/target/benchmarks.jar
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*-25* /usr/lib/jvm/*25-* 2>/dev/null | head -1)/bin/java}
RATE=${RATE:-200000} SOCKETS=${SOCKETS:-256} DURATION=${DURATION:-10} CONNECT_LIMIT=${CONNECT_LIMIT:-20}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package -DskipTests first" >&2; exit 1; }
[[ -f $JAR && -x $JAVA ]] || { echo "needs $JAR and a JDK 25 ($JAVA)" >&2; exit 1; }

NS_FL=${ID}fl GW_FL=198.18.4.1 FL=198.18.4.2
flood_cleanup() { e2e_cleanup; ip netns del "$NS_FL" 2>/dev/null; }
e2e_setup
trap flood_cleanup EXIT
ip netns add "$NS_FL"; in_ns "$NS_FL" ip link set lo up
link "$NS_FL" "$FL" "$NS_GW" "$GW_FL"

(umask 077; "$ZG" keygen > "$WORK/gateway.key"); GW_PUB=$("$ZG" pubkey < "$WORK/gateway.key")
for name in alice bob; do (umask 077; "$ZG" keygen > "$WORK/$name.key"); done
cat > "$WORK/gateway.json" <<JSON
{
  "gateway": { "privateKeyFile": "$WORK/gateway.key", "upstreamDns": ["$RES"], "publicEndpoint": "$GW_C1:51820" },
  "clients": [
    { "name": "alice", "publicKey": "$("$ZG" pubkey < "$WORK/alice.key")", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" },
    { "name": "bob", "publicKey": "$("$ZG" pubkey < "$WORK/bob.key")", "ipv4": "100.64.0.3", "ipv6": "fd00:2021:1111::3" }
  ],
  "resources": [ { "id": "res-net", "type": "cidr", "address": "198.18.3.0/30" } ],
  "policies": [ { "client": "alice", "resource": "res-net" }, { "client": "bob", "resource": "res-net" } ]
}
JSON
"$ZG" client-config --config "$WORK/gateway.json" --client alice --private-key-file "$WORK/alice.key" > "$WORK/alice.conf"
"$ZG" client-config --config "$WORK/gateway.json" --client bob --private-key-file "$WORK/bob.key" |
  sed "s/$GW_C1:51820/$GW_C2:51820/" > "$WORK/bob.conf"

background "$WORK/iperf3-server.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES"
background "$WORK/zonegate.log" ip netns exec "$NS_GW" "$ZG" gateway --config "$WORK/gateway.json" --admin-socket none
ZG_PID=${PIDS[-1]}
for _ in $(seq 100); do grep -q "gateway listening" "$WORK/zonegate.log" && break; sleep 0.1; done
start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"
in_ns "$NS_C1" ping -c 2 -W 2 "$RES" >/dev/null || { echo "no path through zonegate for alice" >&2; exit 1; }
start_wg_client "$NS_C2" "${ID}b" "$WORK/bob.conf"

iperf() { # iperf LOG: alice's iperf3 TCP upload through the gateway, in the background
  background "$1" ip netns exec "$NS_C1" iperf3 -c "$RES" -t "$DURATION" -J
}
gbps() { python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' "$1"; }

connect_seconds() { # a new handshake for bob: reset his peer, ping, wait for wg's latest-handshake
  in_ns "$NS_C2" wg setconf "${ID}b" "$WORK/${ID}b.stripped"
  local start now hs ping_pid result=">$CONNECT_LIMIT"
  start=$(date +%s%N)
  ip netns exec "$NS_C2" ping -i 0.2 -w "$CONNECT_LIMIT" "$RES" >"$WORK/bob-ping.log" 2>&1 &
  ping_pid=$!
  while now=$(date +%s%N); (( now - start < CONNECT_LIMIT * 1000000000 )); do
    hs=$(in_ns "$NS_C2" wg show "${ID}b" latest-handshakes | awk '{print $2}')
    if [[ ${hs:-0} != 0 ]]; then result=$(python3 -c "print('%.2f' % (($now - $start) / 1e9))"); break; fi
    sleep 0.05
  done
  kill "$ping_pid" 2>/dev/null; wait "$ping_pid" 2>/dev/null
  echo "$result"
}

phase() { # phase NAME [FLOOD_MODE]
  local name=$1 mode=${2:-} flood_pid
  if [[ -n $mode ]]; then
    background "$WORK/flood-$name.log" ip netns exec "$NS_FL" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" zonegate.bench.flood.HandshakeFlooder \
      --gateway "$GW_FL:51820" --public-key "$GW_PUB" --mode "$mode" --rate "$RATE" --sockets "$SOCKETS" \
      --seconds $((DURATION + 4))
    flood_pid=${PIDS[-1]}
    sleep 2
  fi
  iperf "$WORK/iperf-$name.json"
  local iperf_pid=${PIDS[-1]}
  sleep 1
  CONNECT[$name]=$(connect_seconds)
  [[ -n ${THREADS:-} ]] && top -H -b -n 1 -d 1 | head -20 > "$WORK/top-$name.txt" && cat "$WORK/top-$name.txt" >&2
  wait "$iperf_pid"
  THROUGHPUT[$name]=$(gbps "$WORK/iperf-$name.json")
  if [[ -n $mode ]]; then
    wait "$flood_pid"
    FLOOD[$name]=$(grep '^flood ' "$WORK/flood-$name.log")
    sleep 3   # let the gateway leave the under-load state before the next phase
  fi
  printf '%-9s alice %s Gbit/s, bob connected after %s s  %s\n' "$name" "${THROUGHPUT[$name]}" "${CONNECT[$name]}" "${FLOOD[$name]:-}"
}

declare -A THROUGHPUT CONNECT FLOOD
phase baseline
phase ports ports
phase cookie cookie

echo
printf '%-9s %14s %12s %s\n' phase "alice Gbit/s" "bob connect" "flood (achieved)"
for name in baseline ports cookie; do
  printf '%-9s %14s %12s %s\n' "$name" "${THROUGHPUT[$name]}" "${CONNECT[$name]} s" "${FLOOD[$name]:-}"
done
for name in ports cookie; do
  python3 -c "print('ratio %s/baseline throughput %.2f (drop %.0f %%)' % ('$name', ${THROUGHPUT[$name]} / ${THROUGHPUT[baseline]}, 100 - 100 * ${THROUGHPUT[$name]} / ${THROUGHPUT[baseline]}))"
done
echo "(2 vCPUs shared by the gateway, both wireguard-go clients, iperf3 and the flooder)"

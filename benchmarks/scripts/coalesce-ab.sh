#!/usr/bin/env bash
# Experiment (issue #14, TUN-write coalescing across flows): TCP 4 streams up through the static zonegate gateway,
# alternating -Dzonegate.coalescedFlows=1 (one open super-packet: neighbours only) and 8 (the per-flow table), a
# fresh gateway per case, ROUNDS pairs (default 3). CLIENTS=1: one wireguard-go client, iperf3 -P 4; CLIENTS=2:
# two wireguard-go clients, -P 2 each, at once. ORDER="8 1" runs each pair the other way round. Per case: Gbit/s, the gateway's CPU-s per GB, and TUN writes
# and packets from --metrics. Run as root after `./build package -DskipTests`. The property exists only in the
# commit that adds this script; the next one removes both.
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
source benchmarks/scripts/bench-lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
CLIENTS=${CLIENTS:-2}
e2e_setup
(umask 077; "$ZG" keygen > "$WORK/gateway.key")
(umask 077; "$ZG" keygen > "$WORK/alice.key"); ALICE_PUB=$("$ZG" pubkey < "$WORK/alice.key")
(umask 077; "$ZG" keygen > "$WORK/bob.key"); BOB_PUB=$("$ZG" pubkey < "$WORK/bob.key")
cat > "$WORK/gateway.json" <<JSON
{
  "gateway": { "privateKeyFile": "$WORK/gateway.key", "upstreamDns": ["$RES"], "publicEndpoint": "$GW_C1:51820" },
  "clients": [ { "name": "alice", "publicKey": "$ALICE_PUB", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" },
               { "name": "bob", "publicKey": "$BOB_PUB", "ipv4": "100.64.0.3", "ipv6": "fd00:2021:1111::3" } ],
  "resources": [ { "id": "res-net", "type": "cidr", "address": "198.18.3.0/30" } ],
  "policies": [ { "client": "alice", "resource": "res-net" }, { "client": "bob", "resource": "res-net" } ]
}
JSON
"$ZG" client-config --config "$WORK/gateway.json" --client alice --private-key-file "$WORK/alice.key" > "$WORK/alice.conf"
"$ZG" client-config --config "$WORK/gateway.json" --client bob --private-key-file "$WORK/bob.key" > "$WORK/bob.conf"
sed -i "s/$GW_C1/$GW_C2/" "$WORK/bob.conf"
background "$WORK/iperf3-a.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_PORT
background "$WORK/iperf3-b.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_LOAD_PORT
start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"
[[ $CLIENTS == 2 ]] && start_wg_client "$NS_C2" "${ID}b" "$WORK/bob.conf"

metric() { in_ns "$NS_GW" curl -s http://127.0.0.1:9464/metrics | awk -v m="$1" '$1 == m {print $2}'; }
upload() { # upload SECONDS JSON_PREFIX: TCP 4 streams up in all, split over the clients
  local w
  if [[ $CLIENTS == 2 ]]; then
    in_ns "$NS_C1" iperf3 -c "$RES" -p $IPERF_PORT -t "$1" -P 2 -J > "$2-a.json" & w=$!
    in_ns "$NS_C2" iperf3 -c "$RES" -p $IPERF_LOAD_PORT -t "$1" -P 2 -J > "$2-b.json"
    wait $w
  else
    in_ns "$NS_C1" iperf3 -c "$RES" -p $IPERF_PORT -t "$1" -P 4 -J > "$2-a.json"
  fi
}
for round in $(seq "${ROUNDS:-3}"); do
  for flows in ${ORDER:-1 8}; do
    n=$round-$flows
    ZONEGATE_JAVA_OPTS="-Dzonegate.coalescedFlows=$flows" background "$WORK/zonegate-$n.log" ip netns exec "$NS_GW" \
      "$ZG" gateway --config "$WORK/gateway.json" --admin-socket none --metrics 127.0.0.1:9464
    zg=${PIDS[-1]}
    for _ in $(seq 100); do grep -q "gateway listening" "$WORK/zonegate-$n.log" && break; sleep 0.1; done
    # Each client's session was with the previous gateway: reset it so its next packet starts a fresh handshake.
    in_ns "$NS_C1" wg setconf "${ID}a" "$WORK/${ID}a.stripped"
    in_ns "$NS_C1" ping -c 2 -W 2 "$RES" >/dev/null || { echo "no path for alice" >&2; exit 1; }
    if [[ $CLIENTS == 2 ]]; then
      in_ns "$NS_C2" wg setconf "${ID}b" "$WORK/${ID}b.stripped"
      in_ns "$NS_C2" ping -c 2 -W 2 "$RES" >/dev/null || { echo "no path for bob" >&2; exit 1; }
    fi
    CPU_NAMES=(gateway) CPU_PIDS=("$(jvm_pid "$zg")")
    upload 5 "$WORK/warm-$n"
    w0=$(metric zonegate_device_writes_total) p0=$(metric zonegate_device_packets_sent_total)
    cpu_begin
    upload "$DURATION" "$WORK/tcp-$n"
    w1=$(metric zonegate_device_writes_total) p1=$(metric zonegate_device_packets_sent_total)
    read -r bytes gbps seconds < <(python3 -c '
import json, sys
ends = [json.load(open(f))["end"]["sum_received"] for f in sys.argv[1:]]
print(sum(e["bytes"] for e in ends), "%.3f" % (sum(e["bits_per_second"] for e in ends) / 1e9),
      max(e["seconds"] for e in ends))' "$WORK/tcp-$n"-*.json)
    cpu_end "f$flows" "r$round" "$bytes" "$seconds"
    python3 -c "print('coalescedFlows=$flows round $round: $gbps Gbit/s, gateway ${RESULTS[f$flows|r$round cpu_gateway]} CPU-s/GB, TUN writes %d for %d packets: %.2f packets per write' % ($w1 - $w0, $p1 - $p0, ($p1 - $p0) / max(1, $w1 - $w0)))"
    kill -TERM "$zg"; wait "$zg" 2>/dev/null
  done
done

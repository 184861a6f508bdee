#!/usr/bin/env bash
# Throughput through a zonegate gateway against a wireguard-go gateway, in the same namespaces and
# the same run: iperf3 TCP with 1 and 4 streams, both directions, DURATION seconds each (default 10).
# The client is Debian's wireguard-go in both cases; only the gateway changes. Run as root after
# `./build package` (uses the runtime image). Prints each figure and the zonegate/wireguard-go ratio.
# TUN_OFFLOAD=off runs the zonegate gateway with --tun-offload off (default on).
#
# Optional: RSS_MINUTES=10 also runs one long iperf3 through zonegate and reports the gateway's RSS
# after 1 minute and at the end (the issue's "RSS after 10 minutes within 10 % of RSS after 1 minute").
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
DURATION=${DURATION:-10}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package first" >&2; exit 1; }
e2e_setup
(umask 077; "$ZG" keygen > "$WORK/gateway.key"); GW_PUB=$("$ZG" pubkey < "$WORK/gateway.key")
(umask 077; "$ZG" keygen > "$WORK/alice.key"); ALICE_PUB=$("$ZG" pubkey < "$WORK/alice.key")
cat > "$WORK/gateway.json" <<JSON
{
  "gateway": { "privateKeyFile": "$WORK/gateway.key", "upstreamDns": ["$RES"], "publicEndpoint": "$GW_C1:51820" },
  "clients": [ { "name": "alice", "publicKey": "$ALICE_PUB", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" } ],
  "resources": [ { "id": "res-net", "type": "cidr", "address": "198.18.3.0/30" } ],
  "policies": [ { "client": "alice", "resource": "res-net" } ]
}
JSON
"$ZG" client-config --config "$WORK/gateway.json" --client alice --private-key-file "$WORK/alice.key" > "$WORK/alice.conf"
background "$WORK/iperf3-server.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES"
start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"

measure() { # measure LABEL: prints Gbit/s for each case, and stores them in RESULT_<label>_<case>
  local label=$1 streams direction flag gbps
  for streams in 1 4; do
    for direction in up down; do
      flag=; [[ $direction == down ]] && flag=-R
      gbps=$(in_ns "$NS_C1" iperf3 -c "$RES" -t "$DURATION" -P "$streams" $flag -J |
        python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))')
      printf '%-12s TCP %d stream(s) %-4s %8s Gbit/s\n' "$label" "$streams" "$direction" "$gbps"
      printf -v "RESULT_${label//-/_}_${streams}_${direction}" '%s' "$gbps"
    done
  done
}

background "$WORK/zonegate.log" ip netns exec "$NS_GW" "$ZG" gateway --config "$WORK/gateway.json" --admin-socket none \
  --tun-offload "${TUN_OFFLOAD:-on}"
ZG_PID=${PIDS[-1]}
for _ in $(seq 100); do grep -q "gateway listening" "$WORK/zonegate.log" && break; sleep 0.1; done
in_ns "$NS_C1" ping -c 2 -W 2 "$RES" >/dev/null || { echo "no path through zonegate" >&2; exit 1; }
measure zonegate

if [[ -n ${RSS_MINUTES:-} ]]; then
  java_pid=$(pgrep -P "$ZG_PID" java || echo "$ZG_PID")
  background "$WORK/iperf3-long.json" ip netns exec "$NS_C1" iperf3 -c "$RES" -t $((RSS_MINUTES * 60)) -J
  sleep 60; rss1=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
  sleep $((RSS_MINUTES * 60 - 55)); rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
  python3 -c "print('RSS after 1 min %d KiB, after $RSS_MINUTES min %d KiB: %+.1f %%' % ($rss1, $rss_end, ($rss_end - $rss1) * 100 / $rss1))"
fi
kill -TERM "$ZG_PID"; wait "$ZG_PID" 2>/dev/null

# The reference: wireguard-go as the gateway, with the same key, port and tunnel address; the
# kernel forwards between its interface and the resource network.
background "$WORK/wggw.log" ip netns exec "$NS_GW" wireguard-go -f "${ID}g"
for _ in $(seq 50); do [[ -S /var/run/wireguard/${ID}g.sock ]] && break; sleep 0.1; done
in_ns "$NS_GW" wg set "${ID}g" private-key "$WORK/gateway.key" listen-port 51820 \
  peer "$ALICE_PUB" allowed-ips 100.64.0.2/32,fd00:2021:1111::2/128
in_ns "$NS_GW" ip addr add 100.64.0.1/11 dev "${ID}g"
in_ns "$NS_GW" ip link set "${ID}g" mtu 1280 up
# The client's session was with zonegate: reset it so its next packet starts a fresh handshake.
in_ns "$NS_C1" wg setconf "${ID}a" "$WORK/${ID}a.stripped"
in_ns "$NS_C1" ping -c 3 -W 2 "$RES" >/dev/null || { echo "no path through wireguard-go" >&2; exit 1; }
measure wireguard-go

echo
for streams in 1 4; do
  for direction in up down; do
    zg_var="RESULT_zonegate_${streams}_${direction}" wg_var="RESULT_wireguard_go_${streams}_${direction}"
    python3 -c "print('ratio zonegate/wireguard-go, TCP %s stream(s) %-4s %.2f' % ('$streams', '$direction', ${!zg_var} / ${!wg_var}))"
  done
done

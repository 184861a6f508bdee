#!/usr/bin/env bash
# A zonegate gateway against a wireguard-go gateway, in the same namespaces and the same run (the client is
# Debian's wireguard-go in both cases; only the gateway changes): iperf3 TCP with 1 and 4 streams both
# directions, UDP at a fixed offered rate (UDP_RATE, default 300M) both directions, ping RTT idle and under
# a background TCP stream, each gateway's CPU-seconds per GB (utime + stime of the gateway process over each
# case, GB = 1e9 bytes received) and % of a core, and its RSS idle and under the TCP load. Ends with a
# markdown table of every figure, the ratio zonegate/wireguard-go and whether issue #14's target is met.
# Run as root after `./build package` (uses the runtime image). DURATION (seconds per iperf3 case, default
# 10), PINGS, PING_LOAD=0, PING_LOAD_RATE, UDP_LEN: see benchmarks/scripts/bench-lib.sh. ZONEGATE_JAVA_OPTS reaches the
# gateway's JVM. About 5 minutes with the defaults.
# TUN_OFFLOAD=off runs the zonegate gateway with --tun-offload off (default on).
#
# Optional: RSS_MINUTES=10 also runs one long iperf3 through zonegate and reports the gateway's RSS
# after 1 minute and at the end (the issue's "RSS after 10 minutes within 10 % of RSS after 1 minute").
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
source benchmarks/scripts/bench-lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package first" >&2; exit 1; }
e2e_setup
static_lab_files
background "$WORK/iperf3-server.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_PORT
background "$WORK/iperf3-load.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_LOAD_PORT
start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"

UDP_DROP_NS=("gateway:$NS_GW" "client:$NS_C1" "resource:$NS_RES")
measure() { # measure LABEL: every case through the gateway whose process is CPU_PIDS
  rss_idle "$1"
  warm_up "$NS_C1" "$RES" udp
  tcp_cases "$1" "$NS_C1" "$RES"
  udp_cases "$1" "$NS_C1" "$RES"
  latency_cases "$1" "$NS_C1" "$RES"
}

background "$WORK/zonegate.log" ip netns exec "$NS_GW" "$ZG" gateway --config "$WORK/gateway.json" --admin-socket none \
  --tun-offload "${TUN_OFFLOAD:-on}"
ZG_PID=${PIDS[-1]}
for _ in $(seq 100); do grep -q "gateway listening" "$WORK/zonegate.log" && break; sleep 0.1; done
in_ns "$NS_C1" ping -c 2 -W 2 "$RES" >/dev/null || { echo "no path through zonegate" >&2; exit 1; }
CPU_NAMES=(gateway) CPU_PIDS=("$(jvm_pid "$ZG_PID")")
measure zonegate

if [[ -n ${RSS_MINUTES:-} ]]; then
  java_pid=$(jvm_pid "$ZG_PID")
  background "$WORK/iperf3-long.json" ip netns exec "$NS_C1" iperf3 -c "$RES" -t $((RSS_MINUTES * 60)) -J
  sleep 60; rss1=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
  sleep $((RSS_MINUTES * 60 - 55)); rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
  python3 -c "print('RSS after 1 min %d KiB, after $RSS_MINUTES min %d KiB: %+.1f %%' % ($rss1, $rss_end, ($rss_end - $rss1) * 100 / $rss1))"
fi
kill -TERM "$ZG_PID"; wait "$ZG_PID" 2>/dev/null

# The reference: wireguard-go as the gateway, with the same key, port and tunnel address; the
# kernel forwards between its interface and the resource network.
background "$WORK/wggw.log" ip netns exec "$NS_GW" wireguard-go -f "${ID}g"
WG_PID=${PIDS[-1]}
for _ in $(seq 50); do [[ -S /var/run/wireguard/${ID}g.sock ]] && break; sleep 0.1; done
in_ns "$NS_GW" wg set "${ID}g" private-key "$WORK/gateway.key" listen-port 51820 \
  peer "$ALICE_PUB" allowed-ips 100.64.0.2/32,fd00:2021:1111::2/128
in_ns "$NS_GW" ip addr add 100.64.0.1/11 dev "${ID}g"
in_ns "$NS_GW" ip link set "${ID}g" mtu 1280 up
# The client's session was with zonegate: reset it so its next packet starts a fresh handshake.
in_ns "$NS_C1" wg setconf "${ID}a" "$WORK/${ID}a.stripped"
in_ns "$NS_C1" ping -c 3 -W 2 "$RES" >/dev/null || { echo "no path through wireguard-go" >&2; exit 1; }
CPU_NAMES=(gateway) CPU_PIDS=("$WG_PID")
measure wireguard-go

UDP_ROWS=()
for direction in up down; do
  UDP_ROWS+=("udp $direction mbps|UDP $UDP_RATE $direction received|higher|Mbit/s"
    "udp $direction loss|UDP $UDP_RATE $direction loss|lower|%"
    "udp $direction cpu_gateway|UDP $UDP_RATE $direction, gateway CPU|cpu|CPU-s/GB"
    "udp $direction core_gateway|UDP $UDP_RATE $direction, gateway CPU|info|% of a core")
done
mapfile -t PING_ROWS < <(ping_rows)
mapfile -t TCP_ROWS < <(tcp_rows gateway)
summary_table zonegate wireguard-go "${TCP_ROWS[@]}" "${UDP_ROWS[@]}" "${PING_ROWS[@]}" \
  "rss idle gateway|gateway RSS idle|rss|MiB" "rss load gateway|gateway RSS under TCP load (max)|rss|MiB"

#!/usr/bin/env bash
# zonegate client -> zonegate gateway against wireguard-go client -> wireguard-go gateway, in the same
# namespaces and the same run: iperf3 TCP with 1 and 4 streams both directions, ping RTT, the CPU-seconds
# per GB (GB = 1e9 bytes received) and % of a core of the client and of the gateway, their RSS idle and
# under the TCP load; ends with a markdown table against issue #14's target (3x wireguard-go's TCP
# throughput; CPU per GB at most a third). Run as root after `./build package`. DURATION (seconds per
# case, default 10), PINGS, PING_LOAD=0, PING_LOAD_RATE: see bench-lib.sh. About 3 minutes with the defaults.
#
# Topology (tests/e2e/lib.sh's): the client in ${ID}c1 (198.18.1.2, default route via the gateway host),
# the gateway in ${ID}gw, the resource host ${ID}res (198.18.3.2, iperf3), and the portal in ${ID}c2
# (wss://198.18.2.2:8443, reached through the gateway host's forwarding). No NAT and no relay: the
# zonegate pair connects over the direct path between host candidates, as wireguard-go does.
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
THROUGHPUT_TARGET=${THROUGHPUT_TARGET:-3}
source benchmarks/scripts/bench-lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package first" >&2; exit 1; }
PORTAL_IP=$C2 PORTAL=wss://$C2:8443
e2e_setup
ice_lab_files
background "$WORK/iperf3-server.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_PORT
background "$WORK/iperf3-load.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_LOAD_PORT

measure() { # measure LABEL: every case from the client namespace through the processes of CPU_PIDS
  rss_idle "$1"
  warm_up "$NS_C1" "$RES"
  tcp_cases "$1" "$NS_C1" "$RES"
  latency_cases "$1" "$NS_C1" "$RES"
}

background "$WORK/portal.log" ip netns exec "$NS_C2" "$ZG" portal --config "$WORK/portal.json"
PORTAL_PID=${PIDS[-1]}
wait_for 15 in_ns "$NS_C2" bash -c "</dev/tcp/$PORTAL_IP/8443" || { echo "the portal did not start" >&2; exit 1; }
background "$WORK/gateway.log" ip netns exec "$NS_GW" "$ZG" gateway --portal "$PORTAL" --token-file "$WORK/tokens/gw-a" \
  --portal-ca "$WORK/portal.pem" --name gw-a --interface zgg0 --upstream-dns "$RES" --admin-socket none
ZGW_PID=${PIDS[-1]}
wait_for 15 grep -q "gateway in ICE mode" "$WORK/gateway.log" || { echo "the gateway did not start" >&2; exit 1; }
background "$WORK/client.log" ip netns exec "$NS_C1" "$ZG" client --portal "$PORTAL" --token-file "$WORK/tokens/alice" \
  --portal-ca "$WORK/portal.pem" --interface zgc0 --dns none
ZCL_PID=${PIDS[-1]}
wait_for 15 bash -c "ip netns exec $NS_C1 ip -4 addr show zgc0 | grep -q 100.64.0.2" ||
  { echo "the client did not bring up its device" >&2; exit 1; }
# The first packet makes the client ask the portal for the resource's gateway and connect to it.
wait_for 20 in_ns "$NS_C1" ping -c 1 -W 1 "$RES" > /dev/null || { echo "no path through the zonegate pair" >&2; exit 1; }
CPU_NAMES=(client gateway) CPU_PIDS=("$(jvm_pid "$ZCL_PID")" "$(jvm_pid "$ZGW_PID")")
measure zonegate
kill -TERM "$ZCL_PID" "$ZGW_PID"; wait "$ZCL_PID" "$ZGW_PID" 2>/dev/null

# The reference: a wireguard-go client and a wireguard-go gateway, the kernel forwarding behind it.
"$ZG" keygen > "$WORK/wg-gw.key"; "$ZG" keygen > "$WORK/wg-cl.key"; chmod 600 "$WORK"/wg-*.key
background "$WORK/wggw.log" ip netns exec "$NS_GW" wireguard-go -f "${ID}g"
WGW_PID=${PIDS[-1]}
background "$WORK/wgcl.log" ip netns exec "$NS_C1" wireguard-go -f "${ID}a"
WCL_PID=${PIDS[-1]}
wait_for 5 test -S "/var/run/wireguard/${ID}g.sock" -a -S "/var/run/wireguard/${ID}a.sock"
in_ns "$NS_GW" wg set "${ID}g" private-key "$WORK/wg-gw.key" listen-port 51820 \
  peer "$("$ZG" pubkey < "$WORK/wg-cl.key")" allowed-ips 100.64.0.2/32
in_ns "$NS_GW" ip addr add 100.64.0.1/11 dev "${ID}g"
in_ns "$NS_GW" ip link set "${ID}g" mtu 1280 up
in_ns "$NS_C1" wg set "${ID}a" private-key "$WORK/wg-cl.key" \
  peer "$("$ZG" pubkey < "$WORK/wg-gw.key")" allowed-ips 198.18.3.0/30 endpoint "$GW_C1:51820"
in_ns "$NS_C1" ip addr add 100.64.0.2/32 dev "${ID}a"
in_ns "$NS_C1" ip link set "${ID}a" mtu 1280 up
in_ns "$NS_C1" ip route add 198.18.3.0/30 dev "${ID}a"
wait_for 10 in_ns "$NS_C1" ping -c 1 -W 1 "$RES" > /dev/null || { echo "no path through the wireguard-go pair" >&2; exit 1; }
CPU_NAMES=(client gateway) CPU_PIDS=("$WCL_PID" "$WGW_PID")
measure wireguard-go

mapfile -t PING_ROWS < <(ping_rows)
mapfile -t TCP_ROWS < <(tcp_rows client gateway)
summary_table zonegate wireguard-go "${TCP_ROWS[@]}" "${PING_ROWS[@]}" \
  "rss idle client|client RSS idle|rss|MiB" "rss load client|client RSS under TCP load (max)|rss|MiB" \
  "rss idle gateway|gateway RSS idle|rss|MiB" "rss load gateway|gateway RSS under TCP load (max)|rss|MiB"

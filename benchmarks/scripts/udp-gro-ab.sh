#!/usr/bin/env bash
# UDP_GRO on the gateway's sockets, A/B in one run: the zonegate gateway alternately without and with
# UDP_GRO (ROUNDS rounds, default 2; the switch is the system property -Dzonegate.udpGro=false|true, given
# to the gateway alone: a zonegate client keeps its default, GRO on), in tests/e2e/lib.sh's namespaces:
# iperf3 TCP 1 and 4 streams up (the client sends: the direction the gateway's socket receives), TCP 1
# stream down (the socket receives the client's ACKs) and UDP up at UDP_RATE;
# each case's Gbit/s, the gateway's (and a zonegate client's) CPU-seconds per GB, and the UDP receives on
# the gateway's side per MB (Udp InDatagrams, which counts a super-datagram once).
# PEER=wireguard-go (default): Debian's wireguard-go client and the static gateway, as gateway-iperf3.sh.
#   That wireguard-go (0.0.20220316) sends one datagram per syscall, and veth hands GRO one packet per NAPI
#   poll, so the kernel has nothing to aggregate: this measures what the GRO receive path costs when it
#   does not apply. VETH_GRO=on turns GRO (NAPI) on on the gateway's veth anyway.
# PEER=zonegate: a zonegate client (GSO sends) and the gateway in ICE mode with the portal, as
#   client-iperf3.sh: runs of equal-size datagrams arrive as super-datagrams.
# Run as root after `./build package`. DURATION (default 10), WARMUP: bench-lib.sh. IDs: tests/e2e/lib.sh.
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
source benchmarks/scripts/bench-lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
ROUNDS=${ROUNDS:-2}
PEER=${PEER:-wireguard-go}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package first" >&2; exit 1; }
e2e_setup
background "$WORK/iperf3-server.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES" -p $IPERF_PORT
if [[ $PEER == wireguard-go ]]; then
  static_lab_files
  start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"
  CPU_NAMES=(gateway)
  start_arm() { # start_arm GRO LABEL: the gateway with UDP_GRO GRO (true/false), and a fresh handshake
    ZONEGATE_JAVA_OPTS="${ZONEGATE_JAVA_OPTS:-} -Dzonegate.udpGro=$1" \
      background "$WORK/zonegate-$2.log" ip netns exec "$NS_GW" "$ZG" gateway --config "$WORK/gateway.json" --admin-socket none
    ARM_PIDS=("${PIDS[-1]}")
    wait_for 10 grep -q "gateway listening" "$WORK/zonegate-$2.log"
    in_ns "$NS_C1" wg setconf "${ID}a" "$WORK/${ID}a.stripped"
    in_ns "$NS_C1" ping -c 3 -W 2 "$RES" >/dev/null || { echo "no path through zonegate ($2)" >&2; exit 1; }
    CPU_PIDS=("$(jvm_pid "${ARM_PIDS[0]}")")
  }
else
  PORTAL_IP=$C2 PORTAL=wss://$C2:8443
  ice_lab_files
  background "$WORK/portal.log" ip netns exec "$NS_C2" "$ZG" portal --config "$WORK/portal.json"
  wait_for 15 in_ns "$NS_C2" bash -c "</dev/tcp/$PORTAL_IP/8443" || { echo "the portal did not start" >&2; exit 1; }
  CPU_NAMES=(gateway client)
  start_arm() { # start_arm GRO LABEL: the gateway with UDP_GRO GRO (true/false), then a client connecting to it
    ZONEGATE_JAVA_OPTS="${ZONEGATE_JAVA_OPTS:-} -Dzonegate.udpGro=$1" \
      background "$WORK/gateway-$2.log" ip netns exec "$NS_GW" "$ZG" gateway --portal "$PORTAL" \
      --token-file "$WORK/tokens/gw-a" --portal-ca "$WORK/portal.pem" --name gw-a --interface zgg0 \
      --upstream-dns "$RES" --admin-socket none
    ARM_PIDS=("${PIDS[-1]}")
    wait_for 15 grep -q "gateway in ICE mode" "$WORK/gateway-$2.log" || { echo "the gateway did not start" >&2; exit 1; }
    background "$WORK/client-$2.log" ip netns exec "$NS_C1" "$ZG" client --portal "$PORTAL" \
      --token-file "$WORK/tokens/alice" --portal-ca "$WORK/portal.pem" --interface zgc0 --dns none
    ARM_PIDS+=("${PIDS[-1]}")
    wait_for 15 bash -c "ip netns exec $NS_C1 ip -4 addr show zgc0 | grep -q 100.64.0.2" ||
      { echo "the client did not bring up its device" >&2; exit 1; }
    wait_for 20 in_ns "$NS_C1" ping -c 1 -W 1 "$RES" > /dev/null || { echo "no path through the zonegate pair" >&2; exit 1; }
    CPU_PIDS=("$(jvm_pid "${ARM_PIDS[0]}")" "$(jvm_pid "${ARM_PIDS[1]}")")
  }
fi
GW_DEV=$(in_ns "$NS_GW" ip -o -4 addr show | awk -v a="$GW_C1/" 'index($4, a) == 1 {print $2}')
if [[ ${VETH_GRO:-off} == on ]]; then
  dev=$GW_DEV
  # veth hands a skb to GRO only if the sender has no TSO or the receiver forwards UDP by GRO (veth_skb_is_eligible_for_gro).
  in_ns "$NS_GW" ethtool -K "$dev" gro on rx-udp-gro-forwarding on
  echo "GRO on $dev in $NS_GW: $(in_ns "$NS_GW" ethtool -k "$dev" | grep -E "^(generic-receive-offload|rx-udp-gro-forwarding)" | tr "\n" " ")"
fi

# The gateway side's UDP receives (Udp InDatagrams of its namespace: a super-datagram counts once, and only
# the gateway's sockets receive there) per MB the iperf3 receiver counted, and its receive-buffer drops.
snmp_udp() { udp_snmp "$NS_GW" "$1"; }
gro_begin() { IN0=$(snmp_udp InDatagrams); DROP0=$(snmp_udp RcvbufErrors); }
gro_text() { # gro_text BYTES
  python3 -c "import sys; n, b, d = map(int, sys.argv[1:]); print('%.0f receives/MB, %d receive-buffer drops' % (n / (b / 1e6), d))" \
    "$(( $(snmp_udp InDatagrams) - IN0 ))" "$1" "$(( $(snmp_udp RcvbufErrors) - DROP0 ))"
}

udp_up() { # udp_up LABEL: one UDP case up
  local label=$1 json="$WORK/udp-$1.json" bytes mbps loss seconds
  gro_begin; cpu_begin
  in_ns "$NS_C1" iperf3 -c "$RES" -p $IPERF_PORT -u -b "$UDP_RATE" -l "$UDP_LEN" -t "$DURATION" -J > "$json"
  read -r bytes mbps loss seconds < <(udp_result "$json")
  cpu_end "$label" "udp up" "$bytes" "$seconds"
  printf '%-10s UDP %s up %5s Mbit/s, %s %% lost %s, %s\n' "$label" "$UDP_RATE" "$mbps" "$loss" \
    "$(cpu_text "$label" "udp up")" "$(gro_text "$bytes")"
}

tcp_case() { # tcp_case LABEL STREAMS up|down
  local label=$1 streams=$2 direction=$3 json="$WORK/tcp-$1-$2-$3.json" bytes gbps seconds flag=
  [[ $direction == down ]] && flag=-R
  gro_begin; cpu_begin
  in_ns "$NS_C1" iperf3 -c "$RES" -p $IPERF_PORT -t "$DURATION" -P "$streams" $flag -J > "$json"
  read -r bytes gbps seconds _ < <(tcp_result "$json")
  cpu_end "$label" "tcp$streams $direction" "$bytes" "$seconds"
  printf '%-10s TCP %d %-4s %6s Gbit/s %s, %s\n' "$label" "$streams" "$direction" "$gbps" \
    "$(cpu_text "$label" "tcp$streams $direction")" \
    "$(gro_text "$bytes")"
}

for round in $(seq "$ROUNDS"); do
  for gro in false true; do
    label="gro-$gro-$round"
    start_arm "$gro" "$label"
    warm_up "$NS_C1" "$RES" udp
    tcp_case "$label" 1 up
    tcp_case "$label" 4 up
    tcp_case "$label" 1 down
    udp_up "$label"
    kill -TERM "${ARM_PIDS[@]}"; wait "${ARM_PIDS[@]}" 2>/dev/null
  done
done

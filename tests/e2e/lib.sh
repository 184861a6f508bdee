# Shared pieces of the end-to-end tests: test hosts in network namespaces this script creates, joined
# by veth pairs with addresses from 198.18.0.0/15 (RFC 2544's benchmarking range). Only these hosts
# are ever sent traffic. Everything is removed on exit, even when a test fails.
#
# Topology (ID is unique per run):
#   ${ID}c1 (client 1) 198.18.1.2 --- 198.18.1.1 ${ID}gw (gateway) 198.18.3.1 --- 198.18.3.2 ${ID}res (resources)
#   ${ID}c2 (client 2) 198.18.2.2 --- 198.18.2.1
# The resource host routes the tunnel ranges back through the gateway (no masquerading needed).

set -uo pipefail
ID=${ID:-zg$(( $$ % 100000 ))}
NS_GW=${ID}gw NS_C1=${ID}c1 NS_C2=${ID}c2 NS_RES=${ID}res
GW_C1=198.18.1.1 C1=198.18.1.2 GW_C2=198.18.2.1 C2=198.18.2.2 GW_RES=198.18.3.1 RES=198.18.3.2
WORK=${WORK:-$(mktemp -d /tmp/zonegate-e2e.XXXXXX)}
mkdir -p "$WORK"
NAMESPACES=("$NS_GW" "$NS_C1" "$NS_C2" "$NS_RES")  # a test with another topology sets its own
PIDS=()
PASSED=0 FAILED=0

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

link() { # link NS_A ADDR_A NS_B ADDR_B: a veth pair with a /30 between two namespaces
  local a=$1 addr_a=$2 b=$3 addr_b=$4 name=v$((RANDOM % 100000))
  ip link add "${name}a" netns "$a" type veth peer name "${name}b" netns "$b"
  in_ns "$a" ip addr add "$addr_a/30" dev "${name}a"
  in_ns "$b" ip addr add "$addr_b/30" dev "${name}b"
  in_ns "$a" ip link set "${name}a" up
  in_ns "$b" ip link set "${name}b" up
}

make_namespaces() { # the namespaces of NAMESPACES, with loopback up; removed on exit
  trap e2e_cleanup EXIT
  for ns in "${NAMESPACES[@]}"; do
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
  done
}

e2e_setup() {
  make_namespaces
  link "$NS_C1" "$C1" "$NS_GW" "$GW_C1"
  link "$NS_C2" "$C2" "$NS_GW" "$GW_C2"
  link "$NS_RES" "$RES" "$NS_GW" "$GW_RES"
  in_ns "$NS_GW" sysctl -qw net.ipv4.ip_forward=1
  in_ns "$NS_GW" sysctl -qw net.ipv6.conf.all.forwarding=1
  in_ns "$NS_RES" ip route add 100.64.0.0/11 via "$GW_RES"
}

e2e_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}

background() { # background LOG CMD...: starts CMD (a program, not a shell function, so the pid is
  local log=$1; shift     # the program's own and signals reach it), remembers its pid for cleanup
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
}

# Starts Debian's wireguard-go in NS as IFNAME and configures it from a wg-quick file, as wg-quick
# would (addresses, MTU, a route per AllowedIPs entry), without touching the namespace's resolver.
start_wg_client() {
  local ns=$1 ifname=$2 conf=$3 line value cidr
  background "$WORK/$ifname.log" ip netns exec "$ns" wireguard-go -f "$ifname"
  for _ in $(seq 50); do [[ -S /var/run/wireguard/$ifname.sock ]] && break; sleep 0.1; done
  install -m 600 "$conf" "$WORK/$ifname.conf"
  wg-quick strip "$WORK/$ifname.conf" > "$WORK/$ifname.stripped"
  in_ns "$ns" wg setconf "$ifname" "$WORK/$ifname.stripped"
  while IFS= read -r line; do
    value=${line#*=}; value=${value// /}
    case ${line%%=*} in
      Address*) for cidr in ${value//,/ }; do in_ns "$ns" ip addr add "$cidr" dev "$ifname"; done ;;
      MTU*) in_ns "$ns" ip link set "$ifname" mtu "$value" ;;
    esac
  done < "$conf"
  in_ns "$ns" ip link set "$ifname" up
  while IFS= read -r line; do
    [[ ${line%%=*} == AllowedIPs* ]] || continue
    value=${line#*=}; value=${value// /}
    for cidr in ${value//,/ }; do in_ns "$ns" ip route replace "$cidr" dev "$ifname"; done
  done < "$conf"
}

check() { # check NAME CMD...: runs one test step and records it
  local name=$1; shift
  if "$@" >"$WORK/step.log" 2>&1; then
    PASSED=$((PASSED + 1)); echo "ok - $name"
  else
    FAILED=$((FAILED + 1)); echo "not ok - $name"; sed 's/^/    /' "$WORK/step.log" | tail -20
  fi
}

fails() { ! "$@"; }

summary() { # the closing line CI reads
  echo "e2e: $PASSED passed, $FAILED failed"
  (( FAILED == 0 ))
}

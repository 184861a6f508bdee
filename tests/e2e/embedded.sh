#!/usr/bin/env bash
# End-to-end test of the embedding example (examples/embedded, README "Embedding zonegate"): the program runs
# as an embedding application runs, in its own JVM on a module path with --enable-native-access, in the
# gateway namespace of lib.sh, and a stock WireGuard client (Debian's wireguard-go) reaches a resource through
# it. Checks the policy change the program applies from code, the counters it prints, its start errors, and
# both ways it stops (end of standard input, SIGTERM). Run as root from the repository root after
# `./build package`; prints one line per check and "e2e: N passed, M failed".
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
MODULES=${MODULES:-$PWD/examples/embedded/target/modules}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
[[ -e $MODULES/zonegate-example-embedded-0.1.0-SNAPSHOT.jar ]] || {
  echo "no example module path at $MODULES: run ./build package first" >&2; exit 1; }
[[ -x $JAVA ]] || { echo "no JDK 25 java (set JAVA=...)" >&2; exit 1; }

e2e_setup
# A second resource address on the resource host, routed through the gateway like the first.
THEN=198.18.5.2
in_ns "$NS_RES" ip addr add "$THEN/32" dev lo
in_ns "$NS_GW" ip route add "$THEN/32" via "$RES"
TUN=${ID}e
example() { # example LOG ARGS...: the embedding program in the gateway namespace, stdin from $WORK/stdin
  local log=$1; shift
  ip netns exec "$NS_GW" "$JAVA" --enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard -p "$MODULES" \
    -m zonegate.example.embedded/zonegate.example.embedded.EmbeddedGatewayExample \
    --interface "$TUN" --upstream-dns "$RES" --print-every 1 "$@" < "$WORK/stdin" > "$log" 2>&1 &
  PIDS+=($!)
}
wait_for() { # wait_for FILE REGEX [TENTHS]: until a line of FILE matches (the example prints its progress)
  for _ in $(seq "${3:-150}"); do grep -Eq "$2" "$1" && return 0; sleep 0.1; done
  echo "no line matching '$2' in $1:"; tail -20 "$1"; return 1
}
latest_count() { # latest_count NAME: NAME's value in the latest counters line (0 when not shown)
  grep '^counters:' "$WORK/example.log" | tail -1 | grep -o " $1=[0-9]*" | cut -d= -f2 | grep . || echo 0
}
grows() { # grows NAME FROM: a counters line shows NAME above FROM
  for _ in $(seq 100); do (( $(latest_count "$1") > $2 )) && return 0; sleep 0.1; done
  echo "$1 stayed at $(latest_count "$1") (from $2)"; return 1
}
counters_show() { # counters_show REGEX: a counters line printed from now on matches
  local from; from=$(wc -l < "$WORK/example.log")
  for _ in $(seq 100); do tail -n +"$((from + 1))" "$WORK/example.log" | grep '^counters:' | grep -Eq "$1" && return 0
    sleep 0.1; done
  echo "no counters line matching '$1':"; grep '^counters:' "$WORK/example.log" | tail -3; return 1
}

CLIENT_KEY=$(wg genkey) CLIENT_PUB=$(wg pubkey <<< "$CLIENT_KEY")
# The example's standard input: a FIFO that a holder keeps open (no other process inherits a writer), so it
# ends exactly when the holder is killed; `echo change > FIFO` writes a line meanwhile.
mkfifo "$WORK/stdin"
background /dev/null bash -c 'exec 3>"$1"; exec sleep infinity' - "$WORK/stdin"
HOLDER=${PIDS[-1]}
example "$WORK/example.log" --client-key "$CLIENT_PUB" --resource "$RES/32" --then "$THEN/32" --change-after 600
EXAMPLE_PID=${PIDS[-1]}
check "the example opens the embedded gateway and drives it on its own thread" \
  wait_for "$WORK/example.log" '^gateway running on interface'
GW_PUB=$(sed -n 's/^gateway public key: //p' "$WORK/example.log")

cat > "$WORK/alice.conf" <<CONF
[Interface]
PrivateKey = $CLIENT_KEY
Address = 100.64.0.2/32, fd00:2021:1111::2/128
MTU = 1280

[Peer]
PublicKey = $GW_PUB
Endpoint = $GW_C1:51820
AllowedIPs = $RES/32, $THEN/32
CONF
start_wg_client "$NS_C1" "${ID}a" "$WORK/alice.conf"

unreachable() { # unreachable IP: the gateway answers pings to IP with ICMP network unreachable
  local out; out=$(ip netns exec "$NS_C1" ping -c 2 -i 0.2 -W 2 "$1" 2>&1); echo "$out"
  [[ $out == *'Unreachable'* && $out == *' 0 received'* ]]
}
check "the client pings the granted resource through the embedded gateway" in_ns "$NS_C1" ping -c 3 -i 0.2 -W 3 "$RES"
check "the client downloads over TCP from the granted resource" bash -c "
  head -c 1048576 /dev/urandom > $WORK/blob
  ip netns exec $NS_RES python3 -m http.server 8080 --bind $RES --directory $WORK > $WORK/http.log 2>&1 & echo \$! > $WORK/http.pid
  for _ in \$(seq 50); do ip netns exec $NS_RES curl -s -o /dev/null http://$RES:8080/ && break; sleep 0.1; done
  ip netns exec $NS_C1 curl -sS --max-time 20 -o $WORK/blob.got http://$RES:8080/blob; status=\$?
  kill \$(cat $WORK/http.pid); [[ \$status == 0 ]] && cmp $WORK/blob $WORK/blob.got"
check "the resource not yet granted is unreachable" unreachable "$THEN"
check "the printed counters moved (datagrams in and out, packets to the device, one client)" \
  counters_show 'datagrams_in=[1-9].* datagrams_out=[1-9].* device_out=[1-9][0-9]*.* clients=1'

echo change > "$WORK/stdin"
check "the example applies its policy change from code" wait_for "$WORK/example.log" '^policy changed: '
check "after the change the second resource answers" in_ns "$NS_C1" ping -c 3 -i 0.2 -W 3 "$THEN"
counters_show 'datagrams_in' > /dev/null  # a line printed after the pings above
DROPS_BEFORE=$(latest_count no_resource)
check "after the change the first resource is revoked (network unreachable)" unreachable "$RES"
check "the counters count the revoked resource's packets as dropped (no_resource)" grows no_resource "$DROPS_BEFORE"

check "a second instance on the same interface fails with a clear reason and exit 1" bash -c "
  ip netns exec $NS_GW $JAVA --enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard -p $MODULES \
    -m zonegate.example.embedded/zonegate.example.embedded.EmbeddedGatewayExample --interface $TUN \
    --client-key $CLIENT_PUB --resource $RES/32 < /dev/null > $WORK/second.log 2>&1; status=\$?
  cat $WORK/second.log; [[ \$status == 1 ]] && grep -q 'cannot start (INTERFACE_EXISTS)' $WORK/second.log"
check "a missing option fails with exit 2 and names it" bash -c "
  ip netns exec $NS_GW $JAVA --enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard -p $MODULES \
    -m zonegate.example.embedded/zonegate.example.embedded.EmbeddedGatewayExample --resource $RES/32 \
    < /dev/null > $WORK/usage.log 2>&1; status=\$?
  cat $WORK/usage.log; [[ \$status == 2 ]] && grep -q -- '--client-key (or ZG_CLIENT_KEY) is required' $WORK/usage.log"
check "without CAP_NET_ADMIN it fails with exit 1 and says what it needs" bash -c "
  ip netns exec $NS_GW setpriv --bounding-set=-all $JAVA --enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard \
    -p $MODULES -m zonegate.example.embedded/zonegate.example.embedded.EmbeddedGatewayExample --interface ${ID}x \
    --client-key $CLIENT_PUB --resource $RES/32 < /dev/null > $WORK/nocap.log 2>&1; status=\$?
  cat $WORK/nocap.log; [[ \$status == 1 ]] && grep -q 'cannot start (MISSING_CAPABILITY): .*needs CAP_NET_ADMIN' $WORK/nocap.log"

kill "$HOLDER"  # the end of the example's standard input
wait "$EXAMPLE_PID"; STATUS=$?
check "at the end of standard input the example stops cleanly (exit 0, device gone)" bash -c "
  echo status $STATUS; tail -3 $WORK/example.log
  [[ $STATUS == 0 ]] && grep -q '^gateway stopped' $WORK/example.log &&
  ! ip netns exec $NS_GW ip link show $TUN 2>/dev/null"

background /dev/null bash -c 'exec 3>"$1"; exec sleep infinity' - "$WORK/stdin"
HOLDER=${PIDS[-1]}
example "$WORK/example2.log" --client-key "$CLIENT_PUB" --resource "$RES/32"
EXAMPLE_PID=${PIDS[-1]}
wait_for "$WORK/example2.log" '^gateway running on interface' > /dev/null
kill -TERM "$EXAMPLE_PID"
wait "$EXAMPLE_PID"; STATUS=$?
kill "$HOLDER"
check "at SIGTERM the example closes the gateway gracefully (device gone)" bash -c "
  echo status $STATUS; tail -4 $WORK/example2.log
  grep -q '^stopping (signal)' $WORK/example2.log && grep -q '^gateway stopped' $WORK/example2.log &&
  ! ip netns exec $NS_GW ip link show $TUN 2>/dev/null"
summary

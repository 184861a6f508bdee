#!/usr/bin/env bash
# Relay throughput: coturn's turnutils_uclient against `zonegate relay` and, in the same run and at the
# same offered loads, against coturn's own turnserver. Measured, not asserted: it prints figures, never
# pass/fail.
#
# usage: benchmarks/scripts/relay-throughput.sh            (as root; about 3.5 minutes with the defaults)
#   LOADS="M:N:L:Z ..."  offered loads, each M clients (-m, rounded up to even), N messages per client (-n),
#                        L bytes per message (-l), Z ms between a client's messages (-z; 0 = as fast as
#                        uclient can, up to 50 messages per client per 1 ms timer tick).
#                        Default: "2:2000:100:1 10:5000:100:1 10:5000:1000:0 20:5000:100:0"
#   MODES="channel send" ChannelData (uclient's default) and/or Send/Data indications (uclient -s)
#   AUTH=user|rest       long-term credentials: a static user (default) or the TURN REST secret
#   PORTS=200            relay port range size, the same for both servers (49152 up)
#   ZG=path              the zonegate launcher (default: the jlink image below)
#   KEEP_WORK=1          keep the logs in the work directory (printed at the start)
#
# Needs the runtime image (build it with `./build package -DskipTests`), Debian's coturn
# (turnserver, turnutils_uclient, turnutils_stunclient: scripts/install-test-deps) and iproute2. Both
# servers and uclient run on 127.0.0.1 inside a network namespace this script creates (so the UDP
# counters it samples count only this traffic), one server at a time, each started fresh for each mode
# and warmed up with two unreported runs (a flood and a paced one). uclient runs in client-to-client
# mode (-y, no RTCP -c): each message goes client -> relay -> the other client's relayed address ->
# relay -> other client, so the relay receives and sends it twice. Each client starts sending 1-6 s after connecting (uclient draws
# the delay), so the clients of a load overlap only partly.
#
# Printed per load, mode and server:
#   msg/s      messages delivered (uclient's tot_recv_msgs) divided by the busy time: the 100 ms samples
#              in which the namespace's UDP InDatagrams counter grew by more than 5 % of its busiest
#              sample, added up (so the idle gaps of uclient's staggered start are left out; its own
#              "transmit time" is whole seconds and includes them, so it is not used)
#   peak       the busiest 100 ms sample, as messages/s (three datagrams received per message)
#   lost       uclient's "Total lost packets" of the messages it sent, and the percentage
#   drops R+C  datagrams the kernel dropped for a full receive buffer during the run: R at the relay's
#              sockets (listen port and relay range), C at uclient's, from /proc/net/udp sampled every
#              100 ms (so drops in a socket's last 100 ms before it closes are missed)
#   delay      uclient's average and maximum one-way delay in ms (it has 1 ms resolution)
#   cpu us/msg the relay process's user+system CPU time during the run (connect and idle gaps
#              included) per delivered message, read from a cgroup the script puts the server in
#              (microseconds; clock ticks from /proc/PID/stat where no cgroup2 is mounted)
#   ratio      zonegate/coturn for msg/s and for cpu us/msg
# A load the relay keeps up with shows about the offered rate for both servers (the ratio is then ~1
# and says only that neither is the bottleneck); loss and CPU per message tell them apart. uclient is
# one thread; with -z 0 it can be the bottleneck itself. On a 2 vCPU machine the flood ratios moved by
# +-20 % between runs, the paced ones more (their msg/s follows uclient's stagger): compare several runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
LOADS=${LOADS:-"2:2000:100:1 10:5000:100:1 10:5000:1000:0 20:5000:100:0"}
MODES=${MODES:-"channel send"}
AUTH=${AUTH:-user}
PORTS=${PORTS:-200}
PORT=3478 RELAY_LOW=49152 RELAY_HIGH=$((49152 + PORTS - 1))
USER_NAME=bench PASSWORD=bench SECRET=bench-secret REALM=zonegate.bench

[[ -x $ZG ]] || { echo "no runtime image at $ZG: build it with ./build package -DskipTests" >&2; exit 1; }
for tool in turnserver turnutils_uclient turnutils_stunclient ip; do
  command -v "$tool" >/dev/null || { echo "$tool missing: run scripts/install-test-deps as root" >&2; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "run as root: the benchmark runs in a network namespace it creates" >&2; exit 1; }
[[ $AUTH == user || $AUTH == rest ]] || { echo "AUTH must be user or rest" >&2; exit 1; }

NS=zgrelay$(( $$ % 100000 ))
WORK=$(mktemp -d /tmp/zonegate-relay-bench.XXXXXX)
SERVER_PID= SAMPLER_PID=
# CPU time of the server: from a cgroup v2 of its own (microseconds, every thread it ever had), else
# utime + stime from /proc/PID/stat (clock ticks: 10 ms, which at the paced loads is 20 % of the figure).
CG_ROOT=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/mounts)
SERVER_CG=
cleanup() {
  set +e
  [[ -n $SAMPLER_PID ]] && kill -TERM "$SAMPLER_PID" 2>/dev/null
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null; sleep 0.5; kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  ip netns del "$NS" 2>/dev/null
  [[ -n $SERVER_CG ]] && rmdir "$SERVER_CG" 2>/dev/null
  [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
# Keep the clients' ephemeral ports out of the relay range: zonegate binds the whole range at start.
ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="20000 40000"
in_ns() { ip netns exec "$NS" "$@"; }
echo "work directory $WORK, namespace $NS, auth $AUTH, relay ports $RELAY_LOW-$RELAY_HIGH," \
  "CPU from $([[ -n $CG_ROOT ]] && echo "a cgroup under $CG_ROOT" || echo "/proc/PID/stat ticks")"

start_zonegate() {
  local auth=(--user "$USER_NAME:$PASSWORD")
  [[ $AUTH == rest ]] && auth=(--auth-secret "$SECRET")
  ip netns exec "$NS" "$ZG" relay --listen "127.0.0.1:$PORT" --relay-ports "$RELAY_LOW-$RELAY_HIGH" --realm "$REALM" \
    --allow-loopback-peers --admin-socket none "${auth[@]}" >"$WORK/zonegate-$1.log" 2>&1 &
  SERVER_PID=$!
}

start_coturn() {
  local conf=$WORK/turnserver.conf
  cat >"$conf" <<CONF
listening-ip=127.0.0.1
relay-ip=127.0.0.1
listening-port=$PORT
min-port=$RELAY_LOW
max-port=$RELAY_HIGH
realm=$REALM
fingerprint
no-cli
no-tls
no-dtls
no-tcp-relay
allow-loopback-peers
no-rfc5780
log-file=stdout
simple-log
pidfile=$WORK/turnserver.pid
userdb=$WORK/turndb
CONF
  if [[ $AUTH == rest ]]; then
    printf 'use-auth-secret\nstatic-auth-secret=%s\n' "$SECRET" >>"$conf"
  else
    printf 'lt-cred-mech\nuser=%s:%s\n' "$USER_NAME" "$PASSWORD" >>"$conf"
  fi
  ip netns exec "$NS" turnserver -c "$conf" >"$WORK/coturn-$1.log" 2>&1 &
  SERVER_PID=$!
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

await_server() { # await_server MODE: the relay answers a STUN BINDING (turnutils_stunclient hangs without one)
  for _ in $(seq 100); do
    in_ns timeout 1 turnutils_stunclient -p "$PORT" 127.0.0.1 >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "relay did not start; its log:" >&2
  tail -20 "$WORK"/*-"$1".log >&2
  exit 1
}

cpu_track() { # cpu_track: moves the server (all its threads) into its own cgroup, if there is a cgroup2 mount
  SERVER_CG=
  [[ -n $CG_ROOT ]] || return 0
  local dir=$CG_ROOT/zonegate-relay-bench-$$
  if mkdir -p "$dir" 2>/dev/null && echo "$SERVER_PID" >"$dir/cgroup.procs" 2>/dev/null; then
    SERVER_CG=$dir
  else
    echo "could not make a cgroup under $CG_ROOT: CPU time in clock ticks"
  fi
}
cpu_usec() {
  if [[ -n $SERVER_CG ]]; then
    awk '$1 == "usage_usec" {print $2}' "$SERVER_CG/cpu.stat"
  else
    awk -v hz="$(getconf CLK_TCK)" '{printf "%d\n", ($14 + $15) * 1000000 / hz}' "/proc/$SERVER_PID/stat"
  fi
}

uclient() { # uclient MODE M N L Z OUT: one uclient run, its output to OUT
  local mode=$1 m=$2 n=$3 l=$4 z=$5 out=$6 flags=() auth=(-u "$USER_NAME" -w "$PASSWORD")
  [[ $mode == send ]] && flags=(-s)
  [[ $AUTH == rest ]] && auth=(-u "$USER_NAME" -W "$SECRET")
  in_ns timeout 180 turnutils_uclient "${flags[@]}" "${auth[@]}" -c -y -e 127.0.0.1 -n "$n" -m "$m" -l "$l" \
    -z "$z" -p "$PORT" 127.0.0.1 >"$out" 2>&1 || echo "uclient exited $? (see $out)" >>"$out.status"
}

# The sampler, run inside the namespace: every 100 ms it prints "seconds InDatagrams" to its standard
# output and notes each UDP socket's drop count; on SIGTERM it writes "RELAY CLIENTS" to the file named
# by its last argument: receive-buffer drops during the run at the relay's sockets (listen port and
# relay range) and at the others (uclient's). Sockets seen first after the first sample started at 0.
cat >"$WORK/sampler.py" <<'PY'
import signal, sys, time
port, low, high, drops_file = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
first, last, initial = {}, {}, None
while not stop:
    snmp = [line.split() for line in open("/proc/net/snmp") if line.startswith("Udp:")]
    print(time.time(), snmp[1][snmp[0].index("InDatagrams")], flush=True)
    sockets = {}
    for line in list(open("/proc/net/udp"))[1:]:
        f = line.split()
        sockets[f[9]] = (int(f[1].split(":")[1], 16), int(f[-1]))
    if initial is None:
        initial = set(sockets)
    for inode, (local, drops) in sockets.items():
        first.setdefault(inode, (local, drops if inode in initial else 0))
        last[inode] = (local, drops)
    time.sleep(0.1)
relay = clients = 0
for inode, (local, drops) in last.items():
    delta = drops - first[inode][1]
    if local == port or low <= local <= high:
        relay += delta
    else:
        clients += delta
open(drops_file, "w").write("%d %d\n" % (relay, clients))
PY

# measure SERVER MODE I M N L Z: prints one result line and stores it in RESULTS[SERVER/MODE/I], I the load's
# position in LOADS (a load may be listed more than once, to repeat it)
declare -A RESULTS
measure() {
  local server=$1 mode=$2 key="$2/$3" m=$4 n=$5 l=$6 z=$7
  local base=$WORK/$server-$mode-$3-$m-$n-$l-$z
  local out=$base.out samples=$base.udp usec_before usec_after sampler drops=$base.drops
  usec_before=$(cpu_usec)
  ip netns exec "$NS" python3 "$WORK/sampler.py" "$PORT" "$RELAY_LOW" "$RELAY_HIGH" "$drops" >"$samples" &
  sampler=$!
  SAMPLER_PID=$sampler
  sleep 0.3
  uclient "$mode" "$m" "$n" "$l" "$z" "$out"
  kill -TERM "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  SAMPLER_PID=
  usec_after=$(cpu_usec)
  RESULTS[$server/$key]=$(python3 - "$out" "$samples" "$((usec_after - usec_before))" "$drops" <<'PY'
import re, sys
out, samples, usec = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3])
relay_drops, client_drops = map(int, open(sys.argv[4]).read().split())
totals = re.findall(r"tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$", out, re.M)
lost = re.search(r"Total lost packets (\d+) \(([\d.]+)%\)", out)
delay = re.search(r"Average round trip delay ([\d.]+) ms; min = \d+ ms, max = (\d+) ms", out)
if not totals or not lost or not delay:
    print("failed nan nan nan 0 0 nan nan nan nan %d %d" % (relay_drops, client_drops))
    sys.exit()
sent, received = map(int, totals[-1])
points = [tuple(map(float, line.split())) for line in open(samples) if len(line.split()) == 2]
bins = [(t1 - t0, c1 - c0) for (t0, c0), (t1, c1) in zip(points, points[1:]) if t1 > t0]
peak = max((d for _, d in bins), default=0)
busy = [(s, d) for s, d in bins if peak and d > 0.05 * peak]
busy_seconds = sum(s for s, _ in busy)
rate = received / busy_seconds if busy_seconds > 0 else float("nan")
# Each relayed message is received three times in the namespace: by the relay from the sender, by the
# relay port of the receiver's allocation, by the receiving client.
peak_rate = max((d / s for s, d in busy), default=0) / 3
cpu_us = usec / received if received else float("nan")
print("ok %.0f %.0f %s %d %d %.1f %s %.2f %s %d %d" % (rate, peak_rate, lost.group(1), sent, received, cpu_us,
      lost.group(2), float(delay.group(1)), delay.group(2), relay_drops, client_drops))
PY
)
  read -r status rate peak lost sent received cpu pct delay max_delay relay_drops client_drops \
    <<<"${RESULTS[$server/$key]}"
  printf '  %-8s %-7s m=%-2s n=%-5s l=%-4s z=%s %6s msg/s (peak %6s) lost %5s/%-6s (%.3f%%) drops %s+%s cpu %6s us/msg delay %s/%s ms %s\n' \
    "$server" "$mode" "$m" "$n" "$l" "$z" "$rate" "$peak" "$lost" "$sent" "$pct" "$relay_drops" "$client_drops" \
    "$cpu" "$delay" "$max_delay" "$([[ $status == ok ]] || echo "FAILED: see $out")"
}

for mode in $MODES; do
  for server in zonegate coturn; do
    "start_$server" "$mode"
    await_server "$mode"
    cpu_track
    # Both patterns: a flood and a paced run. A JVM relay compiles what it runs; a flood never sleeps, so
    # after a flood alone the first paced load ran its wake-up path in the interpreter.
    uclient "$mode" 4 2000 100 0 "$WORK/$server-$mode-warmup.out"
    uclient "$mode" 2 1000 100 1 "$WORK/$server-$mode-warmup-paced.out"
    echo "$server ($mode): warmed up"
    i=0
    for load in $LOADS; do
      i=$((i + 1))
      IFS=: read -r m n l z <<<"$load"
      measure "$server" "$mode" "$i" "$m" "$n" "$l" "$z"
    done
    stop_server
  done
done

echo
echo "zonegate / coturn (a msg/s ratio above 1 and a cpu ratio below 1 favour zonegate):"
for mode in $MODES; do
  i=0
  for load in $LOADS; do
    i=$((i + 1))
    read -r _ zr _ _ _ _ zc zp _ <<<"${RESULTS[zonegate/$mode/$i]}"
    read -r _ cr _ _ _ _ cc cp _ <<<"${RESULTS[coturn/$mode/$i]}"
    python3 - "$mode" "$load" "$zr" "$cr" "$zc" "$cc" "$zp" "$cp" <<'PY'
import sys
mode, load, zr, cr, zc, cc, zp, cp = sys.argv[1:]
m, n, l, z = load.split(":")
def ratio(a, b):
    try:
        return "%.2f" % (float(a) / float(b))
    except (ValueError, ZeroDivisionError):
        return "n/a"
def pct(p):
    try:
        return "%.3f%%" % float(p)
    except ValueError:
        return "n/a"
paced = "  (paced: msg/s is the offered rate as uclient staggers it)" if z != "0" else ""
print("  %-7s m=%-2s n=%-5s l=%-4s z=%s  msg/s %6s / %6s = %5s  loss %7s / %7s  cpu us/msg %6s / %6s = %5s%s"
      % (mode, m, n, l, z, zr, cr, ratio(zr, cr), pct(zp), pct(cp), zc, cc, ratio(zc, cc), paced))
PY
  done
done

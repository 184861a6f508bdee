# Shared pieces of the throughput scripts (gateway-iperf3.sh, client-iperf3.sh): iperf3 TCP and UDP cases
# and ping through a tunnel, with the CPU time and RSS of the processes that carry it, and the summary
# table. Source tests/e2e/lib.sh first. Every figure lands in RESULTS["LABEL|KEY"]; the summary compares
# two labels row by row.
#
# CPU: utime + stime of each process of CPU_NAMES/CPU_PIDS (all its threads: /proc/PID/stat), read before
# and after each case, divided by the bytes the iperf3 receiver counted (GB = 1e9 bytes).
# RSS: VmRSS of the same processes sampled every 0.2 s during the TCP cases (the maximum), and once idle.
# Warm-up: WARMUP seconds (default 5) of iperf3 TCP each way (and UDP each way where UDP is measured), not
# measured, before the first case, for every implementation alike: a JVM's first seconds run interpreted
# and compile (its compiler threads' CPU would land in the first case of each kind: measured, C2 was 9 % of
# the gateway's CPU in a UDP case after a TCP-only warm-up), and a gateway runs for days.
# RSS_DUMP=DIR (opt-in): where the memory is, for each Java process of CPU_PIDS, idle, halfway through each
# TCP case and after them: DIR/LABEL-NAME-TAG.nmt (`jcmd PID VM.native_memory summary`: start the JVM with
# ZONEGATE_JAVA_OPTS=-XX:NativeMemoryTracking=summary, or the file says NMT is off), .smaps_rollup, .smaps.

DURATION=${DURATION:-10}
UDP_RATE=${UDP_RATE:-300M}       # offered rate of the UDP cases (iperf3 -b)
UDP_LEN=${UDP_LEN:-1200}         # UDP payload bytes: fits the tunnel's 1280-byte MTU unfragmented
PINGS=${PINGS:-200}              # pings per latency case, 10 ms apart
PING_LOAD=${PING_LOAD:-1}        # 1: also ping under a background iperf3 TCP stream, as fast as it goes and at
PING_LOAD_RATE=${PING_LOAD_RATE-200M}  # this fixed rate (iperf3 -b; empty: not), below either implementation's
                                       # capacity, so the queue a saturating stream builds is left out
WARMUP=${WARMUP:-5}              # seconds of unmeasured iperf3 each way before the first case (0: none)
IPERF_PORT=5201 IPERF_LOAD_PORT=5202
declare -A RESULTS
CPU_NAMES=() CPU_PIDS=()
CLK_TCK=$(getconf CLK_TCK)

put() { RESULTS["$1|$2"]=$3; }

jvm_pid() { # jvm_pid PID: the java process behind a launcher (the launcher execs it, but a wrapper may not)
  local pid=$1 child
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == java ]] && { echo "$pid"; return; }
  child=$(pgrep -P "$pid" java | head -1)
  echo "${child:-$pid}"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of the whole process, in ticks

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

cpu_begin() { CPU_START=(); local pid; for pid in "${CPU_PIDS[@]}"; do CPU_START+=("$(cpu_ticks "$pid")"); done; }

cpu_end() { # cpu_end LABEL CASE BYTES SECONDS: stores cpu_<name> (CPU-s per GB) and core_<name> (% of a core)
  local label=$1 case=$2 bytes=$3 seconds=$4 i ticks
  for i in "${!CPU_PIDS[@]}"; do
    ticks=$(( $(cpu_ticks "${CPU_PIDS[i]}") - CPU_START[i] ))
    put "$label" "$case cpu_${CPU_NAMES[i]}" "$(python3 -c "print('%.2f' % ($ticks / $CLK_TCK / ($bytes / 1e9)))")"
    put "$label" "$case core_${CPU_NAMES[i]}" "$(python3 -c "print('%.0f' % ($ticks / $CLK_TCK * 100 / $seconds))")"
  done
}

cpu_text() { # cpu_text LABEL CASE: "CPU-s/GB gateway 3.10 (45 % core), client ..."
  local label=$1 case=$2 name out=
  for name in "${CPU_NAMES[@]}"; do
    out+=" $name ${RESULTS[$label|$case cpu_$name]} CPU-s/GB (${RESULTS[$label|$case core_$name]} % of a core)"
  done
  echo "$out"
}

rss_watch() { # rss_watch LABEL: samples each process's VmRSS every 0.2 s until rss_unwatch LABEL
  local i
  RSS_WATCHERS=()
  for i in "${!CPU_PIDS[@]}"; do
    bash -c "while :; do awk '/^VmRSS/ {print \$2}' /proc/${CPU_PIDS[i]}/status; sleep 0.2; done" \
      > "$WORK/rss-$1-${CPU_NAMES[i]}" 2>/dev/null &
    RSS_WATCHERS+=($!)
  done
}

rss_unwatch() { # rss_unwatch LABEL: stores "rss load NAME" (the maximum sample, MiB) and prints it with VmHWM
  local i pid name
  for pid in "${RSS_WATCHERS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for i in "${!CPU_PIDS[@]}"; do
    name=${CPU_NAMES[i]}
    put "$1" "rss load $name" "$(( $(sort -n "$WORK/rss-$1-$name" | tail -1) / 1024 ))"
    printf '%-12s %s RSS under TCP load (max) %s MiB, VmHWM %s MiB\n' "$1" "$name" "${RESULTS[$1|rss load $name]}" \
      "$(( $(awk '/^VmHWM/ {print $2}' "/proc/${CPU_PIDS[i]}/status") / 1024 ))"
  done
}

JCMD=${JCMD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd}
rss_dump() { # rss_dump LABEL TAG: with RSS_DUMP set, NMT and smaps of each Java process of CPU_PIDS
  [[ -n ${RSS_DUMP:-} ]] || return 0
  local i pid base
  mkdir -p "$RSS_DUMP"
  for i in "${!CPU_PIDS[@]}"; do
    pid=${CPU_PIDS[i]} base="$RSS_DUMP/$1-${CPU_NAMES[i]}-$2"
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == java ]] || continue
    "$JCMD" "$pid" VM.native_memory summary > "$base.nmt" 2>&1
    cp "/proc/$pid/smaps_rollup" "$base.smaps_rollup"; cp "/proc/$pid/smaps" "$base.smaps"
  done
}

rss_idle() { # rss_idle LABEL: each process's RSS after 2 s without traffic
  local i
  sleep 2
  for i in "${!CPU_PIDS[@]}"; do
    put "$1" "rss idle ${CPU_NAMES[i]}" "$(( $(rss_kib "${CPU_PIDS[i]}") / 1024 ))"
    printf '%-12s %s RSS idle %s MiB\n' "$1" "${CPU_NAMES[i]}" "${RESULTS[$1|rss idle ${CPU_NAMES[i]}]}"
  done
  rss_dump "$1" idle
}

warm_up() { # warm_up NS DEST [udp]: WARMUP seconds of iperf3 TCP up, then down (and with udp UDP at UDP_RATE each way), not measured
  [[ $WARMUP -gt 0 ]] || return 0
  in_ns "$1" iperf3 -c "$2" -p $IPERF_PORT -t "$WARMUP" > /dev/null
  in_ns "$1" iperf3 -c "$2" -p $IPERF_PORT -t "$WARMUP" -R > /dev/null
  [[ ${3:-} == udp ]] || return 0
  in_ns "$1" iperf3 -c "$2" -p $IPERF_PORT -t "$WARMUP" -u -b "$UDP_RATE" -l "$UDP_LEN" > /dev/null
  in_ns "$1" iperf3 -c "$2" -p $IPERF_PORT -t "$WARMUP" -u -b "$UDP_RATE" -l "$UDP_LEN" -R > /dev/null
}

tcp_result() { # tcp_result JSON: "bytes Gbit/s seconds retransmits" as an iperf3 TCP run's receiver counted them, and
  # the segments its sender retransmitted (-R: the server's, which iperf3 reports too; "-" if not given); nothing if it failed
  python3 -c '
import json, sys
end = json.load(open(sys.argv[1]))["end"]
e = end["sum_received"]
print(e["bytes"], "%.3f" % (e["bits_per_second"] / 1e9), e["seconds"], end["sum_sent"].get("retransmits", "-"))' "$1" 2>/dev/null
}

udp_result() { # udp_result JSON: "bytes Mbit/s loss% seconds" as an iperf3 UDP run's receiver counted them
  python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
r = e["sum_received"]  # the receiver side: bytes that came through, and the loss it counted
print(r["bytes"], "%.0f" % (r["bits_per_second"] / 1e6), "%.2f" % r.get("lost_percent", e["sum"]["lost_percent"]), r["seconds"])' "$1" 2>/dev/null
}

wait_for() { # wait_for SECONDS CMD...: polls CMD every 0.1 s
  local tries=$(( $1 * 10 )); shift
  for _ in $(seq "$tries"); do "$@" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

tcp_cases() { # tcp_cases LABEL NS DEST: TCP 1 and 4 streams, up (client sends) and down (-R)
  local label=$1 ns=$2 dest=$3 streams direction flag json bytes gbps seconds retransmits
  rss_watch "$label"
  for streams in 1 4; do
    for direction in up down; do
      flag=; [[ $direction == down ]] && flag=-R
      json="$WORK/tcp-$label-$streams-$direction.json"
      drops_begin
      cpu_begin
      [[ -n ${RSS_DUMP:-} ]] && { sleep $(( DURATION / 2 )); rss_dump "$label" "tcp$streams-$direction"; } &
      in_ns "$ns" iperf3 -c "$dest" -p $IPERF_PORT -t "$DURATION" -P "$streams" $flag -J > "$json"
      wait $!
      read -r bytes gbps seconds retransmits < <(tcp_result "$json")
      [[ -n $bytes ]] || { echo "$label TCP $streams stream(s) $direction: iperf3 failed ($json)" >&2; continue; }
      cpu_end "$label" "tcp$streams $direction" "$bytes" "$seconds"
      put "$label" "tcp$streams $direction gbps" "$gbps"
      printf '%-12s TCP %d stream(s) %-4s %6s Gbit/s %s, %s segments retransmitted%s\n' "$label" "$streams" "$direction" \
        "$gbps" "$(cpu_text "$label" "tcp$streams $direction")" "$retransmits" "$(drops_text ", receive-buffer drops:")"
    done
  done
  rss_unwatch "$label"
  rss_dump "$label" after-tcp
}

udp_snmp() { # udp_snmp NS FIELD: a counter of the Udp line of NS's /proc/net/snmp (InDatagrams, RcvbufErrors, ...)
  in_ns "$1" awk -v f="$2" '/^Udp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i } else { print $c; exit } }' /proc/net/snmp
}

udp_rcvbuf_errors() { udp_snmp "$1" RcvbufErrors; }  # datagrams dropped for a full socket receive buffer in NS

# UDP_DROP_NS: "name:namespace" pairs whose UDP receive-buffer drops each UDP and TCP case reports, to tell
# the gateway's losses from those of the iperf3 ends and the client (set by the script; empty: none reported).
UDP_DROP_NS=()
drops_begin() { # drops_begin: notes each UDP_DROP_NS namespace's receive-buffer drops so far
  local pair
  DROPS_BEFORE=()
  for pair in "${UDP_DROP_NS[@]}"; do DROPS_BEFORE+=("$(udp_rcvbuf_errors "${pair#*:}")"); done
}
drops_text() { # drops_text PREFIX: PREFIX and " name N" per UDP_DROP_NS namespace, its drops since drops_begin (nothing if none)
  local pair text= i=0
  for pair in "${UDP_DROP_NS[@]}"; do
    text+=" ${pair%%:*} $(( $(udp_rcvbuf_errors "${pair#*:}") - DROPS_BEFORE[i] ))"; i=$((i + 1))
  done
  [[ -z $text ]] || echo "$1$text"
}
udp_cases() { # udp_cases LABEL NS DEST: UDP at UDP_RATE offered, up and down: loss, received rate, CPU
  local label=$1 ns=$2 dest=$3 direction flag json bytes mbps loss seconds drops
  for direction in up down; do
    flag=; [[ $direction == down ]] && flag=-R
    json="$WORK/udp-$label-$direction.json"
    drops_begin
    cpu_begin
    in_ns "$ns" iperf3 -c "$dest" -p $IPERF_PORT -u -b "$UDP_RATE" -l "$UDP_LEN" -t "$DURATION" $flag -J > "$json"
    read -r bytes mbps loss seconds < <(udp_result "$json")
    [[ -n $bytes ]] || { echo "$label UDP $direction: iperf3 failed ($json)" >&2; continue; }
    cpu_end "$label" "udp $direction" "$bytes" "$seconds"
    put "$label" "udp $direction mbps" "$mbps"
    put "$label" "udp $direction loss" "$loss"
    drops=$(drops_text)
    printf '%-12s UDP %s offered %-4s %5s Mbit/s received, %s %% lost %s\n' "$label" "$UDP_RATE" "$direction" \
      "$mbps" "$loss" "$(cpu_text "$label" "udp $direction")"
    [[ -n $drops ]] && printf '%-12s UDP %-4s receive-buffer drops:%s\n' "$label" "$direction" "$drops"
  done
}

# ping_case LABEL NS DEST [load|rate]: PINGS pings 10 ms apart: avg, p50, p99 RTT in ms; idle, or under a
# background TCP stream as fast as it goes (load) or at PING_LOAD_RATE (rate)
ping_case() {
  local label=$1 ns=$2 dest=$3 load=${4:-} loadpid= stats
  local -a rate=()
  [[ $load == rate ]] && rate=(-b "$PING_LOAD_RATE")
  if [[ -n $load ]]; then
    in_ns "$ns" iperf3 -c "$dest" -p $IPERF_LOAD_PORT -t $(( PINGS / 100 + 4 )) ${rate[@]+"${rate[@]}"} > /dev/null 2>&1 &
    loadpid=$!; sleep 1
  fi
  stats=$(in_ns "$ns" ping -c "$PINGS" -i 0.01 -W 1 "$dest" | python3 -c '
import re, statistics, sys
rtts = sorted(float(m.group(1)) for m in re.finditer(r"time=([0-9.]+) ms", sys.stdin.read()))
if not rtts: print("- - - 100"); sys.exit()
pick = lambda q: rtts[min(len(rtts) - 1, int(q * len(rtts)))]
print("%.3f %.3f %.3f %d" % (statistics.mean(rtts), pick(0.5), pick(0.99), 100 - 100 * len(rtts) // int(sys.argv[1])))' "$PINGS")
  [[ -n $loadpid ]] && wait "$loadpid"
  read -r avg p50 p99 lost <<<"$stats"
  local case="ping${load:+ $load}"
  put "$label" "$case avg" "$avg"; put "$label" "$case p50" "$p50"; put "$label" "$case p99" "$p99"
  printf '%-12s ping %-5s %d x 10 ms: avg %s ms, p50 %s ms, p99 %s ms, %s %% lost\n' "$label" \
    "${load:-idle}${rate:+ $PING_LOAD_RATE}" "$PINGS" "$avg" "$p50" "$p99" "$lost"
}

latency_cases() { # latency_cases LABEL NS DEST
  ping_case "$1" "$2" "$3"
  [[ $PING_LOAD == 1 ]] && ping_case "$1" "$2" "$3" load
  [[ $PING_LOAD == 1 && -n $PING_LOAD_RATE ]] && ping_case "$1" "$2" "$3" rate
  return 0
}

ping_rows() { # ping_rows: the summary rows of the latency cases latency_cases ran
  local load stat text
  for load in "" load rate; do
    [[ -z $load || $PING_LOAD == 1 ]] || continue
    [[ $load != rate || -n $PING_LOAD_RATE ]] || continue
    case $load in load) text="under TCP load " ;; rate) text="under TCP at $PING_LOAD_RATE " ;; *) text= ;; esac
    for stat in avg p50 p99; do echo "ping${load:+ $load} $stat|ping RTT $text$stat|lower|ms"; done
  done
}

# The summary: one markdown row per figure. ROW kinds: higher (the first label's figure should be at least
# THROUGHPUT_TARGET times the second's), cpu (at most a third), lower (at most the second's), rss (under
# 100 MiB), info (no target).
THROUGHPUT_TARGET=${THROUGHPUT_TARGET:-1}
summary_table() { # summary_table A B ROW...; ROW = "KEY|description|kind|unit"
  local a=$1 b=$2 row key text kind unit va vb ratio target met
  shift 2
  echo
  echo "| figure | $a | $b | $a / $b | target | met |"
  echo "|---|---:|---:|---:|---|---|"
  for row in "$@"; do
    IFS='|' read -r key text kind unit <<<"$row"
    va=${RESULTS[$a|$key]:--} vb=${RESULTS[$b|$key]:--}
    read -r ratio met < <(python3 -c '
import sys
a, b, kind, t = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
def num(x):
    try: return float(x)
    except ValueError: return None
fa, fb = num(a), num(b)
ratio = "%.2f" % (fa / fb) if fa is not None and fb else "-"
checks = {"higher": lambda: fa >= t * fb, "cpu": lambda: fa <= fb / 3, "lower": lambda: fa <= fb, "rss": lambda: fa < 100}
if kind not in checks or fa is None or (kind != "rss" and fb is None): met = "-"
else: met = "yes" if checks[kind]() else "**no**"
print(ratio, met)
' "$va" "$vb" "$kind" "$THROUGHPUT_TARGET")
    case $kind in
      higher) target=">= ${THROUGHPUT_TARGET}x" ;; cpu) target="<= 1/3" ;; lower) target="<= $b" ;;
      rss) target="< 100 MiB" ;; *) target= ;;
    esac
    echo "| $text ($unit) | $va | $vb | $ratio | $target | $met |"
  done
}

tcp_rows() { # tcp_rows NAME...: the summary rows of the TCP cases, with CPU-s/GB of each named process
  local streams direction name
  for streams in 1 4; do
    for direction in up down; do
      echo "tcp$streams $direction gbps|TCP $streams stream(s) $direction|higher|Gbit/s"
      for name in "$@"; do
        echo "tcp$streams $direction cpu_$name|TCP $streams stream(s) $direction, $name CPU|cpu|CPU-s/GB"
      done
    done
  done
}

ice_lab_files() { # ice_lab_files: routes to the portal's namespace, tokens for gw-a and alice, the portal's TLS
  # key and certificate (for PORTAL_IP) and its config (alice may reach 198.18.3.0/30 through gw-a), in WORK
  in_ns "$NS_C1" ip route add default via "$GW_C1"
  in_ns "$NS_C2" ip route add default via "$GW_C2"

  mkdir -p "$WORK/tokens"
  for who in gw-a alice; do (umask 077; "$ZG" token > "$WORK/tokens/$who" 2> "$WORK/tokens/$who.sha256"); done
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=zonegate-portal \
    -addext "subjectAltName=IP:$PORTAL_IP" -keyout "$WORK/portal.key" -out "$WORK/portal.pem" 2>/dev/null
  chmod 600 "$WORK/portal.key"
  cat > "$WORK/portal.json" <<JSON
{
  "portal": { "listen": "$PORTAL_IP:8443", "tls": { "certificateFile": "$WORK/portal.pem", "privateKeyFile": "$WORK/portal.key" } },
  "sites": [ { "id": "lab" } ],
  "gateways": [ { "name": "gw-a", "site": "lab", "tokenSha256": "$(cat "$WORK/tokens/gw-a.sha256")" } ],
  "clients": [ { "name": "alice", "tokenSha256": "$(cat "$WORK/tokens/alice.sha256")", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" } ],
  "resources": [ { "id": "res-net", "site": "lab", "type": "cidr", "address": "198.18.3.0/30" } ],
  "policies": [ { "client": "alice", "resource": "res-net" } ]
}
JSON
}

static_lab_files() { # static_lab_files: keys of the gateway and alice, the static gateway's config (alice may reach
  # 198.18.3.0/30) and alice's wg-quick config, in WORK; sets GW_PUB and ALICE_PUB
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
}

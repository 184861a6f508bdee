#!/usr/bin/env bash
# End-to-end test of the ICE mode: `zonegate portal`, a relay that registers, gateways behind a NAT
# router (no inbound port) and the headless `zonegate client` behind another, in network namespaces this
# script creates. Run as root from the repository root after `./build package`; prints one line per check,
# "measure:" lines with the figures the issue asks for, and "e2e: N passed, M failed".
#
#   ${ID}net "internet": portal wss://198.18.10.1:8443, relay 198.18.10.1:3478 (ports 49152-49251)
#      198.18.10.1 --- 198.18.10.2 ${ID}ng NAT  198.18.20.1 --- 198.18.20.2 ${ID}gw  (gateway gw-a) 198.18.30.1 --- 198.18.30.2 ${ID}res
#                                           198.18.22.1 --- 198.18.22.2 ${ID}g2  (gateway gw-b) 198.18.31.1 --- 198.18.31.2 ${ID}res
#      198.18.11.1 --- 198.18.11.2 ${ID}nc NAT  198.18.21.1 --- 198.18.21.2 ${ID}c   (client alice)
#                                           198.18.21.5 --- 198.18.21.6 ${ID}c   (its second uplink, for roaming)
# The NAT routers masquerade (port-preserving) and drop what no mapping answers; `symmetric` switches them
# to `masquerade random`. The gateways masquerade towards the resource host.
cd "$(dirname "$0")/../.." || exit 1
source tests/e2e/lib.sh
ZG=${ZG:-$PWD/gateway-app/target/zonegate/bin/zonegate}
[[ -x $ZG ]] || { echo "no runtime image at $ZG: run ./build package first" >&2; exit 1; }

LOG_LEVEL=debug
source tests/e2e/ice-lib.sh

setup
ice_prepare
check "the portal starts and listens with TLS" start_portal
check "the relay registers with the portal" start_relay
check "gateway gw-a starts behind its NAT with everything from the portal" start_gateway "$NS_GW" gw-a
GW_A_PID=$GATEWAY_PID
check "the client brings up its TUN device with its tunnel address" start_client

first_reply() { # first_reply LABEL: pings RES once on a new connection and reports the time of the first reply
  local out rtt
  out=$(in_ns "$NS_C" ping -c 1 -W 5 "$RES" 2>&1); echo "$out"
  rtt=$(sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' <<<"$out")
  [[ -n $rtt ]] && measure "first packet to first reply, $1: $rtt ms"
}
transfer() { # transfer NAME URL: downloads the blob and compares it
  in_ns "$NS_C" curl -sS --max-time 30 -o "$WORK/blob.$1" "$2" && cmp "$WORK/blob" "$WORK/blob.$1"
}
dns_transfer() { # dns_transfer NAME: resolves app.test at the client's stub resolver and downloads from the proxy address
  local a
  a=$(in_ns "$NS_C" dig +short +time=3 +tries=2 @"$SENTINEL" app.test A | head -1); echo "A: $a"
  [[ $a == 100.9[6-9].* || $a == 100.1[0-2][0-9].* ]] && transfer "$1" "http://$a:8080/blob"
}
iperf() { # iperf LABEL: 10 s of TCP through the tunnel, reported
  in_ns "$NS_C" iperf3 -c "$RES" -t 10 -J > "$WORK/iperf-$1.json" || return 1
  python3 - "$WORK/iperf-$1.json" "$1" >> "$WORK/measures" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("iperf3 %s: %.0f Mbit/s" % (sys.argv[2], r["end"]["sum_received"]["bits_per_second"] / 1e6))
PY
  tail -1 "$WORK/measures" | sed 's/^/measure: /'
}

# ---- port-preserving NATs: a direct path
check "a new connection: the first ping gets its reply over the direct path" first_reply "direct"
RELAYED_BEFORE=$(relayed_bytes)
check "the client pings a CIDR resource" in_ns "$NS_C" ping -c 3 -i 0.2 -W 3 "$RES"
check "the client downloads a file from a CIDR resource" transfer cidr "http://$RES:8080/blob"
check "the client resolves a DNS resource at its stub resolver and downloads from it" dns_transfer dns
check "a filtered port gets ICMP administratively prohibited" in_ns "$NS_C" python3 tests/e2e/refused.py "$RES" 22
RELAYED_DIRECT=$(( $(relayed_bytes) - RELAYED_BEFORE ))
measure "relayed bytes during 4 MiB of direct traffic: $RELAYED_DIRECT"
check "the relay carried none of the direct path's traffic" test "$RELAYED_DIRECT" -lt 200000
check "iperf3 for 10 s over the direct path" iperf direct
# zonegate status on gw-a (issue 15): the connected client on its direct path; no token in the answer.
in_ns "$NS_GW" "$ZG" status --socket "$WORK/gw-a.sock" --json > "$WORK/status-direct.json" 2>&1
check "zonegate status on gw-a shows the client connected over the direct path" python3 - "$WORK/status-direct.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
c = next(c for c in s["clients"] if "100.64.0.2" in c["tunnel_addresses"])
print(c["id"], c["connection"], c["latest_handshake_seconds_ago"], c["rx_bytes"], c["tx_bytes"])
assert s["mode"] == "ice" and s["interface"]["name"] == "zgg0" and s["interface"]["tunnel_addresses"]
assert c["connection"]["state"] in ("connected", "idle") and c["connection"]["path"] == "direct"
assert c["latest_handshake_seconds_ago"] is not None and c["rx_bytes"] > 0 and c["tx_bytes"] > 0
PY
check "zonegate status on gw-a holds no token" bash -c "
  for t in $WORK/tokens/*; do ! grep -qF -- \"\$(cat \$t)\" $WORK/status-direct.json || exit 1; done"

# The attacker in the internet sends at the NAT router's address and, routed past it, at the gateway itself.
in_ns "$NS_NET" ip route add 198.18.20.0/30 via "$NATG_WAN"
check "the client's and the gateway's /readyz pass with the portal connected, and their metrics count the handshake" bash -c "
  scrape $NS_C /readyz | grep '\"portal\":{\"ok\":true' && scrape $NS_GW /readyz | grep '\"portal\":{\"ok\":true' &&
  scrape $NS_C /metrics > $WORK/client-metrics.txt && scrape $NS_GW /metrics > $WORK/gateway-metrics.txt &&
  grep -E '^zonegate_(handshakes_completed|client_connections|datagrams_received)' $WORK/client-metrics.txt $WORK/gateway-metrics.txt &&
  grep -qE '^zonegate_handshakes_completed_total\{role=\"initiator\"\} [1-9]' $WORK/client-metrics.txt &&
  grep -qE '^zonegate_client_connections [1-9]' $WORK/client-metrics.txt &&
  grep -qE '^zonegate_handshakes_completed_total\{role=\"responder\"\} [1-9]' $WORK/gateway-metrics.txt &&
  grep -qE '^zonegate_filter_decisions_total\{verdict=\"allowed\"\} [1-9]' $WORK/gateway-metrics.txt"
check "nothing unsolicited from the internet reaches the gateway" bash -c "
  ip netns exec $NS_NET python3 - $ATTACKER $NATG_WAN $GW <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
for target in sys.argv[2:]:
    for port in list(range(1024, 65536, 61)) + [51820, 3478]:
        s.sendto(b'unsolicited', (target, port))
PY
  sleep 0.5"
check "the gateway counted no datagram from the attacker" test "$(unsolicited_packets)" -eq 0
in_ns "$NS_NET" ip route del 198.18.20.0/30 via "$NATG_WAN"
WARN_FREE_END=$(date +%s)

# ---- symmetric NATs on both sides: through the relay
symmetric
kill -USR1 "$CLIENT_PID"
sleep 1
check "after a reset behind symmetric NATs, the first ping gets its reply through the relay" first_reply "relayed"
RELAYED_BEFORE=$(relayed_bytes)
check "the client pings the CIDR resource through the relay" in_ns "$NS_C" ping -c 3 -i 0.2 -W 3 "$RES"
check "the client downloads a file through the relay" transfer relayed "http://$RES:8080/blob"
check "the client reaches the DNS resource through the relay" dns_transfer relayed-dns
RELAYED_NOW=$(( $(relayed_bytes) - RELAYED_BEFORE ))
measure "relayed bytes during 4 MiB through the relay: $RELAYED_NOW"
check "the relay carried the traffic" test "$RELAYED_NOW" -gt 4000000
check "iperf3 for 10 s through the relay" iperf relayed
in_ns "$NS_GW" "$ZG" status --socket "$WORK/gw-a.sock" --json > "$WORK/status-relayed.json" 2>&1
in_ns "$NS_NET" "$ZG" status --socket "$WORK/relay.sock" --json > "$WORK/status-relay.json" 2>&1
check "zonegate status shows the relayed path on gw-a and the allocations on the relay" python3 - "$WORK" <<'PY'
import json, sys
gw = json.load(open(sys.argv[1] + "/status-relayed.json"))
relay = json.load(open(sys.argv[1] + "/status-relay.json"))
c = next(c for c in gw["clients"] if "100.64.0.2" in c["tunnel_addresses"])
print(c["connection"], gw["relays"], [(a["client"], a["relayed"], a["channels"]) for a in relay["allocations"]])
assert c["connection"]["path"] == "relayed" and any(r["relayed"] for r in gw["relays"])
assert relay["role"] == "relay" and len(relay["allocations"]) >= 1
PY
nat_rules "$NS_NATG" 198.18.20.0/22; nat_rules "$NS_NATC" 198.18.21.0/29
kill -USR1 "$CLIENT_PID"; sleep 1
in_ns "$NS_C" ping -c 1 -W 5 "$RES" >/dev/null

# ---- revocation by editing portal.json
check "the DNS resource works before its revocation" dns_transfer before-revoke
PROXY=$(in_ns "$NS_C" dig +short +time=3 +tries=2 @"$SENTINEL" app.test A | head -1)
write_portal ""
REVOKED_AT=$(ms)
check "revoking the DNS resource in portal.json ends its access within 2 s" bash -c "
  while (( \$(date +%s%N) / 1000000 - $REVOKED_AT < 2000 )); do
    ip netns exec $NS_C curl -s --max-time 0.2 -o /dev/null http://$PROXY:8080/ || exit 0
  done; exit 1"
measure "revocation in portal.json to no access: $(( $(ms) - REVOKED_AT )) ms"
check "the CIDR resource is unaffected by the revocation" in_ns "$NS_C" ping -c 2 -i 0.2 -W 2 "$RES"
write_portal "$APP_POLICY"

# ---- two gateways in one site: graceful stop moves the client; a restart recovers it
start_gateway "$NS_GW2" gw-b; GW_B_PID=$GATEWAY_PID
sleep 1
in_ns "$NS_C" ping -c 1 -W 3 "$RES" >/dev/null
recovers() { # recovers LABEL: pings every 100 ms until a reply, within 5 s; reports the time
  local start; start=$(ms)
  for _ in $(seq 50); do
    if in_ns "$NS_C" ping -c 1 -W 1 "$RES" >/dev/null 2>&1; then measure "$1: $(( $(ms) - start )) ms"; return 0; fi
    sleep 0.1
  done
  return 1
}
kill -TERM "$GW_A_PID"
check "stopping gw-a gracefully moves the client to gw-b within 5 s" recovers "graceful stop of gw-a to traffic via gw-b"
check "gw-a said goodbye and stopped" bash -c "sleep 1; grep -q 'gateway stopped' $WORK/gw-a.log"
kill -TERM "$GW_B_PID"; wait "$GW_B_PID" 2>/dev/null
start_gateway "$NS_GW2" gw-b; GW_B_PID=$GATEWAY_PID
check "restarting the single gateway: the client recovers within 5 s" recovers "restart of gw-b to traffic"

# ---- roaming: the client's address changes
# Roaming: the first uplink goes away; the client's traffic leaves by the second one, from another address.
UPLINK=$(in_ns "$NS_C" ip -o -4 addr show | awk -v a="$CL/" 'index($4, a) == 1 {print $2}')
in_ns "$NS_C" bash -c "ip addr flush dev $UPLINK && ip route add default via $NATC_LAN2"
check "after the client's address changes, traffic resumes within 5 s" recovers "roaming to traffic"

# ---- a wrong token
check "a gateway with a wrong token is refused with a clear message and exit code 3" bash -c "
  ip netns exec $NS_GW timeout 20 $ZG gateway --portal $PORTAL --token-file $WORK/tokens/intruder \
    --portal-ca $WORK/portal.pem --interface zgx0 --admin-socket none > $WORK/intruder.log 2>&1; code=\$?; cat $WORK/intruder.log
  [[ \$code == 3 ]] && grep -q 'refused' $WORK/intruder.log"
check "the portal keeps serving the others" in_ns "$NS_C" ping -c 2 -i 0.2 -W 2 "$RES"

kill -TERM "$CLIENT_PID"
check "the client signs out and stops on SIGTERM" bash -c "
  for _ in \$(seq 50); do kill -0 $CLIENT_PID 2>/dev/null || break; sleep 0.1; done; ! kill -0 $CLIENT_PID 2>/dev/null"
kill -TERM "$GW_B_PID"
sleep 1
check "no ERROR in any log" bash -c "! grep -H ' ERROR \|\"level\": *\"ERROR\"' $WORK/portal.log $WORK/relay.log $WORK/gw-*.log $WORK/client.log"
check "no WARN in the fault-free part of the run" python3 - "$WARN_FREE_END" "$WORK" <<'PY'
import datetime, os, sys
# Text log lines start with an ISO-8601 time; only lines before the first fault are checked.
end = int(sys.argv[1])
bad = []
for path in [os.path.join(sys.argv[2], n) for n in ("portal.log", "relay.log", "gw-a.log", "client.log")]:
    for line in open(path, errors="replace"):
        try:
            at = datetime.datetime.fromisoformat(line.split(" ", 1)[0]).timestamp()
        except ValueError:
            continue
        if " WARN " in line and at < end:
            bad.append(path + ": " + line.strip())
print("\n".join(bad))
assert not bad
PY
cat "$WORK/measures" 2>/dev/null | sed 's/^/measure summary: /'
summary

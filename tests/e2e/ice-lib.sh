# The ICE-mode system in network namespaces (used by tests/e2e/ice.sh and scripts/demo; see the topology
# there): namespaces and NAT routers, tokens and a self-signed portal certificate, the portal's file, the
# resource host's services, and starting each part. Source tests/e2e/lib.sh first.

NS_NET=${ID}net NS_NATG=${ID}ng NS_NATC=${ID}nc NS_GW=${ID}gw NS_GW2=${ID}g2 NS_C=${ID}c NS_RES=${ID}res
NAMESPACES=("$NS_NET" "$NS_NATG" "$NS_NATC" "$NS_GW" "$NS_GW2" "$NS_C" "$NS_RES")
NET=198.18.10.1 NATG_WAN=198.18.10.2 NET_C=198.18.11.1 NATC_WAN=198.18.11.2
NATG_LAN=198.18.20.1 GW=198.18.20.2 NATG_LAN2=198.18.22.1 GW2=198.18.22.2 NATC_LAN=198.18.21.1 CL=198.18.21.2
NATC_LAN2=198.18.21.5 CL2=198.18.21.6  # the client's second uplink, where it roams to
GW_RES=198.18.30.1 RES=198.18.30.2 GW2_RES=198.18.31.1 RES2=198.18.31.2
ATTACKER=198.18.13.1 PORTAL=wss://$NET:8443 SENTINEL=100.100.111.1
zg() { "$ZG" "$@"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
measure() { echo "measure: $*"; echo "$*" >> "$WORK/measures"; }

# A home router: what no mapping answers is dropped before conntrack keeps it (an unsolicited datagram that
# reached the router's own input would hold its tuple and make the router move the next outbound mapping of
# that tuple to another port, defeating a port-preserving NAT).
nat_rules() { # nat_rules NS LAN_PREFIX [random]: masquerade LAN_PREFIX out, let only replies in
  in_ns "$1" nft -f - <<NFT
flush ruleset
table ip nat {
  chain post { type nat hook postrouting priority 100; ip saddr $2 masquerade ${3:-}; }
}
table ip filter {
  chain input_in { type filter hook input priority 0; policy drop;
    ct state established,related accept
    iif lo accept
    ip saddr $2 accept
  }
  chain forward_in { type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ip saddr $2 accept
  }
}
NFT
}
symmetric() { nat_rules "$NS_NATG" 198.18.20.0/22 random; nat_rules "$NS_NATC" 198.18.21.0/29 random; }

setup() {
  make_namespaces
  link "$NS_NET" "$NET" "$NS_NATG" "$NATG_WAN"
  link "$NS_NET" "$NET_C" "$NS_NATC" "$NATC_WAN"
  link "$NS_NATG" "$NATG_LAN" "$NS_GW" "$GW"
  link "$NS_NATG" "$NATG_LAN2" "$NS_GW2" "$GW2"
  link "$NS_NATC" "$NATC_LAN" "$NS_C" "$CL"
  link "$NS_NATC" "$NATC_LAN2" "$NS_C" "$CL2"
  link "$NS_GW" "$GW_RES" "$NS_RES" "$RES"
  link "$NS_GW2" "$GW2_RES" "$NS_RES" "$RES2"
  in_ns "$NS_NET" ip addr add "$ATTACKER/32" dev lo
  for ns in "$NS_NET" "$NS_NATG" "$NS_NATC" "$NS_GW" "$NS_GW2"; do in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1; done
  in_ns "$NS_NATG" ip route add default via "$NET"
  in_ns "$NS_NATC" ip route add default via "$NET_C"
  in_ns "$NS_GW" ip route add default via "$NATG_LAN"
  in_ns "$NS_GW2" ip route add default via "$NATG_LAN2"
  in_ns "$NS_GW2" ip route add 198.18.30.0/30 via "$RES2"
  in_ns "$NS_C" ip route add default via "$NATC_LAN"
  nat_rules "$NS_NATG" 198.18.20.0/22
  nat_rules "$NS_NATC" 198.18.21.0/29
  for ns in "$NS_GW" "$NS_GW2"; do
    in_ns "$ns" nft -f - <<NFT
table ip nat {
  chain post { type nat hook postrouting priority 100; ip saddr 100.64.0.0/11 ip daddr 198.18.30.0/30 masquerade; }
}
NFT
  done
  # What reaches the relay (its TURN port and its allocations), and what reaches the gateway from the attacker.
  in_ns "$NS_NET" nft -f - <<NFT
table ip count {
  counter relayed { }
  chain input { type filter hook input priority 0; udp dport { 3478, 49152-49251 } counter name relayed; }
}
NFT
  in_ns "$NS_GW" nft -f - <<NFT
table ip count {
  counter unsolicited { }
  chain input { type filter hook input priority 0; ip saddr $ATTACKER counter name unsolicited; }
}
NFT
}
zg() { "$ZG" "$@"; }

relayed_bytes() { in_ns "$NS_NET" nft -j list counter ip count relayed | python3 -c \
  'import json,sys; print([o["counter"]["bytes"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])'; }
unsolicited_packets() { in_ns "$NS_GW" nft -j list counter ip count unsolicited | python3 -c \
  'import json,sys; print([o["counter"]["packets"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])'; }


sha() { cat "$WORK/tokens/$1.sha256"; }
write_portal() { # write_portal [APP_POLICY_JSON]: the portal's file; the DNS resource's policy is optional
  cat > "$WORK/portal.json.tmp" <<JSON
{
  "portal": { "listen": "$NET:8443",
              "tls": { "certificateFile": "$WORK/portal.pem", "privateKeyFile": "$WORK/portal.key" } },
  "sites": [ { "id": "lab", "name": "Lab" } ],
  "gateways": [ { "name": "gw-a", "site": "lab", "tokenSha256": "$(sha gw-a)" },
                { "name": "gw-b", "site": "lab", "tokenSha256": "$(sha gw-b)" } ],
  "relays": [ { "name": "relay-1", "tokenSha256": "$(sha relay-1)" } ],
  "clients": [ { "name": "alice", "tokenSha256": "$(sha alice)", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" } ],
  "resources": [
    { "id": "res-net", "site": "lab", "type": "cidr", "address": "198.18.30.0/30",
      "filters": [ { "protocol": "tcp", "ports": "8080" }, { "protocol": "tcp", "ports": "5201" }, { "protocol": "icmp" } ] },
    { "id": "$APP_ID", "name": "app", "site": "lab", "type": "dns", "address": "app.test", "filters": [ { "protocol": "tcp", "ports": "8080" } ] }
  ],
  "policies": [ { "client": "alice", "resource": "res-net" }${1:-} ]
}
JSON
  mv "$WORK/portal.json.tmp" "$WORK/portal.json"
}

APP_ID=0b9d7e7a-5c1e-4a8e-9a3b-6d2f1e0c4a11  # DNS resources served through the portal have UUID ids
APP_POLICY=", { \"client\": \"alice\", \"resource\": \"$APP_ID\" }"

ice_prepare() { # tokens, the portal's certificate and file, the resource host's services
mkdir -p "$WORK/tokens"
for who in gw-a gw-b relay-1 alice intruder; do
  (umask 077; zg token > "$WORK/tokens/$who" 2> "$WORK/tokens/$who.sha256")
done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=zonegate-portal \
  -addext "subjectAltName=IP:$NET" -keyout "$WORK/portal.key" -out "$WORK/portal.pem" 2>/dev/null
chmod 600 "$WORK/portal.key"

write_portal "$APP_POLICY"

# The resource host: a web server with a 2 MiB file, iperf3, and the DNS server the gateways ask.
head -c 2097152 /dev/urandom > "$WORK/blob"
background "$WORK/http.log" ip netns exec "$NS_RES" python3 -m http.server 8080 --bind "$RES" --directory "$WORK"
background "$WORK/iperf3.log" ip netns exec "$NS_RES" iperf3 -s -B "$RES"
background "$WORK/dnsmasq.log" ip netns exec "$NS_RES" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces \
  --listen-address="$RES" --address=/app.test/"$RES"
}

start_portal() { # the portal in the internet namespace; sets PORTAL_PID once it listens
  background "$WORK/portal.log" ip netns exec "$NS_NET" "$ZG" --log-level "${LOG_LEVEL:-info}" portal --config "$WORK/portal.json"
  PORTAL_PID=${PIDS[-1]}
  for _ in $(seq 150); do in_ns "$NS_NET" bash -c "</dev/tcp/$NET/8443" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

start_relay() { # the relay, registering with the portal
  background "$WORK/relay.log" ip netns exec "$NS_NET" "$ZG" --log-level "${LOG_LEVEL:-info}" relay --listen "$NET:3478" --relay-ports 49152-49251 \
    --portal "$PORTAL" --token-file "$WORK/tokens/relay-1" --portal-ca "$WORK/portal.pem" --name relay-1 \
    --admin-socket "$WORK/relay.sock"
  for _ in $(seq 150); do grep -q 'relay registered with the portal' "$WORK/relay.log" && return 0; sleep 0.1; done
  return 1
}

start_gateway() { # start_gateway NS NAME: a gateway in ICE mode (gw-b with the JCE AEAD and TUN offloads off, others native and on); sets GATEWAY_PID once it runs
  background "$WORK/$2.log" ip netns exec "$1" "$ZG" --log-level "${LOG_LEVEL:-info}" gateway --portal "$PORTAL" --token-file "$WORK/tokens/$2" \
    --portal-ca "$WORK/portal.pem" --name "$2" --interface zgg0 --upstream-dns "$RES" --aead "$([[ $2 == gw-b ]] && echo jce || echo native)" \
    --tun-offload "$([[ $2 == gw-b ]] && echo off || echo "${TUN_OFFLOAD:-on}")" --metrics 127.0.0.1:9464 --admin-socket "$WORK/$2.sock"
  GATEWAY_PID=${PIDS[-1]}
  for _ in $(seq 150); do grep -q "gateway in ICE mode" "$WORK/$2.log" && return 0; sleep 0.1; done
  return 1
}

scrape() { # scrape NS PATH: an answer of the metrics listener of the gateway or client in NS (its loopback)
  ip netns exec "$1" curl -sS --max-time 5 "http://127.0.0.1:9464$2"
}
export -f scrape  # for checks run by bash -c

start_client() { # start_client [DNS_MODE]: alice's headless client; sets CLIENT_PID once its TUN has its address
  background "$WORK/client.log" ip netns exec "$NS_C" "$ZG" --log-level "${LOG_LEVEL:-info}" client --portal "$PORTAL" --token-file "$WORK/tokens/alice" \
    --portal-ca "$WORK/portal.pem" --interface zgc0 --dns "${1:-none}" --aead native --tun-offload "${TUN_OFFLOAD:-on}" --metrics 127.0.0.1:9464
  CLIENT_PID=${PIDS[-1]}
  for _ in $(seq 150); do in_ns "$NS_C" ip -4 addr show zgc0 2>/dev/null | grep -q 100.64.0.2 && return 0; sleep 0.1; done
  return 1
}

#!/usr/bin/env bash
# Runs the linked image itself: a module missing from the image only shows here, never in module-path tests.
# usage: smoke-test.sh IMAGE_DIR
set -euo pipefail
zg="$1/bin/zonegate"
fail() { echo "image smoke test FAILED: $*" >&2; exit 1; }

version=$("$zg" --version) || fail "zonegate --version exited $?"
[[ $version == zonegate* ]] || fail "unexpected --version output: $version"

private=$("$zg" keygen) || fail "zonegate keygen exited $?"
[[ $private =~ ^[A-Za-z0-9+/]{43}=$ ]] || fail "keygen printed no WireGuard key: $private"
public=$(printf '%s\n' "$private" | "$zg" pubkey) || fail "zonegate pubkey exited $?"
[[ $public =~ ^[A-Za-z0-9+/]{43}=$ ]] || fail "pubkey printed no WireGuard key: $public"
if command -v wg >/dev/null; then
  expected=$(printf '%s\n' "$private" | wg pubkey)
  [[ $public == "$expected" ]] || fail "pubkey $public differs from wg pubkey $expected"
fi
if printf 'not a key\n' | "$zg" pubkey 2>/dev/null; then fail "pubkey accepted a malformed key"; fi

examples="$(dirname "$0")/../../../examples"
copy=$(mktemp -d); trap 'rm -rf "$copy"' EXIT
cp "$examples/gateway.json" "$examples/gateway.key" "$copy/"
chmod 644 "$copy/gateway.key"
if refused=$("$zg" check-config "$copy/gateway.json" 2>&1); then fail "check-config accepted a key file others can read"; fi
[[ $refused == *"chmod 600 $copy/gateway.key"* ]] || fail "no chmod advice for a key file others can read: $refused"
chmod 600 "$copy/gateway.key"
checked=$("$zg" check-config "$copy/gateway.json") || fail "check-config of the example exited $?"
[[ $checked == *": OK ("* ]] || fail "unexpected check-config output: $checked"

help=$("$zg" portal --help) || fail "zonegate portal --help exited $?"
[[ $help == *"--config"* ]] || fail "unexpected portal --help output: $help"
# The portal really starts from the image (Helidon finds its providers only if their modules were linked).
sed 's/"listen": "0.0.0.0:8443",/"listen": "127.0.0.1:0"/; /"tls"/d' "$examples/portal.json" > "$copy/portal.json"
"$zg" portal --config "$copy/portal.json" > "$copy/portal.log" 2>&1 &
portal=$!
for _ in $(seq 1 100); do
  grep -q "listening on ws://" "$copy/portal.log" && break
  kill -0 "$portal" 2>/dev/null || break
  sleep 0.1
done
grep -q "listening on ws://" "$copy/portal.log" || { kill "$portal" 2>/dev/null; fail "portal did not start: $(cat "$copy/portal.log")"; }
# Helidon logs through java.util.logging: those lines must come through tinylog, in our format.
grep -q "JulBridge: io.helidon" "$copy/portal.log" || fail "Helidon's log lines do not go through tinylog: $(cat "$copy/portal.log")"
if grep -q "^INFO: \|^WARNING: \|^SEVERE: " "$copy/portal.log"; then fail "JUL's own format in the log: $(cat "$copy/portal.log")"; fi
kill "$portal" 2>/dev/null || fail "portal stopped by itself: $(cat "$copy/portal.log")"
wait "$portal" || true

json=$("$zg" --log-format json --log-level debug keygen 2>&1 >/dev/null) || fail "keygen with JSON logs exited $?"
first=$(printf '%s\n' "$json" | head -n 1)
[[ -z $first || $first == \{* ]] || fail "--log-format json wrote a non-JSON line: $first"

echo "image smoke test passed: $version"

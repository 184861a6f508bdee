#!/usr/bin/env bash
# `systemd-analyze verify` over packaging/systemd/*.service. The units name /opt/zonegate/bin/zonegate,
# which a build machine has not installed, so they are verified as copies whose ExecStart names the
# built runtime image instead (nothing else is changed). Fails on a nonzero exit and on any message:
# verify only warns about unknown or misspelt keys. Without systemd-analyze it skips, unless
# ZG_INTEROP=required.
# usage: tests/systemd/verify.sh    (after ./build package)
set -euo pipefail
cd "$(dirname "$0")/../.."
image_launcher=$PWD/gateway-app/target/zonegate/bin/zonegate
if ! command -v systemd-analyze >/dev/null; then
  if [[ ${ZG_INTEROP:-} == required ]]; then
    echo "systemd units: FAIL: systemd-analyze is missing (Debian package systemd)" >&2
    exit 1
  fi
  echo "systemd units: skipped: no systemd-analyze"
  exit 0
fi
[[ -x $image_launcher ]] || { echo "no runtime image at $image_launcher: run ./build package first" >&2; exit 1; }

copies=$(mktemp -d)
trap 'rm -rf "$copies"' EXIT
for unit in packaging/systemd/*.service; do
  sed "s#/opt/zonegate/bin/zonegate#$image_launcher#g" "$unit" > "$copies/$(basename "$unit")"
done
status=0
output=$(cd "$copies" && systemd-analyze verify ./*.service 2>&1) || status=$?
if [[ $status != 0 || -n $output ]]; then
  echo "$output" >&2
  echo "systemd units: FAIL: systemd-analyze verify (exit $status)" >&2
  exit 1
fi
echo "systemd units: $(ls packaging/systemd/*.service | wc -l) pass systemd-analyze verify"

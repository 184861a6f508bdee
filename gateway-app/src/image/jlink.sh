#!/usr/bin/env bash
# Links the zonegate runtime image: our modules and their runtime dependencies, nothing else.
# usage: jlink.sh JAVA_HOME APP_JAR MODULES_DIR IMAGE_DIR
set -euo pipefail
java_home=$1 app_jar=$2 modules=$3 image=$4

cp "$app_jar" "$modules/"
rm -rf "$image"
# bcprov is a signed jar: jlink refuses it unless told to drop the signature files.
# tinylog-impl is found by the API through ServiceLoader, so nothing requires it: add it by name.
"$java_home/bin/jlink" \
  --module-path "$modules" \
  --add-modules zonegate.app,org.tinylog.impl \
  --ignore-signing-information \
  --add-options="--enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard -XX:+UseSerialGC -XX:TieredStopAtLevel=4" \
  --compress zip-6 \
  --strip-debug --no-header-files --no-man-pages \
  --output "$image"
# Our own launcher rather than jlink's: it execs the JVM, so signals sent to the launcher's pid (systemd,
# `kill -TERM`) reach the gateway and stop it gracefully; it also works through a symlink.
# The relay's per-message Java work is small next to its syscalls: C2's compiling cost it more CPU than
# C2's code saved, for minutes after a start (README, "Throughput against coturn"), so the relay runs C1 code only.
# ZONEGATE_JAVA_OPTS comes last and can undo it (-XX:TieredStopAtLevel=4).
cat > "$image/bin/zonegate" <<'LAUNCHER'
#!/bin/sh
dir=$(dirname "$(readlink -f "$0")")
role_opts=
[ "${1:-}" = relay ] && role_opts=-XX:TieredStopAtLevel=1
exec "$dir/java" $role_opts $ZONEGATE_JAVA_OPTS -m zonegate.app/zonegate.app.Main "$@"
LAUNCHER
chmod 755 "$image/bin/zonegate"
echo "runtime image: $image ($(du -sh "$image" | cut -f1))"

#!/usr/bin/env bash
# Links the zonegate runtime image: our modules and their runtime dependencies, nothing else.
# usage: jlink.sh JAVA_HOME APP_JAR MODULES_DIR IMAGE_DIR
set -euo pipefail
java_home=$1 app_jar=$2 modules=$3 image=$4

cp "$app_jar" "$modules/"
rm -rf "$image"
# bcprov is a signed jar: jlink refuses it unless told to drop the signature files.
# tinylog-impl is found by the API through ServiceLoader, so nothing requires it: add it by name.
# The JVM options are sized for a small, flat footprint (README "JVM options and memory"): the data path
# allocates almost nothing once warm, so a 4 MiB young generation costs a short young collection every few
# seconds of full load; C2 alone (no tiered C1 code, profiles and compiler arenas) saves some 15 MB of code
# cache and malloc at the same steady-state speed; glibc keeps what C2's arenas freed (12 MB after warm-up)
# until malloc_trim, which the JVM then calls once a second. The image's options come before the command
# line's, so ZONEGATE_JAVA_OPTS (or JDK_JAVA_OPTIONS) overrides any of them.
# --order-resources packs the classes the gateway, the client and the portal load (classlist, made by
# classlist-from-log.sh) at the start of lib/modules: the JVM maps the file and the kernel maps the pages
# around each page read, so scattered classes kept some 6 MB more of it resident.
"$java_home/bin/jlink" \
  --module-path "$modules" \
  --add-modules zonegate.app,org.tinylog.impl \
  --ignore-signing-information \
  --add-options="--enable-native-access=zonegate.shell,zonegate.app,zonegate.wireguard -XX:+UseSerialGC -Xms32m -Xmn4m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:-TieredCompilation -XX:TrimNativeHeapInterval=1000" \
  --order-resources="**/module-info.class,@$(dirname "$0")/classlist" \
  --compress zip-6 \
  --strip-debug --no-header-files --no-man-pages \
  --output "$image"
# The security providers: java.base's five only. JSSE asks every provider for each named group's
# parameters when it makes its first TLS context; a provider it cannot make by class name (all the others,
# and only some of their modules are in the image) is searched for with ServiceLoader, which instantiates
# every Provider the image's modules declare on the way: Bouncy Castle's, some 450 classes and their
# metadata in every process that talks TLS to a portal, when zonegate uses only BC's lightweight API.
security=$image/conf/security/java.security
awk -v keep=" SUN SunRsaSign SunEC SunJSSE SunJCE " '
  /^security\.provider\.[0-9]+=/ { name = substr($0, index($0, "=") + 1); sub(/[ \t].*/, "", name)
                                   if (index(keep, " " name " ")) print "security.provider." ++n "=" name; next }
  { print }' "$security" >"$security.new"
mv "$security.new" "$security"
[ "$(grep -c '^security\.provider\.' "$security")" = 5 ] || { echo "jlink.sh: unexpected provider list in $security" >&2; exit 1; }
# Our own launcher rather than jlink's: it execs the JVM, so signals sent to the launcher's pid (systemd,
# `kill -TERM`) reach the gateway and stop it gracefully; it also works through a symlink. Two malloc
# arenas instead of glibc's eight per core: the JVM's own threads each got one, holding freed memory.
# The relay's per-message Java work is small next to its syscalls: C2's compiling cost it more CPU than
# C2's code saved, for minutes after a start (README, "Throughput against coturn"), so the relay runs C1
# code only (tiered back on, stopped at level 1), with the 8 MiB young generation it was measured with.
# ZONEGATE_JAVA_OPTS comes last and can undo it (-XX:TieredStopAtLevel=4, or -XX:-TieredCompilation for C2 only).
cat > "$image/bin/zonegate" <<'LAUNCHER'
#!/bin/sh
dir=$(dirname "$(readlink -f "$0")")
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
role_opts=
[ "${1:-}" = relay ] && role_opts="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xmn8m"
exec "$dir/java" $role_opts $ZONEGATE_JAVA_OPTS -m zonegate.app/zonegate.app.Main "$@"
LAUNCHER
chmod 755 "$image/bin/zonegate"
echo "runtime image: $image ($(du -sh "$image" | cut -f1))"

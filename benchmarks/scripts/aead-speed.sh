#!/usr/bin/env bash
# The native transport AEAD (libcrypto's ChaCha20-Poly1305 through FFM) against `openssl speed` on the
# same library, in one run: 1420-byte packets, one core. Run after `./build package -DskipTests`
# (benchmarks/target/benchmarks.jar); about one minute.
#
# openssl runs before and after JMH (TransportAeadBenchmark, -prof gc), and the ratio is the native
# seal's bytes per second over the mean of the two. `openssl speed -evp` encrypts one endless message
# (no per-packet init, Poly1305 key or tag), so it is the ceiling; the target is at least 70 %.
# openssl divides by user CPU time, JMH's score by wall time: on a loaded machine the wall figures
# drop and openssl's do not. So the ratio uses the benchmark thread's CPU time (its CpuTime counters),
# and the wall-time score is compared with `openssl speed -elapsed` as well.
#
# Knobs: SECONDS_EACH (openssl seconds, 3), JMH_ARGS (extra JMH options), JAVA (a JDK 25 java).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=benchmarks/target/benchmarks.jar
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*-25* /usr/lib/jvm/*25-* 2>/dev/null | head -1)/bin/java}
SECONDS_EACH=${SECONDS_EACH:-3}
[[ -f $JAR && -x $JAVA ]] || { echo "needs $JAR (./build package -DskipTests) and a JDK 25 ($JAVA)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "needs openssl (apt-get install openssl)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# openssl's bytes per second (machine-readable output: +F:<n>:ChaCha20-Poly1305:<bytes per second>).
openssl_bps() {
  openssl speed -mr "$@" -evp chacha20-poly1305 -bytes 1420 -seconds "$SECONDS_EACH" 2>/dev/null |
    awk -F: '/^\+F:/ { print $4 }'
}

gbps() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e9 }'; }

echo "openssl speed -evp chacha20-poly1305 -bytes 1420 -seconds $SECONDS_EACH ($(openssl version)) ..." >&2
before=$(openssl_bps)
before_wall=$(openssl_bps -elapsed)
echo "JMH TransportAeadBenchmark -prof gc ..." >&2
# shellcheck disable=SC2086
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" 'wireguard.TransportAeadBenchmark' -prof gc \
  -rf csv -rff "$WORK/jmh.csv" ${JMH_ARGS:-} > "$WORK/jmh.log" 2>&1 || { cat "$WORK/jmh.log" >&2; exit 1; }
after=$(openssl_bps)
after_wall=$(openssl_bps -elapsed)

# A JMH score: $1 benchmark (seal, open), $2 aead (native, jce), $3 "" for ops/s or ":gc.alloc.rate.norm".
score() {
  awk -F, -v name="\"zonegate.benchmarks.wireguard.TransportAeadBenchmark.$1$3\"" -v aead="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"Param: aead\"") col = i }
    $1 == name && $col == aead { print $5 }' "$WORK/jmh.csv"
}

openssl_mean=$(awk -v a="$before" -v b="$after" 'BEGIN { print (a + b) / 2 }')
openssl_wall=$(awk -v a="$before_wall" -v b="$after_wall" 'BEGIN { print (a + b) / 2 }')
# Operations per CPU-second of the benchmark thread (TransportAeadBenchmark.CpuTime), as openssl counts.
per_cpu_second() {
  awk -v o="$(score "$1" "$2" ":operations")" -v c="$(score "$1" "$2" ":cpuNs")" 'BEGIN { print o / c * 1e9 }'
}

printf '%-30s %12s %12s %8s\n' "ChaCha20-Poly1305, 1420 B" "GB/s (wall)" "GB/s (CPU)" "B/op"
printf '%-30s %12s %12s %8s\n' "openssl speed, before" "-" "$(gbps "$before")" "-"
printf '%-30s %12s %12s %8s\n' "openssl speed, after" "-" "$(gbps "$after")" "-"
printf '%-30s %12s %12s %8s\n' "openssl speed -elapsed, mean" "$(gbps "$openssl_wall")" "-" "-"
for aead in native jce; do
  for op in seal open; do
    printf '%-30s %12s %12s %8.1f\n' "$aead $op (JMH)" "$(gbps "$(awk -v o="$(score "$op" "$aead" "")" 'BEGIN { print o * 1420 }')")" \
      "$(gbps "$(awk -v o="$(per_cpu_second "$op" "$aead")" 'BEGIN { print o * 1420 }')")" \
      "$(score "$op" "$aead" ":gc.alloc.rate.norm")"
  done
done
native_wall=$(awk -v o="$(score seal native "")" 'BEGIN { print o * 1420 }')
native_cpu=$(awk -v o="$(per_cpu_second seal native)" 'BEGIN { print o * 1420 }')
awk -v n="$native_cpu" -v o="$openssl_mean" -v nw="$native_wall" -v w="$openssl_wall" 'BEGIN {
  printf "native seal / openssl speed: %.0f %% per CPU-second (target >= 70 %%), %.0f %% wall against -elapsed\n",
    100 * n / o, 100 * nw / w }'

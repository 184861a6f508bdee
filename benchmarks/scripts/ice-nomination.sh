#!/usr/bin/env bash
# Time to nomination with host candidates on loopback: two zonegate ICE agents (client profile
# controlling, gateway profile controlled) and two aioice agents, in the same run. Each sample starts
# when both agents know each other's credentials and candidates and ends when both have nominated.
# Needs `./build package -DskipTests` (for benchmarks/target/benchmarks.jar) and Debian's
# python3-aioice. RUNS (default 30) samples each after WARMUP (default 20 for the JVM, 3 for aioice).
cd "$(dirname "$0")/../.." || exit 1
JAR=benchmarks/target/benchmarks.jar
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-20}
[[ -f $JAR ]] || { echo "no $JAR: run ./build package -DskipTests first" >&2; exit 1; }
/usr/bin/python3 -c 'import aioice' 2>/dev/null || { echo "aioice missing: apt-get install python3-aioice" >&2; exit 1; }
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*-25* /usr/lib/jvm/*25-* 2>/dev/null | head -1)/bin/java}   # a JDK 25
ours=$("$JAVA" -cp "$JAR" zonegate.bench.ice.IceNomination "$RUNS" "$WARMUP" | tail -1)
theirs=$(/usr/bin/python3 benchmarks/scripts/aioice_nomination.py --runs "$RUNS" | tail -1)
echo "$ours"
echo "$theirs"
median() { sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$1"; }
python3 -c "import sys; z, a = float(sys.argv[1]), float(sys.argv[2]); print('median time to nomination: zonegate %.3f ms, aioice %.3f ms, zonegate/aioice %.3f (lower is faster)' % (z, a, z / a))" "$(median "$ours")" "$(median "$theirs")"

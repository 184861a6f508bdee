#!/usr/bin/python3
"""Time to nomination of two aioice agents with host candidates on loopback (the reference half of
benchmarks/scripts/ice-nomination.sh).

Each run: both agents gather one host candidate on 127.0.0.1, exchange credentials and candidates
(with end-of-candidates), then the clock starts and both connect(); the clock stops when both have a
nominated pair. Prints one line per run ("run N ms") and a summary line
"aioice runs=N median_ms=X p90_ms=Y min_ms=Z".
"""
import argparse
import asyncio
import statistics
import time

import aioice
import aioice.ice


async def one_run():
    controlling = aioice.Connection(ice_controlling=True, use_ipv6=False)
    controlled = aioice.Connection(ice_controlling=False, use_ipv6=False)
    try:
        await asyncio.gather(controlling.gather_candidates(), controlled.gather_candidates())
        for local, remote in ((controlling, controlled), (controlled, controlling)):
            local.remote_username = remote.local_username
            local.remote_password = remote.local_password
            for candidate in remote.local_candidates:
                await local.add_remote_candidate(candidate)
            await local.add_remote_candidate(None)
        started = time.perf_counter()
        await asyncio.gather(controlling.connect(), controlled.connect())
        return (time.perf_counter() - started) * 1000
    finally:
        await asyncio.gather(controlling.close(), controlled.close())


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    for _ in range(args.warmup):
        await one_run()
    results = []
    for run in range(args.runs):
        ms = await one_run()
        results.append(ms)
        print("run %d %.3f" % (run, ms), flush=True)
    results.sort()
    p90 = results[min(len(results) - 1, int(len(results) * 0.9))]
    print("aioice runs=%d median_ms=%.3f p90_ms=%.3f min_ms=%.3f"
          % (len(results), statistics.median(results), p90, results[0]))


if __name__ == "__main__":
    asyncio.run(main())

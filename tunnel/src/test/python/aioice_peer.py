#!/usr/bin/python3
"""An aioice ICE agent driven over stdin/stdout with one JSON object per line.

The interop tests start it with /usr/bin/python3 (the interpreter Debian's python3-aioice is built
for) and play the other agent.

Lines this peer prints:
  {"type": "credentials", "ufrag": U, "pwd": P}
  {"type": "candidate", "sdp": "candidate:..."}      one per local candidate (aioice's to_sdp form)
  {"type": "end"}                                      end of local candidates
  {"type": "connected", "local": "ip:port", "remote": "ip:port", "ms": float}
  {"type": "failed", "reason": "..."}
  {"type": "data", "hex": "..."}                      each datagram received on the nominated pair
Lines it reads:
  {"type": "credentials", "ufrag": U, "pwd": P}      the other agent's credentials
  {"type": "candidate", "sdp": "[a=][candidate:]..."} a remote candidate
  {"type": "end"}                                      end of remote candidates: connect() starts now
  {"type": "send", "hex": "..."}                      send a datagram on the nominated pair
  {"type": "close"}

With --echo, every datagram received after connecting is sent back unchanged. aioice leaves out
loopback addresses when it gathers host candidates; --host gives the address to bind instead.
"""
import argparse
import asyncio
import json
import sys
import time

import aioice
import aioice.ice


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def strip_prefix(sdp):
    sdp = sdp.strip()
    if sdp.startswith("a="):
        sdp = sdp[2:]
    if sdp.startswith("candidate:"):
        sdp = sdp[len("candidate:"):]
    return sdp


async def read_lines():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return
        line = line.strip()
        if line:
            yield json.loads(line)


async def receive_loop(connection, echo):
    while True:
        try:
            data = await connection.recv()
        except ConnectionError:
            return
        emit({"type": "data", "hex": data.hex()})
        if echo:
            await connection.send(data)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--turn", help="HOST:PORT of a TURN server; with --relay-only, relayed candidates only")
    parser.add_argument("--turn-user")
    parser.add_argument("--turn-password")
    parser.add_argument("--relay-only", action="store_true")
    parser.add_argument("--echo", action="store_true")
    args = parser.parse_args()

    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [args.host]
    options = {}
    if args.turn:
        host, port = args.turn.rsplit(":", 1)
        options.update(turn_server=(host, int(port)), turn_username=args.turn_user,
                       turn_password=args.turn_password)
    if args.relay_only:
        options["transport_policy"] = aioice.TransportPolicy.RELAY
    connection = aioice.Connection(ice_controlling=args.role == "controlling",
                                   use_ipv6=":" in args.host, **options)
    await connection.gather_candidates()
    emit({"type": "credentials", "ufrag": connection.local_username, "pwd": connection.local_password})
    for candidate in connection.local_candidates:
        emit({"type": "candidate", "sdp": "candidate:" + candidate.to_sdp()})
    emit({"type": "end"})

    receiver = None
    async for message in read_lines():
        kind = message["type"]
        if kind == "credentials":
            connection.remote_username = message["ufrag"]
            connection.remote_password = message["pwd"]
        elif kind == "candidate":
            await connection.add_remote_candidate(aioice.Candidate.from_sdp(strip_prefix(message["sdp"])))
        elif kind == "end":
            await connection.add_remote_candidate(None)
            started = time.monotonic()
            try:
                await connection.connect()
            except ConnectionError as error:
                emit({"type": "failed", "reason": str(error)})
                continue
            pair = connection._nominated[1]
            local = pair.protocol.local_candidate
            emit({"type": "connected", "local": "%s:%d" % (local.host, local.port),
                  "remote": "%s:%d" % pair.remote_addr, "ms": (time.monotonic() - started) * 1000})
            receiver = asyncio.ensure_future(receive_loop(connection, args.echo))
        elif kind == "send":
            await connection.send(bytes.fromhex(message["hex"]))
        elif kind == "close":
            break
    if receiver:
        receiver.cancel()
    await connection.close()


if __name__ == "__main__":
    asyncio.run(main())

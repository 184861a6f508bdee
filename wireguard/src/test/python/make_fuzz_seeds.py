#!/usr/bin/env python3
"""Writes the Jazzer seed corpora of DeviceFuzzTest from the KAT fixture.

    /usr/bin/python3 wireguard/src/test/python/make_fuzz_seeds.py   (from the repository root)
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "resources", "zonegate", "wireguard")
kat = json.load(open(os.path.join(ROOT, "handshake-kat.json")))
h = {k: bytes.fromhex(v) for k, v in kat.items() if isinstance(v, str) and all(c in "0123456789abcdef" for c in v)}
init, resp, cookie, transport = h["initiation"], h["response"], h["cookie_reply"], h["transport_packet"]


def flip(b, i):
    b = bytearray(b)
    b[i] ^= 1
    return bytes(b)


whole = {
    "valid_initiation_replayed": init,
    "initiation_with_mac2": h["initiation_with_mac2"],
    "initiation_truncated": init[:147],
    "initiation_bad_mac1": flip(init, 120),
    "initiation_bad_static": flip(init, 50),
    "response_unknown_receiver": resp,
    "cookie_reply_unknown_receiver": cookie,
    "transport_replayed": transport,
    "transport_bad_tag": flip(transport, len(transport) - 1),
    "transport_next_counter_bad_tag": transport[:8] + struct.pack("<Q", 8) + transport[16:],
    "transport_header_only": transport[:32],
    "wrong_type": b"\x05\x00\x00\x00" + transport[4:],
    "reserved_bytes_set": b"\x04\x01\x00\x00" + transport[4:],
    "empty": b"",
    "three_bytes": b"\x01\x00\x00",
}
transport_tail = {
    "same_counter": transport[8:],
    "next_counter": struct.pack("<Q", 8) + transport[16:],
    "max_counter": struct.pack("<Q", 2**64 - 1) + transport[16:],
    "reject_after_messages": struct.pack("<Q", 2**64 - 2**13 - 1) + transport[16:],
    "truncated": transport[8:30],
    "extended": transport[8:] + b"\x00" * 64,
}
initiation_body = {
    "other_sender": struct.pack("<I", 7) + init[8:],
    "zero_ephemeral": init[4:8] + b"\x00" * 32 + init[40:],
    "flipped_timestamp": flip(init, 100)[4:],
    "flipped_mac2": flip(init, 140)[4:],
    "short": init[4:20],
}
response_cookie = {
    "response_as_is": b"\x00" + resp[4:],
    "response_flipped_empty": b"\x00" + flip(resp, 50)[4:],
    "cookie_as_is": b"\x01" + cookie[4:],
    "cookie_flipped": b"\x01" + flip(cookie, 40)[4:],
    "empty": b"",
}
sets = {
    "arbitraryDatagramsNeverThrowAndDroppedOnesChangeNoState": whole,
    "arbitraryDatagramsUnderLoadNeverThrowAndDroppedOnesChangeNoState": whole,
    "arbitraryTransportPayloadsWithAKnownReceiverAreDroppedWithoutStateChange": transport_tail,
    "arbitraryInitiationBodiesAreDroppedWithoutStateChange": initiation_body,
    "arbitraryResponseAndCookieBodiesAreDroppedWithoutStateChange": response_cookie,
}
for method, seeds in sets.items():
    d = os.path.join(ROOT, "DeviceFuzzTestInputs", method)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)

#!/usr/bin/env python3
"""Independent WireGuard (Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s) known-answer generator.

Written from the WireGuard paper and https://www.wireguard.com/protocol/ only, with nothing but
hashlib.blake2s, hmac and python3-cryptography (X25519, ChaCha20Poly1305). HChaCha20 (for the
cookie reply's XChaCha20-Poly1305) is implemented here from draft-irtf-cfrg-xchacha and checked
against that draft's test vector before anything is printed.

The fixture was made with (from the repository root):

    /usr/bin/python3 wireguard/src/test/python/wg_handshake_kat.py \
        > wireguard/src/test/resources/zonegate/wireguard/handshake-kat.json

Every input is fixed, so the output is byte-for-byte reproducible. All values are lowercase hex.
"""
import hashlib
import hmac
import json
import struct

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

CONSTRUCTION = b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"
IDENTIFIER = b"WireGuard v1 zx2c4 Jason@zx2c4.com"
LABEL_MAC1 = b"mac1----"
LABEL_COOKIE = b"cookie--"


def h(data: bytes) -> bytes:
    return hashlib.blake2s(data).digest()


def mac(key: bytes, data: bytes) -> bytes:
    return hashlib.blake2s(data, digest_size=16, key=key).digest()


def hmac_b2s(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.blake2s).digest()


def kdf(n: int, key: bytes, data: bytes):
    t0 = hmac_b2s(key, data)
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = hmac_b2s(t0, prev + bytes([i]))
        out.append(prev)
    return out


def pub(priv: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def dh(priv: bytes, public: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(public))


def aead(key: bytes, counter: int, plaintext: bytes, aad: bytes) -> bytes:
    return ChaCha20Poly1305(key).encrypt(b"\x00" * 4 + struct.pack("<Q", counter), plaintext, aad)


def _rotl(v, c):
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def _qr(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 7)


def hchacha20(key: bytes, nonce16: bytes) -> bytes:
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    for _ in range(10):
        _qr(s, 0, 4, 8, 12); _qr(s, 1, 5, 9, 13); _qr(s, 2, 6, 10, 14); _qr(s, 3, 7, 11, 15)
        _qr(s, 0, 5, 10, 15); _qr(s, 1, 6, 11, 12); _qr(s, 2, 7, 8, 13); _qr(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xaead(key: bytes, nonce24: bytes, plaintext: bytes, aad: bytes) -> bytes:
    sub = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(sub).encrypt(b"\x00" * 4 + nonce24[16:], plaintext, aad)


# draft-irtf-cfrg-xchacha-03, section 2.2.1
assert hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() == (
    "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc")


def fixed(label: str) -> bytes:
    return hashlib.sha256(b"zonegate wireguard kat " + label.encode()).digest()


def clamp(k: bytes) -> bytes:
    b = bytearray(k)
    b[0] &= 248
    b[31] &= 127
    b[31] |= 64
    return bytes(b)


s_priv_i = clamp(fixed("initiator static"))
s_priv_r = clamp(fixed("responder static"))
e_priv_i = clamp(fixed("initiator ephemeral"))
e_priv_r = clamp(fixed("responder ephemeral"))
psk = fixed("preshared")
s_pub_i, s_pub_r = pub(s_priv_i), pub(s_priv_r)
e_pub_i, e_pub_r = pub(e_priv_i), pub(e_priv_r)
sender_i = 0x11223344
sender_r = 0xA1B2C3D4
# TAI64N: 2^62 + 10 + Unix seconds (2025-01-01T00:00:00Z = 1735689600), then nanoseconds.
timestamp = struct.pack(">QI", 0x400000000000000A + 1735689600, 45 << 24)

# Initiation
c = h(CONSTRUCTION)
hh = h(c + IDENTIFIER)
hh = h(hh + s_pub_r)
c = kdf(1, c, e_pub_i)[0]
hh = h(hh + e_pub_i)
c, k = kdf(2, c, dh(e_priv_i, s_pub_r))
enc_static = aead(k, 0, s_pub_i, hh)
hh = h(hh + enc_static)
c, k = kdf(2, c, dh(s_priv_i, s_pub_r))
enc_ts = aead(k, 0, timestamp, hh)
hh = h(hh + enc_ts)
init_body = struct.pack("<II", 1, sender_i) + e_pub_i + enc_static + enc_ts
init_mac1 = mac(h(LABEL_MAC1 + s_pub_r), init_body)
initiation = init_body + init_mac1 + b"\x00" * 16
assert len(initiation) == 148

# Response
c = kdf(1, c, e_pub_r)[0]
hh = h(hh + e_pub_r)
c = kdf(1, c, dh(e_priv_r, e_pub_i))[0]
c = kdf(1, c, dh(e_priv_r, s_pub_i))[0]
c, t, k = kdf(3, c, psk)
hh = h(hh + t)
enc_empty = aead(k, 0, b"", hh)
hh = h(hh + enc_empty)
resp_body = struct.pack("<III", 2, sender_r, sender_i) + e_pub_r + enc_empty
resp_mac1 = mac(h(LABEL_MAC1 + s_pub_i), resp_body)
response = resp_body + resp_mac1 + b"\x00" * 16
assert len(response) == 92

send_i, recv_i = kdf(2, c, b"")

# One transport packet from the initiator to the responder: padded to a multiple of 16.
counter = 7
payload = bytes.fromhex("4500001c000040004001f96d0a0000010a000002") + b"\x08\x00\xf7\xff\x00\x00\x00\x00"
padded = payload + b"\x00" * (-len(payload) % 16)
transport = struct.pack("<IIQ", 4, sender_r, counter) + aead(send_i, counter, padded, b"")

# Cookie reply from the responder (under load) to the initiation above.
cookie_secret = fixed("cookie secret")
source = bytes([192, 0, 2, 1]) + struct.pack(">H", 51820)
cookie = mac(cookie_secret, source)
cookie_nonce = fixed("cookie nonce")[:24]
cookie_reply = struct.pack("<II", 3, sender_i) + cookie_nonce + xaead(
    h(LABEL_COOKIE + s_pub_r), cookie_nonce, cookie, init_mac1)
assert len(cookie_reply) == 64
initiation_with_mac2 = init_body + init_mac1 + mac(cookie, init_body + init_mac1)

print(json.dumps({
    "comment": "made by wireguard/src/test/python/wg_handshake_kat.py; see its header",
    "initiator_static_private": s_priv_i.hex(),
    "initiator_static_public": s_pub_i.hex(),
    "responder_static_private": s_priv_r.hex(),
    "responder_static_public": s_pub_r.hex(),
    "initiator_ephemeral_private": e_priv_i.hex(),
    "responder_ephemeral_private": e_priv_r.hex(),
    "preshared_key": psk.hex(),
    "initiator_sender_index": "%08x" % sender_i,
    "responder_sender_index": "%08x" % sender_r,
    "timestamp_tai64n": timestamp.hex(),
    "initiation": initiation.hex(),
    "response": response.hex(),
    "initiator_send_key": send_i.hex(),
    "initiator_receive_key": recv_i.hex(),
    "transport_counter": counter,
    "transport_payload": payload.hex(),
    "transport_packet": transport.hex(),
    "cookie_secret": cookie_secret.hex(),
    "cookie_source": source.hex(),
    "cookie": cookie.hex(),
    "cookie_nonce": cookie_nonce.hex(),
    "cookie_reply": cookie_reply.hex(),
    "initiation_with_mac2": initiation_with_mac2.hex(),
}, indent=2))

"""Checks that a TCP connection to HOST:PORT is refused by the gateway with ICMP administratively
prohibited and never established, from what arrives on the wire, not only from connect()'s result.

Usage: python3 refused.py HOST PORT (as root, inside the client's namespace).

Raw sockets see a copy of every ICMP and TCP packet the namespace receives, so the check can tell the
gateway's ICMP error (type 3, code 13, quoting our SYN) from a SYN-ACK or RST that would mean the packet
went through. connect()'s own result is printed too: Linux reports the ICMP error as EHOSTUNREACH.
"""
import errno
import socket
import struct
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
tcp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for raw in (icmp, tcp):
    raw.setblocking(False)

start = time.monotonic()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(5)
try:
    s.connect((host, port))
    outcome = "connect() returned success"
except OSError as e:
    outcome = "connect() failed: %s (errno %s)" % (e, errno.errorcode.get(e.errno, e.errno))
elapsed = time.monotonic() - start
local_port = s.getsockname()[1]
try:
    peer = s.getpeername()
except OSError as e:
    peer = None

time.sleep(0.3)
seen = []
prohibited = False
answered = False
for raw in (icmp, tcp):
    while True:
        try:
            packet = raw.recv(65535)
        except BlockingIOError:
            break
        ihl = (packet[0] & 0x0F) * 4
        source = socket.inet_ntoa(packet[12:16])
        body = packet[ihl:]
        if raw is icmp and len(body) >= 8 + 20 + 4:
            kind, code = body[0], body[1]
            quoted = body[8:]
            qihl = (quoted[0] & 0x0F) * 4
            qsport, qdport = struct.unpack("!HH", quoted[qihl:qihl + 4])
            if qsport == local_port and qdport == port:
                seen.append("ICMP type %d code %d from %s" % (kind, code, source))
                prohibited |= kind == 3 and code == 13
        elif raw is tcp and len(body) >= 14:
            sport, dport = struct.unpack("!HH", body[0:4])
            flags = body[13]
            if sport == port and dport == local_port:
                seen.append("TCP flags 0x%02x from %s" % (flags, source))
                answered = True

print("%s after %.3f s; local port %d; peer %s; seen: %s" % (outcome, elapsed, local_port, peer, seen))
assert peer is None, "a connection was established with %s" % (peer,)
assert not answered, "the destination answered: the gateway let the SYN through"
assert prohibited, "no ICMP administratively prohibited arrived for the SYN"

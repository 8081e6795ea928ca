#!/usr/bin/env python3
"""Starts a milter and times its first signed message.

    first-signed.py --socket PATH --message FILE --from ADDR --log FILE [--timeout S] -- CMD ARGS...

Runs CMD (its output goes to --log), polls the unix socket PATH every millisecond, and as soon as
a connection is accepted sends one message (the file's header fields with From set to ADDR, its
body) as an MTA would: negotiate (version 6, every action and step offered; the filter's NO*/NR_*
flags honoured), connect from 127.0.0.1, MAIL, RCPT, DATA, headers, end of headers, body, end of
message. A message whose replies add no DKIM-Signature field (a tempfail while the filter is not
ready, say) is sent again on a new connection. Prints `pid`, `socket_ms` (exec to the first
accepted connection), `signed_ms` (exec to the end-of-message reply that added DKIM-Signature)
and `attempts`; the filter keeps running. Exit status 1 after --timeout seconds without a
signature, or when CMD exits.
"""
import argparse
import socket
import struct
import subprocess
import sys
import time

ALL_ACTIONS, ALL_STEPS = 0x1FF, 0x1FFFFF
NOCONNECT, NOMAIL, NORCPT, NOBODY, NOHDRS, NOEOH, NR_HDR, NODATA = (
    0x1, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x200)
NR_CONN, NR_MAIL, NR_RCPT, NR_DATA, NR_EOH, NR_BODY = (
    0x1000, 0x4000, 0x8000, 0x10000, 0x40000, 0x80000)
HDR_LEADSPC = 0x100000
FINAL = set(b"adrty")  # accept, discard, reject, tempfail, replycode (c: see one_message)


class Session:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.protocol = 0

    def send(self, cmd, *parts):
        data = bytes([cmd]) + b"".join(parts)
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def read(self):
        while len(self.buf) < 4 or len(self.buf) < 4 + struct.unpack(">I", self.buf[:4])[0]:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the filter closed the connection")
            self.buf += chunk
        n = struct.unpack(">I", self.buf[:4])[0]
        frame, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
        return frame[0], frame[1:]

    def step(self, no_flag, nr_flag, cmd, *parts):
        """Sends a step unless waived; returns its reply code unless waived (None)."""
        if self.protocol & no_flag:
            return None
        self.send(cmd, *parts)
        if self.protocol & nr_flag:
            return None
        while True:
            code, _ = self.read()
            if code != ord("p"):  # progress
                return code


def z(text):
    return text.encode("latin-1") + b"\0"


def read_message(path, sender):
    raw = open(path, "rb").read().decode("latin-1").replace("\r\n", "\n")
    head, _, body = raw.partition("\n\n")
    headers = []
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and headers:
            headers[-1][1] += "\r\n" + line
        elif ":" in line:
            name, value = line.split(":", 1)
            headers.append([name, value])
    headers = [[n, " " + sender if n.lower() == "from" else v] for n, v in headers]
    return headers, body.replace("\n", "\r\n").encode("latin-1")


def one_message(s, headers, body):
    """One transaction on a connected socket: True when DKIM-Signature was added."""
    try:
        m = Session(s)
        m.send(ord("O"), struct.pack(">III", 6, ALL_ACTIONS, ALL_STEPS))
        code, payload = m.read()
        if code != ord("O") or len(payload) < 12:
            return False
        m.protocol = struct.unpack(">I", payload[8:12])[0]
        steps = [(NOCONNECT, NR_CONN, ord("C"), z("client.example"), b"4\0\x19", z("127.0.0.1")),
                 (NOMAIL, NR_MAIL, ord("M"), z("<sender@example.com>")),
                 (NORCPT, NR_RCPT, ord("R"), z("<rcpt@example.net>")),
                 (NODATA, NR_DATA, ord("T"))]
        for name, value in headers:
            if not m.protocol & HDR_LEADSPC and value.startswith(" "):
                value = value[1:]
            steps.append((NOHDRS, NR_HDR, ord("L"), z(name), z(value)))
        steps.append((NOEOH, NR_EOH, ord("N")))
        for at in range(0, len(body), 65535):
            steps.append((NOBODY, NR_BODY, ord("B"), body[at:at + 65535]))
        for st in steps:
            code = m.step(*st)
            if code is not None and code in FINAL:
                return False
            if code == ord("s"):  # skip the rest of the body
                break
        m.send(ord("E"))
        signed = False
        while True:
            code, payload = m.read()
            if code in (ord("h"), ord("i")):
                name = payload[4:] if code == ord("i") else payload
                signed |= name.split(b"\0", 1)[0].lower() == b"dkim-signature"
            elif code in FINAL or code == ord("c"):
                return signed
    finally:
        try:
            s.sendall(struct.pack(">I", 1) + b"Q")
        except OSError:
            pass
        s.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--socket", required=True)
    p.add_argument("--message", required=True)
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    headers, body = read_message(a.message, a.sender)
    log = open(a.log, "ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    print("pid: %d" % proc.pid, flush=True)
    try:
        return wait_for_signature(a, proc, t0, headers, body)
    except KeyboardInterrupt:
        proc.terminate()
        return 130


def wait_for_signature(a, proc, t0, headers, body):
    socket_ms = None
    attempts = 0
    while time.monotonic() - t0 < a.timeout:
        if proc.poll() is not None:
            print("error: the filter exited with %d" % proc.returncode, flush=True)
            return 1
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(a.socket)
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            time.sleep(0.001)
            continue
        if socket_ms is None:
            socket_ms = (time.monotonic() - t0) * 1000
        attempts += 1
        try:
            signed = one_message(s, headers, body)
        except (OSError, EOFError):
            signed = False
        if signed:
            print("socket_ms: %.1f" % socket_ms)
            print("signed_ms: %.1f" % ((time.monotonic() - t0) * 1000))
            print("attempts: %d" % attempts, flush=True)
            return 0
        time.sleep(0.005)
    print("error: no signed message within %.0f s" % a.timeout, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Signs or verifies one message with dkimpy, for Inkan's interop tests.

  dkimpy_tool.py sign --selector S --domain D --key FILE [--algorithm rsa-sha256|ed25519-sha256]
                      [--canon HEADER/BODY] [--identity I] [--length]  < message > signed
  dkimpy_tool.py verify --dns FILE [--index N | --all]  < message
  dkimpy_tool.py serve  < requests

sign writes the message with a DKIM-Signature field on top, using the message's own line ends.
The key is PEM for RSA, dkimpy's base64 32-byte seed for Ed25519.

verify checks every DKIM-Signature (or only number N, 0 = topmost) and prints one line per
signature, "pass" or "fail", on stdout; reasons go to stderr. It exits 0 only when at least one
signature was checked and all passed, 1 otherwise, 2 on bad usage.

serve runs many commands in one interpreter (importing dkim costs far more than a signature):
each stdin line is "INFILE<TAB>OUTFILE<TAB>ERRFILE<TAB>" then the command's arguments separated
by tabs; the command reads INFILE, writes OUTFILE and ERRFILE, and its exit code is printed as
one line. It ends at the end of stdin.

The DNS file holds one record a line, "selector._domainkey.domain<white space>TXT text"; lines
starting with # and empty lines are ignored. Nothing is ever asked of real DNS.

Needs the Debian packages python3-dkim and python3-nacl (run with /usr/bin/python3).
"""

import argparse
import logging
import re
import sys
import traceback

import dkim


def line_separator(message):
    """CRLF when the first line ends in CRLF, else LF."""
    first = message.find(b"\n")
    return b"\r\n" if first > 0 and message[first - 1:first] == b"\r" else b"\n"


def sign(args, log, inp, out, err):
    message = inp.read()
    with open(args.key, "rb") as f:
        key = f.read()
    if args.algorithm == "ed25519-sha256":
        key = re.sub(rb"\s+", b"", key)
    header, body = args.canon.split("/")
    signature = dkim.sign(
        message,
        args.selector.encode("ascii"),
        args.domain.encode("ascii"),
        key,
        identity=args.identity.encode("utf-8") if args.identity else None,
        canonicalize=(header.encode("ascii"), body.encode("ascii")),
        signature_algorithm=args.algorithm.encode("ascii"),
        length=args.length,
        logger=log,
        linesep=line_separator(message),
    )
    out.write(signature + message)
    return 0


def read_dns(path):
    records = {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise ValueError("%s: a line without a TXT value: %r" % (path, line))
            records[parts[0].rstrip(b".").lower()] = parts[1]
    return records


def verify(args, log, inp, out, err):
    message = inp.read()
    records = read_dns(args.dns)

    def dnsfunc(name, timeout=5):
        if isinstance(name, str):
            name = name.encode("ascii")
        found = records.get(name.rstrip(b".").lower())
        log.debug("DNS %r -> %r", name, found)
        return found

    d = dkim.DKIM(message, logger=log, minkey=1024)
    count = len([1 for name, _ in d.headers if name.lower() == b"dkim-signature"])
    indexes = range(count) if args.index is None else [args.index]
    if count == 0:
        print("the message has no DKIM-Signature", file=err)
        return 1
    if any(i < 0 or i >= count for i in indexes):
        print("no DKIM-Signature number %d (the message has %d)" % (args.index, count),
              file=err)
        return 1
    all_pass = True
    for i in indexes:
        try:
            ok = dkim.DKIM(message, logger=log, minkey=1024).verify(idx=i, dnsfunc=dnsfunc)
            reason = "" if ok else "signature did not verify"
        except dkim.DKIMException as e:
            ok, reason = False, "%s: %s" % (type(e).__name__, e)
        out.write(b"pass\n" if ok else b"fail\n")
        if not ok:
            print("signature %d: %s" % (i, reason), file=err)
        all_pass = all_pass and ok
    return 0 if all_pass else 1


def run(args, inp, out, err):
    """Runs one command with dkimpy's log going to err; returns the exit code."""
    log = logging.getLogger("dkimpy_tool")
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("dkimpy: %(levelname)s %(message)s"))
    log.handlers = [handler]
    log.setLevel(logging.DEBUG if args.debug else logging.WARNING)
    if args.command not in ("sign", "verify"):
        print("serve takes only sign and verify commands", file=err)
        return 2
    command = sign if args.command == "sign" else verify
    return command(args, log, inp, out, err)


def serve(parser):
    for line in sys.stdin:
        infile, outfile, errfile, *argv = line.rstrip("\n").split("\t")
        with open(infile, "rb") as inp, open(outfile, "wb") as out, \
                open(errfile, "w", encoding="utf-8", errors="replace") as err:
            try:
                code = run(parser.parse_args(argv), inp, out, err)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 2
            except Exception:
                traceback.print_exc(file=err)
                code = 1
        print(code, flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description="Sign or verify a message with dkimpy.")
    parser.add_argument("--debug", action="store_true", help="log dkimpy's details to stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    s = commands.add_parser("sign", help="sign stdin, write the signed message to stdout")
    s.add_argument("--selector", required=True)
    s.add_argument("--domain", required=True)
    s.add_argument("--key", required=True, help="RSA PEM or Ed25519 base64 seed file")
    s.add_argument("--algorithm", default="rsa-sha256",
                   choices=["rsa-sha256", "ed25519-sha256"])
    s.add_argument("--canon", default="relaxed/simple",
                   choices=["simple/simple", "simple/relaxed", "relaxed/simple",
                            "relaxed/relaxed"])
    s.add_argument("--identity", help="i= (default: dkimpy's @domain)")
    s.add_argument("--length", action="store_true", help="add l= with the body length")

    v = commands.add_parser("verify", help="verify the DKIM-Signature fields of stdin")
    v.add_argument("--dns", required=True, help="file of 'name TXT-text' lines")
    which = v.add_mutually_exclusive_group()
    which.add_argument("--index", type=int, help="only this signature, 0 = topmost")
    which.add_argument("--all", action="store_true", help="every signature (the default)")

    commands.add_parser("serve", help="run tab-separated commands read from stdin, see above")

    args = parser.parse_args()
    if args.command == "serve":
        return serve(parser)
    return run(args, sys.stdin.buffer, sys.stdout.buffer, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

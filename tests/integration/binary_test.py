#!/usr/bin/python3
"""End-to-end checks of the logchain binary as users run it.

Each check starts the built binary as a process, as a shell pipeline would:
  - live: records come out while the input is still open, a record held for
    a possible traceback is written once the input goes idle;
  - SIGTERM and SIGINT: what was read is written whole, exit status 0;
  - a reader that goes away (broken pipe): exit 0, nothing on stderr;
  - FILE arguments in order, "-" for standard input, -o FILE;
  - exit status 1 for an unreadable input, 2 for a bad configuration (every
    problem named, with "did you mean"), 3 for an unwritable output;
  - the example configuration in docs/manual.md passes --check.
No timing is asserted: waits have a generous bound only.

usage: binary_test.py --logchain PATH/TO/logchain --manual docs/manual.md
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import tempfile

PATIENCE = 20.0  # seconds; a bound on waiting, never a measurement
ACCESS = ('10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"')
ERROR = "[2019-08-15 14:19:30 +0000] [7] [ERROR] Error handling request /boom"
TRACEBACK = ["Traceback (most recent call last):", '  File "app.py", line 1, in f',
             "ZeroDivisionError: division by zero"]

failures = []


def check(condition, what, detail=""):
    if condition:
        print("ok    " + what)
    else:
        print("FAIL  %s %s" % (what, detail))
        failures.append(what)


def read_line(stream):
    """One output line, or None when none arrived within PATIENCE."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([stream], [], [], PATIENCE)
        if not ready:
            return None
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            return None
        data += chunk
    return data.decode()


def start(logchain, *args):
    return subprocess.Popen([logchain, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def live(logchain):
    p = start(logchain)
    try:
        p.stdin.write((ACCESS + "\n").encode())
        p.stdin.flush()
        line = read_line(p.stdout)
        check(line is not None and '"host": "10.0.0.1"' in line,
              "live: an access line's record appears while the input is open", repr(line))
        p.stdin.write((ERROR + "\n").encode())
        p.stdin.flush()
        line = read_line(p.stdout)
        check(line is not None and '"event": "Error handling request /boom"' in line,
              "live: a record held for a traceback is written once the input is idle", repr(line))
        p.stdin.write(("\n".join([ERROR] + TRACEBACK) + "\n").encode())
        p.stdin.flush()
        line = read_line(p.stdout)
        check(line is not None and '"exception": "Traceback' in line,
              "live: a traceback arriving with its line is folded", repr(line))
        p.stdin.close()
        rest = p.stdout.read()
        p.wait(PATIENCE)
        check(rest == b"" and p.returncode == 0, "live: end of input, exit 0",
              repr((rest, p.returncode)))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def stop_signals(logchain):
    for sig in (signal.SIGTERM, signal.SIGINT):
        # A long idle time: the held record can only come out because of the signal.
        p = start(logchain, "--set", "fold_traceback.idle_ms=10000")
        try:
            p.stdin.write(("\n".join([ACCESS, ERROR, TRACEBACK[0]]) + "\n").encode())
            p.stdin.flush()
            first = read_line(p.stdout)  # the access line: everything before the hold is out
            p.send_signal(sig)
            rest, err = p.communicate(timeout=PATIENCE)
            lines = rest.decode().split("\n")
            check(first is not None and p.returncode == 0 and len(lines) == 2 and
                  lines[1] == "" and '"exception": "Traceback (most recent call last):"' in lines[0],
                  "%s: the held record is written whole, exit 0" % sig.name,
                  repr((first, rest, err, p.returncode)))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()


def broken_pipe(logchain, workdir):
    big = os.path.join(workdir, "big.log")
    with open(big, "w") as f:
        f.write((ACCESS + "\n") * 200000)
    r, w = os.pipe()
    p = subprocess.Popen([logchain, big], stdout=w, stderr=subprocess.PIPE)
    os.close(w)
    os.read(r, 100)
    os.close(r)  # the reader goes away, as `logchain big.log | head -1` does
    _, err = p.communicate(timeout=PATIENCE)
    check(p.returncode == 0 and err == b"", "broken pipe: quiet exit 0", repr((p.returncode, err)))


def files_and_output(logchain, workdir):
    a, b, out = (os.path.join(workdir, n) for n in ("a.log", "b.log", "out.jsonl"))
    with open(a, "w") as f:
        f.write("first\n")
    with open(b, "w") as f:
        f.write("third\n")
    r = subprocess.run([logchain, "--set", "add_timestamp.source=event", a, "-", b, "-o", out],
                       input=b"second\n", capture_output=True, timeout=PATIENCE)
    with open(out) as f:
        events = re.findall(r'"event": "([^"]*)"', f.read())
    check(r.returncode == 0 and r.stdout == b"" and events == ["first", "second", "third"],
          "FILE arguments in order, - is standard input, -o FILE", repr((r, events)))

    r = subprocess.run([logchain, os.path.join(workdir, "missing.log"), a],
                       capture_output=True, timeout=PATIENCE)
    check(r.returncode == 1 and b"missing.log" in r.stderr and b'"event": "first"' in r.stdout,
          "an unreadable input: named, the others processed, exit 1", repr(r))

    r = subprocess.run([logchain, a, "-o", "/dev/full"], capture_output=True, timeout=PATIENCE)
    check(r.returncode == 3 and b"cannot write" in r.stderr, "an unwritable output: exit 3",
          repr(r))


def bad_configuration(logchain, workdir):
    conf = os.path.join(workdir, "bad.toml")
    with open(conf, "w") as f:
        f.write('chain = ["add_log_levl", "add_timestamp"]\njsn = "compact"\n'
                '[processors.add_timestamp]\nfmtt = "iso"\n')
    r = subprocess.run([logchain, "-c", conf, "--check"], capture_output=True, timeout=PATIENCE)
    err = r.stderr.decode()
    check(r.returncode == 2 and r.stdout == b"" and
          "unknown processor 'add_log_levl' (did you mean 'add_log_level'?)" in err and
          "unknown setting 'jsn' (did you mean 'json'?)" in err and "'fmtt'" in err,
          "a bad configuration file: every problem, did you mean, exit 2", err)
    r = subprocess.run([logchain, "--chian", "x"], input=b"", capture_output=True,
                       timeout=PATIENCE)
    check(r.returncode == 2 and b"did you mean '--chain'" in r.stderr,
          "an unknown flag: did you mean, exit 2", repr(r))


def manual_example(logchain, manual, workdir):
    with open(manual) as f:
        text = f.read()
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    check(len(blocks) >= 1, "docs/manual.md has an example configuration")
    for i, block in enumerate(blocks):
        conf = os.path.join(workdir, "manual-%d.toml" % i)
        with open(conf, "w") as f:
            f.write(block)
        r = subprocess.run([logchain, "-c", conf, "--check"], capture_output=True,
                           timeout=PATIENCE)
        check(r.returncode == 0, "docs/manual.md's configuration %d passes --check" % (i + 1),
              r.stderr.decode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logchain", required=True)
    parser.add_argument("--manual", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="logchain-binary-") as workdir:
        live(args.logchain)
        stop_signals(args.logchain)
        broken_pipe(args.logchain, workdir)
        files_and_output(args.logchain, workdir)
        bad_configuration(args.logchain, workdir)
        manual_example(args.logchain, args.manual, workdir)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

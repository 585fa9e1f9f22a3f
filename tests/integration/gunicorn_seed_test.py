#!/usr/bin/python3
"""Integration test: logchain against the real structlog setup it replaces.

It starts Debian's gunicorn (python3-gunicorn) with the seed article's
structlog configuration (gunicorn.conf.py next to this file), which in the
same run also writes gunicorn's plain default output to a second file. It
sends a bounded set of varied requests over TCP on 127.0.0.1 (a free port),
kills the worker so that the master logs a WARNING and boots another, and
in a second run sends requests over a UNIX socket at DEBUG level. gunicorn's
plain output goes through a FIFO into logchain live, as `gunicorn | logchain`
(a record must come out while gunicorn still runs), and is kept in a file
that logchain must turn into the same records in one go. After each run the
test stops gunicorn and compares logchain's records with what structlog
printed, record by record:
  - the same keys in the same order with the same values, the timestamp's
    value aside (logchain takes the time from the line, structlog from the
    clock when it formats; both must be within a minute of each other, which
    also checks the conversion from gunicorn's local time to UTC);
  - byte-identical lines after masking the timestamp's value.
Expected differences, counted and listed separately:
  - lines the seed loses: where its access-line regex does not match (empty
    host on a UNIX socket, a user with spaces), the seed raises and logging
    drops the record; logchain must still write it, with the access fields.
    Each one is confirmed by running the seed's own processor on the event,
    and their number must equal the "--- Logging error ---" reports that
    gunicorn's stderr shows.
  - tracebacks: the seed keeps no traceback text; it writes exc_info, the
    repr() of the exception's type, value and traceback object (a memory
    address). logchain folds the traceback's text into `exception`, at the
    same position. Such a pair counts as explained when the two lines are
    byte-identical once the timestamp is masked and the exc_info/exception
    members are removed, and when the exception line of logchain's text
    names the class that exc_info names.
  - access lines split in two: gunicorn does not escape a line break in the
    basic-auth user, so such a line reaches logchain as two lines (two
    records); the seed loses it. Confirmed by joining the two events and
    running the seed's processor on the result.
Records are paired by their event, in order; the master and worker processes
both write both files, so a pair of events logged at the same moment may be
in a different order in each file, which the pairing tolerates.
Anything else fails the test. Must be run with /usr/bin/python3, the Python
that sees Debian's gunicorn and structlog packages.

usage: gunicorn_seed_test.py --logchain PATH/TO/logchain [--keep DIR]
"""
import argparse
import base64
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # never write __pycache__ into the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from seed_combined import seed_would_fail  # noqa: E402
from support import free_port  # noqa: E402

PYTHON = "/usr/bin/python3"
# gunicorn runs in a non-UTC zone, so plain lines carry +0530 and logchain
# must convert them to UTC as structlog's TimeStamper(utc=True) prints.
GUNICORN_TZ = "XST-5:30"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0
PATIENCE = 20.0  # seconds: a bound on waiting for output, never a measurement
ACCESS_KEYS = ("host", "user", "time", "request", "status", "size", "referer", "agent")


def basic(user, password="s3cret"):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode()


# (method, request target as raw bytes, extra headers, body). Each target is
# unique, so that a report names the request.
TCP_REQUESTS = [
    ("GET", b"/", [], b""),
    ("GET", b"/hello?n=1", [("User-Agent", "curl/7.88.1")], b""),
    ("GET", b"/search?q=a%20b&lang=fr&empty=&n=2", [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")], b""),
    ("GET", b"/%E2%9C%93/check?x=%22q%22&n=3", [], b""),
    ("GET", "/café/naïve/日本語?n=4".encode("utf-8"), [("User-Agent", "utf8-client/1.0")], b""),
    ("GET", b"/a\"quoted\"/path?n=5", [("User-Agent", 'agent "with" quotes')], b""),
    ("POST", b"/submit?n=6", [("Content-Type", "application/json")], b'{"a": 1, "b": [1, 2, 3]}'),
    ("PUT", b"/items/42?n=7", [("Content-Type", "text/plain")], b"replace me"),
    ("DELETE", b"/items/42?n=8", [], b""),
    ("HEAD", b"/hello?n=9", [], b""),
    ("GET", b"/private?n=10", [("Authorization", basic("alice"))], b""),
    ("GET", b"/private?n=11", [("Authorization", basic("zo\u00eb"))], b""),
    ("GET", b"/private?n=12", [("Authorization", basic('o"brien'))], b""),
    ("GET", b"/private?n=13", [("Authorization", basic("john smith"))], b""),
    ("GET", b"/private?n=14", [("Authorization", basic("ann\u00a0lee"))], b""),
    ("GET", b"/page?n=15", [("Referer", "https://example.com/start?from=a&to=b")], b""),
    ("GET", b"/page?n=16", [("Referer", "")], b""),
    ("GET", b"/missing/page?n=17", [("User-Agent", "Mozilla/5.0 \"] [weird\" \"x\"")], b""),
    ("GET", b"/nowhere?n=18", [("Referer", "https://example.com/\"quoted\"")], b""),
    ("GET", b"/boom?n=19", [], b""),
    ("GET", b"/chain?n=20", [("Authorization", basic("bob"))], b""),
    ("GET", b"/stream-fail?n=21", [], b""),
    ("GET", b"/empty?n=22", [], b""),
    ("GET", b"/custom?n=23", [("User-Agent", "tab\there")], b""),
    ("GET", b"/hello?n=24", [("User-Agent", "latin1 \xe9t\xe9 \xa0nbsp")], b""),
    ("GET", b"/hello?long=" + b"x" * 3000 + b"&n=25", [], b""),
    ("OPTIONS", b"*", [], b""),
    # Values gunicorn logs as it received them: control characters, Python
    # whitespace that is not ASCII (NEL, NBSP, \x1c-\x1f), backslashes, line
    # breaks. n=35 is refused by gunicorn (400, no access line).
    ("GET", b"/probe?n=26", [("Authorization", basic("del\x7fx"))], b""),
    ("GET", b"/probe?n=27", [("Authorization", basic("emoji\U0001F600"))], b""),
    ("GET", b"/probe?n=28", [("Authorization", basic("dom\\user"))], b""),
    ("GET", b"/probe?n=29", [("Authorization", basic("sep\x1fx"))], b""),
    ("GET", b"/probe?n=30", [("Authorization", basic(":nouser"))], b""),
    ("GET", b"/probe?n=31", [("User-Agent", 'ends with quote"')], b""),
    ("GET", b"/probe?n=32", [("Referer", 'a" "b'), ("User-Agent", '" "')], b""),
    ("GET", b"/probe?n=33", [("User-Agent", "nel\x85inside \x1c sep")], b""),
    ("GET", b"/ctl\x1fpath?n=34", [], b""),
    ("GET", b"/probe?n=35", [("Bad Header", "x")], b""),
    ("GET", b"/probe?n=36", [("Authorization", basic("[admin]"))], b""),
    ("GET", b"/probe?n=37", [("Authorization", basic("cr\rx"))], b""),
    ("GET", b"/probe?n=38", [("Authorization", basic("nl\nx"))], b""),
    ("GET", b"/probe?n=39", [("User-Agent", "back\\slash\\")], b""),
]

UNIX_REQUESTS = [
    ("GET", b"/over-unix?n=1", [("User-Agent", "curl/7.88.1")], b""),
    ("POST", b"/over-unix?n=2", [("Authorization", basic("carol"))], b"data"),
    ("GET", b"/missing?n=3", [("Referer", "https://example.com/")], b""),
    ("GET", b"/boom?n=4", [], b""),
]


def raw_request(method, target, headers, body, http="HTTP/1.1"):
    lines = [method.encode() + b" " + target + b" " + http.encode(), b"Host: localhost"]
    for name, value in headers:
        lines.append(name.encode() + b": " + value.encode("latin-1"))
    if body or method in ("POST", "PUT"):
        lines.append(b"Content-Length: %d" % len(body))
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def send(family, address, data):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(address)
        s.sendall(data)
        received = []
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            received.append(chunk)
    return b"".join(received)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def _exit_on_signal(signum, frame):
    sys.exit(128 + signum)  # runs the finally blocks that stop gunicorn


class LiveLogchain:
    """logchain reading gunicorn's plain output live, as `gunicorn | logchain`.

    gunicorn's plain handlers write into a FIFO; a thread copies what arrives
    into the plain file (which the batch run and the report use) and into
    logchain's standard input, and another collects logchain's records as
    they come out."""

    def __init__(self, logchain, fifo, plain_log):
        os.mkfifo(fifo)
        self.read_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        # Held open until gunicorn has exited, so the FIFO has no end of
        # input before gunicorn opens it, and reaches it after.
        self.keep_open = os.open(fifo, os.O_WRONLY)
        os.set_blocking(self.read_fd, True)
        self.proc = subprocess.Popen([logchain, "--stats"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.records = []
        self.changed = threading.Condition()
        self.pump = threading.Thread(target=self._pump, args=(plain_log,), daemon=True)
        self.collect = threading.Thread(target=self._collect, daemon=True)
        self.pump.start()
        self.collect.start()

    def _pump(self, plain_log):
        with open(plain_log, "wb") as plain:
            while True:
                chunk = os.read(self.read_fd, 65536)
                if not chunk:
                    break
                plain.write(chunk)
                plain.flush()
                try:
                    self.proc.stdin.write(chunk)
                    self.proc.stdin.flush()
                except (BrokenPipeError, ValueError):
                    pass  # logchain is gone: its exit status tells
        os.close(self.read_fd)
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def _collect(self):
        for line in self.proc.stdout:
            with self.changed:
                self.records.append(line)
                self.changed.notify_all()

    def wait_for(self, text):
        """True once a record containing text came out, within PATIENCE."""
        with self.changed:
            return self.changed.wait_for(lambda: any(text in r for r in self.records), PATIENCE)

    def input_done(self):
        if self.keep_open is not None:
            os.close(self.keep_open)
            self.keep_open = None

    def finish(self):
        """Ends the input; returns (output, stderr, exit status) of logchain."""
        self.input_done()
        self.pump.join(PATIENCE)
        try:
            self.proc.wait(PATIENCE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.collect.join(PATIENCE)
        err = self.proc.stderr.read()  # a few lines at most: nothing is printed per line
        self.proc.stderr.close()
        self.proc.stdout.close()
        return b"".join(self.records), err, self.proc.returncode


WORKER_PIDS = re.compile(r"\[INFO\] Booting worker with pid: (\d+)")


class Gunicorn:
    """One gunicorn run; always stopped by stop(), also when the test fails."""

    def __init__(self, workdir, name, bind, loglevel, logchain):
        self.json_log = os.path.join(workdir, name + ".json.log")
        self.plain_log = os.path.join(workdir, name + ".plain.log")
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.bind = bind
        fifo = os.path.join(workdir, name + ".plain.fifo")
        self.live = LiveLogchain(logchain, fifo, self.plain_log)
        self.live_output = None
        env = dict(os.environ)
        env.update({
            "LOGCHAIN_IT_BIND": bind,
            "LOGCHAIN_IT_LOGLEVEL": loglevel,
            "LOGCHAIN_IT_JSON_LOG": self.json_log,
            "LOGCHAIN_IT_PLAIN_LOG": fifo,
            "TZ": GUNICORN_TZ,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": "",
        })
        self.stderr = open(self.stderr_path, "wb")
        # setpriv (util-linux) asks for SIGTERM when this test's process dies,
        # however it dies (a ctest timeout kills it outright), so gunicorn
        # never outlives the test; its own session lets stop() reach workers.
        self.proc = subprocess.Popen(
            ["setpriv", "--pdeathsig", "TERM", "--",
             PYTHON, "-m", "gunicorn", "-c", os.path.join(HERE, "gunicorn.conf.py"),
             "--pythonpath", HERE, "seed_app:app"],
            cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=self.stderr,
            stderr=self.stderr, start_new_session=True)

    def wait_ready(self, workers_booted=1):
        """True once that many workers have booted; False when gunicorn exited."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if len(WORKER_PIDS.findall(read_text(self.plain_log))) >= workers_booted:
                return True
            time.sleep(0.05)
        raise RuntimeError("gunicorn did not start within %.0f s:\n%s"
                           % (START_TIMEOUT, read_text(self.stderr_path)))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.live_output is None:
            self.live_output = self.live.finish()
        if not self.stderr.closed:
            self.stderr.close()


def run_gunicorn(workdir, name, unix, requests, started, logchain, problems):
    """Starts gunicorn, sends the requests, stops it; returns the Gunicorn."""
    for attempt in range(3):
        run_name = "%s-%d" % (name, attempt)
        if unix:
            path = os.path.join(workdir, run_name + ".sock")
            g = Gunicorn(workdir, run_name, "unix:" + path, "debug", logchain)
            family, address = socket.AF_UNIX, path
        else:
            port = free_port()
            g = Gunicorn(workdir, run_name, "127.0.0.1:%d" % port, "info", logchain)
            family, address = socket.AF_INET, ("127.0.0.1", port)
        started.append(g)
        try:
            if not g.wait_ready():
                continue  # e.g. the port was taken in between: try another
            # Live: the worker's boot record comes out of logchain while
            # gunicorn runs and its output is still open.
            if not g.live.wait_for(b"Booting worker with pid"):
                problems.append("%s: no record came out of the live logchain while gunicorn "
                                "was running" % name)
            for method, target, headers, body in requests:
                send(family, address, raw_request(method, target, headers, body))
            if not unix:
                # A worker killed from outside: the master logs a WARNING and
                # boots another one, which serves the next request.
                os.kill(int(WORKER_PIDS.findall(read_text(g.plain_log))[0]), signal.SIGKILL)
                if not g.wait_ready(workers_booted=2):
                    raise RuntimeError("gunicorn exited after its worker was killed:\n%s"
                                       % read_text(g.stderr_path))
                send(family, address, raw_request("GET", b"/after-restart", [], b""))
            send(family, address, raw_request("GET", b"/http10?n=99", [], b"", "HTTP/1.0"))
        finally:
            g.stop()
        return g
    raise RuntimeError("gunicorn could not start (3 attempts):\n%s" % read_text(g.stderr_path))


def pairs(line):
    return json.loads(line, object_pairs_hook=lambda p: p)


def value_of(record, key):
    for k, v in record:
        if k == key:
            return v
    return None


# An access line whose user holds a line break: host, ident, then anything
# up to the bracketed time, then the rest of the combined format.
SPLIT_ACCESS_LINE = re.compile(r'\S+ \S+ [^\n]*\n[^\n]* \[[^\]]+\] ".*" [0-9]+ \S+ ".*" ".*"\Z')
TIMESTAMP = re.compile(r'(?<=[{ ])"timestamp": "(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"')


def mask_timestamp(line):
    masked, count = TIMESTAMP.subn('"timestamp": "<masked>"', line)
    return masked if count == 1 else None


def remove_member(line, key, value):
    text = ", %s: %s" % (json.dumps(key), json.dumps(value))
    return line.replace(text, "", 1) if line.count(text) == 1 else None


def exception_class(exc_info_type_repr):
    m = re.fullmatch(r"<class '([^']+)'>", exc_info_type_repr or "")
    if not m:
        return None
    name = m.group(1)
    return name[len("builtins."):] if name.startswith("builtins.") else name


def compare(lc_line, seed_line):
    """None when identical after masking; else ("traceback", note) or ("differs", why)."""
    lc, seed = pairs(lc_line), pairs(seed_line)
    lc_ts, seed_ts = value_of(lc, "timestamp"), value_of(seed, "timestamp")
    fmt = "%Y-%m-%d %H:%M:%S"
    try:
        skew = abs((datetime.datetime.strptime(lc_ts, fmt)
                    - datetime.datetime.strptime(seed_ts, fmt)).total_seconds())
    except (TypeError, ValueError):
        return ("differs", "timestamp not in the seed's format: %r vs %r" % (lc_ts, seed_ts))
    if skew > 60:
        return ("differs", "timestamp %s is %d s away from the seed's %s (time zone?)"
                % (lc_ts, skew, seed_ts))

    traceback_note = None
    exc_info = value_of(seed, "exc_info")
    if exc_info is not None:
        exception = value_of(lc, "exception")
        if not isinstance(exception, str):
            return ("differs", "the seed has exc_info but logchain has no exception text")
        wanted = exception_class(exc_info[0] if exc_info else None)
        last = exception.rstrip("\n").split("\n")[-1]
        if wanted is None or not (last == wanted or last.startswith(wanted + ":")):
            return ("differs", "exception line %r does not name %r" % (last, wanted))
        seed_line = remove_member(seed_line, "exc_info", exc_info)
        lc_line = remove_member(lc_line, "exception", exception)
        if seed_line is None or lc_line is None:
            return ("differs", "exc_info/exception member not where expected")
        lc = [p for p in lc if p[0] != "exception"]
        seed = [p for p in seed if p[0] != "exc_info"]
        traceback_note = "%s (%d lines of traceback text)" % (last, exception.count("\n") + 1)

    lc_keys, seed_keys = [k for k, _ in lc], [k for k, _ in seed]
    if lc_keys != seed_keys:
        return ("differs", "keys %s vs the seed's %s" % (lc_keys, seed_keys))
    for (k, v), (_, sv) in zip(lc, seed):
        if k != "timestamp" and (v != sv or type(v) is not type(sv)):
            return ("differs", "%s: %r vs the seed's %r" % (k, v, sv))
    a, b = mask_timestamp(lc_line), mask_timestamp(seed_line)
    if a is None or b is None:
        return ("differs", "no single timestamp member to mask")
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return ("differs", "bytes differ at %d: %r vs the seed's %r"
                % (at, a[max(0, at - 20):at + 30], b[max(0, at - 20):at + 30]))
    return ("traceback", traceback_note) if traceback_note else None


def short(text, width=110):
    return text if len(text) <= width else text[:width - 3] + "..."


def compare_run(name, g, logchain, problems):
    """Compares one gunicorn run; returns its counts."""
    seed_lines = [l for l in read_text(g.json_log).split("\n") if l]
    with open(g.plain_log, "rb") as f:
        plain = f.read()
    # The records logchain wrote live, reading gunicorn's output as it came.
    live_out, live_err, live_status = g.live_output
    if live_status != 0:
        problems.append("%s: the live logchain exited %d: %s"
                        % (name, live_status, live_err.decode(errors="replace")))
    # The same text from a file, in one go, must give the same records (the
    # timestamps masked: a line without a time of its own is stamped with the
    # time it is processed).
    batch = subprocess.run([logchain, g.plain_log], capture_output=True, timeout=30)
    batch_lines = [TIMESTAMP.sub("", l) for l in batch.stdout.decode().split("\n")]
    live_lines = [TIMESTAMP.sub("", l) for l in live_out.decode().split("\n")]
    if batch.returncode != 0 or batch_lines != live_lines:
        diff = [(a, b) for a, b in zip(batch_lines, live_lines) if a != b]
        problems.append("%s: logchain over the plain file (exit %d) differs from the live run: %r"
                        % (name, batch.returncode, diff[:3]))
    lc_lines = live_out.decode("utf-8").split("\n")
    if lc_lines and lc_lines[-1] == "":
        lc_lines.pop()
    stats = live_err.decode(errors="replace")
    m = re.search(r"(\d+) lines read .*?, (\d+) records written .*?, (\d+) lines folded", stats)
    plain_lines = plain.count(b"\n")
    if not m or int(m.group(1)) != plain_lines or int(m.group(2)) != len(lc_lines) or \
            int(m.group(1)) != int(m.group(2)) + int(m.group(3)):
        problems.append("%s: --stats does not add up for %d plain lines and %d records: %s"
                        % (name, plain_lines, len(lc_lines), stats.strip()))
    logging_errors = read_text(g.stderr_path).count("--- Logging error ---")

    counts = {"records": len(lc_lines), "identical": 0, "traceback": 0, "lost": 0, "split": 0,
              "lost_events": 0, "unexplained": 0, "seed_only": 0, "plain_lines": plain_lines, "seed_records": len(seed_lines),
              "folded": int(m.group(3)) if m else 0}
    # gunicorn's master and worker both write to both files, so two events
    # logged at the same moment by different processes may be in one order
    # in the JSON file and in the other in the plain file: a record pairs
    # with the first unpaired seed record with the same event among the
    # next few.
    seed_events = [value_of(pairs(l), "event") for l in seed_lines]
    unpaired = list(range(len(seed_lines)))
    i = 0
    while i < len(lc_lines):
        lc_line = lc_lines[i]
        lc = pairs(lc_line)
        event = value_of(lc, "event")
        label = "%s record %d" % (name, i + 1)
        i += 1
        j = next((k for k in unpaired[:4] if seed_events[k] == event), None)
        if j is not None:
            unpaired.remove(j)
            verdict = compare(lc_line, seed_lines[j])
            if verdict is None:
                counts["identical"] += 1
            elif verdict[0] == "traceback":
                counts["traceback"] += 1
                print("  traceback  %s: %s -> exception: %s" % (label, short(event, 50), verdict[1]))
            else:
                counts["unexplained"] += 1
                problems.append("%s differs: %s\n    logchain: %s\n    seed:     %s"
                                % (label, verdict[1], short(lc_line, 300),
                                   short(seed_lines[j], 300)))
            continue
        # The seed has no record for this event: it must be one the seed lost.
        reason = None
        if value_of(lc, "logger") == "gunicorn.access" and isinstance(event, str):
            reason = seed_would_fail(event)
        missing = [k for k in ACCESS_KEYS if k not in [p[0] for p in lc]]
        if reason is not None and not missing and value_of(lc, "logchain_error") is None:
            counts["lost"] += 1
            print("  seed lost  %s: host=%r user=%r  [%s]" % (label, value_of(lc, "host"),
                                                            value_of(lc, "user"), reason))
            continue
        # gunicorn does not escape a line break inside the basic-auth user, so
        # such an access line arrives as two lines: one event the seed loses
        # (its regex does not match across the break), two records in logchain.
        if i < len(lc_lines) and isinstance(event, str):
            nxt = pairs(lc_lines[i])
            nxt_event = value_of(nxt, "event")
            joined = event + "\n" + str(nxt_event)
            split_reason = seed_would_fail(joined)
            if split_reason is not None and SPLIT_ACCESS_LINE.match(joined) and \
                    value_of(nxt, "logger") == "gunicorn.access" and \
                    all(seed_events[k] != nxt_event for k in unpaired[:4]):
                counts["split"] += 2
                counts["lost_events"] += 1
                i += 1
                print("  split      %s and %d: an access line broken by a newline in the user "
                      "(%r) [seed: %s]" % (label, i, short(joined, 60), split_reason))
                continue
        counts["unexplained"] += 1
        problems.append("%s has no seed record and is not explained (%s, missing %s): %s"
                        % (label, reason, missing, short(lc_line, 300)))
    for k in unpaired:
        counts["seed_only"] += 1
        problems.append("%s: a seed record logchain has no record for: %s"
                        % (name, short(seed_lines[k], 300)))
    if logging_errors != counts["lost"] + counts["lost_events"]:
        problems.append("%s: gunicorn's stderr reports %d logging errors, but the seed lost %d "
                        "events" % (name, logging_errors, counts["lost"] + counts["lost_events"]))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logchain", required=True)
    parser.add_argument("--keep", help="copy the logs of both runs into this directory")
    args = parser.parse_args()
    logchain = os.path.abspath(args.logchain)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)

    workdir = tempfile.mkdtemp(prefix="logchain-it-")
    started = []
    problems = []
    totals = {}
    try:
        runs = [("tcp", run_gunicorn(workdir, "tcp", False, TCP_REQUESTS, started, logchain,
                                     problems)),
                ("unix", run_gunicorn(workdir, "unix", True, UNIX_REQUESTS, started, logchain,
                                      problems))]
        for name, g in runs:
            print("%s run (%s):" % (name, g.bind.replace(workdir, "$TMP")))
            counts = compare_run(name, g, logchain, problems)
            print("  %(plain_lines)d plain lines -> %(records)d logchain records "
                  "(%(folded)d lines folded: tracebacks, multi-line messages); the seed printed %(seed_records)d" % counts)
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for _, g in runs:
                for path in (g.json_log, g.plain_log, g.stderr_path):
                    shutil.copy(path, args.keep)
    finally:
        for g in started:
            if g.proc.poll() is None:
                g.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print("summary: %(records)d records, %(identical)d byte-identical with the seed after "
          "masking the timestamp, %(traceback)d tracebacks (exc_info vs exception, otherwise "
          "identical), %(lost)d lines the seed lost and logchain kept, %(split)d records from "
          "%(lost_events)d access lines split by a newline in a value (the seed lost them too), "
          "%(unexplained)d unexplained differences, %(seed_only)d seed records without a "
          "logchain record" % totals)
    if totals["records"] != totals["identical"] + totals["traceback"] + totals["lost"] + \
            totals["split"] + totals["unexplained"]:
        problems.append("the categories do not add up to the number of records")
    if totals["identical"] == 0 or totals["traceback"] == 0 or totals["lost"] == 0:
        problems.append("the run did not exercise identical, traceback and lost records")
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""The process wrapper (`logchain -- CMD ...`) against real processes.

Usage: wrapper_test.py LOGCHAIN CASE

Each case starts what it needs (gunicorn on 127.0.0.1 on a free port, plain
shell children) and stops it before it returns. Waits are bounded so a broken
build fails instead of hanging; nothing asserts on how long anything takes.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from support import check, fail, free_port

PYTHON = "/usr/bin/python3"  # Debian's gunicorn is only importable from here
LIMIT = 60  # seconds: the most any wait may take before the test fails

APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\\n"]
"""

BROKEN_APP = """
raise RuntimeError("this app cannot be imported")
"""


class Wrapped:
    """logchain -- CMD, with its JSON output read record by record."""

    def __init__(self, logchain, command, options=(), **kwargs):
        self.proc = subprocess.Popen(
            [logchain, *options, "--"] + command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **kwargs,
        )
        self.records = []

    def next_record(self):
        line = self.proc.stdout.readline()
        if not line:
            return None
        try:
            record = json.loads(line)
        except ValueError:
            fail("not a JSON line: %r" % line)
        check(isinstance(record, dict), "not a JSON object: %r" % line)
        self.records.append(record)
        return record

    def wait_for(self, predicate, what):
        """Reads records until one satisfies predicate (bounded by the watchdog)."""
        while True:
            record = self.next_record()
            if record is None:
                fail("logchain's output ended before %s; records: %s" % (what, self.records))
            if predicate(record):
                return record

    def finish(self):
        """Reads the rest of the output and returns logchain's exit code."""
        while self.next_record() is not None:
            pass
        code = self.proc.wait(LIMIT)
        self.stderr = self.proc.stderr.read().decode("utf-8", "replace")
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def events(records, logger=None):
    return [r.get("event") for r in records if logger is None or r.get("logger") == logger]


def start_watchdog(wrapped):
    """Kills everything if the test runs away (a hang is a failure, not a wait)."""
    import threading

    def expire():
        wrapped.kill()

    timer = threading.Timer(LIMIT * 3, expire)
    timer.daemon = True
    timer.start()
    return timer


def gunicorn_command(app_dir, port, module="app:app", workers=2):
    return [
        PYTHON, "-m", "gunicorn", "--chdir", app_dir, "--bind", "127.0.0.1:%d" % port,
        "--workers", str(workers), "--access-logfile", "-", "--graceful-timeout", "10", module,
    ]


def case_gunicorn_signals(logchain):
    """SIGTTIN and SIGHUP reach gunicorn; SIGTERM shuts it down gracefully."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "app.py"), "w") as f:
            f.write(APP)
        port = free_port()
        w = Wrapped(logchain, gunicorn_command(tmp, port))
        start_watchdog(w)
        try:
            w.wait_for(lambda r: r.get("event", "").startswith("Listening at: http://127.0.0.1"),
                       "gunicorn listening")
            booted = 0
            while booted < 2:
                r = w.wait_for(lambda r: r.get("event", "").startswith("Booting worker"),
                               "two workers booted")
                booted += 1

            # An access line from the child's stdout, parsed.
            deadline = time.monotonic() + LIMIT
            while True:
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/wrapped?x=1" % port, timeout=10) as resp:
                        check(resp.read() == b"ok\n", "unexpected response body")
                    break
                except OSError:
                    check(time.monotonic() < deadline, "gunicorn never answered")
                    time.sleep(0.1)
            access = w.wait_for(lambda r: r.get("logger") == "gunicorn.access", "the access record")
            check(access.get("request") == "GET /wrapped?x=1 HTTP/1.1", "request: %r" % access)
            check(access.get("status") == 200, "status: %r" % access)
            check(access.get("host") == "127.0.0.1", "host: %r" % access)

            # Forwarded signals gunicorn acts on: TTIN adds a worker, HUP reloads.
            w.proc.send_signal(signal.SIGTTIN)
            w.wait_for(lambda r: r.get("event") == "Handling signal: ttin", "gunicorn handling TTIN")
            w.wait_for(lambda r: r.get("event", "").startswith("Booting worker"),
                       "the worker TTIN adds")
            w.proc.send_signal(signal.SIGHUP)
            w.wait_for(lambda r: r.get("event") == "Handling signal: hup", "gunicorn handling HUP")
            # The reload starts the configured two workers afresh; a TERM
            # during it would have gunicorn kill the workers still booting.
            for _ in range(2):
                w.wait_for(lambda r: r.get("event", "").startswith("Booting worker"),
                           "the workers HUP starts")

            # SIGTERM: logchain keeps running, gunicorn shuts down gracefully.
            w.proc.send_signal(signal.SIGTERM)
            code = w.finish()
            shutdown = events(w.records, "gunicorn.error")
            check("Handling signal: term" in shutdown, "no TERM handling in %s" % shutdown)
            check(any(e.startswith("Worker exiting (pid: ") for e in shutdown),
                  "no worker exit in %s" % shutdown)
            check("Shutting down: Master" in shutdown[shutdown.index("Handling signal: term"):],
                  "no master shutdown after TERM: %s" % shutdown)
            for r in w.records:
                check(r.get("level") in ("info", "warning", "error", "critical", "debug"),
                      "no level in %r" % r)
            # gunicorn exits 0 after a graceful shutdown; logchain returns that.
            check(code == 0, "exit code %d, stderr: %s" % (code, w.stderr))
            check(w.stderr == "", "logchain wrote to stderr: %r" % w.stderr)
        finally:
            w.kill()


def case_gunicorn_exit_code(logchain):
    """An app that cannot be imported: logchain exits with gunicorn's own code."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "broken.py"), "w") as f:
            f.write(BROKEN_APP)
        direct = subprocess.run(gunicorn_command(tmp, free_port(), "broken:app", 1),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=LIMIT)
        check(direct.returncode != 0, "gunicorn ran a broken app")
        w = Wrapped(logchain, gunicorn_command(tmp, free_port(), "broken:app", 1))
        start_watchdog(w)
        try:
            code = w.finish()
            check(code == direct.returncode,
                  "logchain exited %d, gunicorn alone %d" % (code, direct.returncode))
            failed = [r for r in w.records if "RuntimeError: this app cannot be imported" in
                      (r.get("event", "") + r.get("exception", ""))]
            check(failed, "the import error is not in the output: %s" % w.records)
            check(any(r.get("event") == "Reason: Worker failed to boot." for r in w.records),
                  "no boot failure record: %s" % events(w.records))
        finally:
            w.kill()


def case_plain_child(logchain):
    """stdout and stderr both become records; the exit code comes through."""
    w = Wrapped(logchain, ["sh", "-c", "echo a; echo b >&2; echo c; exit 7"])
    start_watchdog(w)
    code = w.finish()
    check(code == 7, "exit code %d" % code)
    got = events(w.records)
    check(sorted(got) == ["a", "b", "c"], "records: %s" % got)
    check(got.index("a") < got.index("c"), "stdout out of order: %s" % got)


def case_killed_child(logchain):
    """A child killed by signal N: logchain exits 128 + N, like a shell."""
    w = Wrapped(logchain, ["sh", "-c", "echo dying; kill -KILL $$"])
    start_watchdog(w)
    code = w.finish()
    check(code == 128 + signal.SIGKILL, "exit code %d" % code)
    check(events(w.records) == ["dying"], "records: %s" % events(w.records))


def case_missing_command(logchain):
    """A command that does not exist: 127 and a message, as a shell says it."""
    w = Wrapped(logchain, ["logchain-no-such-command"])
    code = w.finish()
    check(code == 127, "exit code %d" % code)
    check("cannot run 'logchain-no-such-command'" in w.stderr, "stderr: %r" % w.stderr)


def case_reaps_orphans(logchain):
    """A grandchild orphaned by its parent is adopted and reaped by logchain."""
    script = r"""
orphan=$(sh -c 'sleep 1000 >/dev/null 2>&1 </dev/null & echo $!')
parent=$(awk '{print $4}' /proc/$orphan/stat)
[ "$parent" = "$PPID" ] && echo adopted || echo "parent $parent, not $PPID"
kill $orphan
i=0
while [ -e /proc/$orphan ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
[ -e /proc/$orphan ] && echo "left as a zombie" || echo reaped
"""
    w = Wrapped(logchain, ["sh", "-c", script])
    start_watchdog(w)
    code = w.finish()
    check(code == 0, "exit code %d" % code)
    check(events(w.records) == ["adopted", "reaped"], "records: %s" % events(w.records))


def case_traceback_on_stderr(logchain):
    """A traceback on stderr folds into its record while stdout is busy too."""
    script = r"""
for i in 1 2 3 4 5 6 7 8 9 10; do echo "stdout $i"; done &
echo '[2019-08-15 14:19:14 +0000] [1] [ERROR] Exception in worker process' >&2
echo 'Traceback (most recent call last):' >&2
echo '  File "app.py", line 1, in <module>' >&2
echo 'ValueError: boom' >&2
wait
"""
    w = Wrapped(logchain, ["sh", "-c", script])
    start_watchdog(w)
    code = w.finish()
    check(code == 0, "exit code %d" % code)
    errors = [r for r in w.records if r.get("logger") == "gunicorn.error"]
    check(len(errors) == 1, "records: %s" % w.records)
    check(errors[0].get("exception", "").endswith("ValueError: boom"), "record: %r" % errors[0])
    check(sorted(events(w.records, "app")) == sorted("stdout %d" % i for i in range(1, 11)),
          "records: %s" % w.records)


def case_with_metrics_endpoint(logchain):
    """With the metrics endpoint's threads running, logchain still sees its
    command exit and still forwards SIGTERM to it (a signal taken by one of
    those threads would leave logchain waiting forever)."""
    metrics = ["--metrics-listen", "127.0.0.1:0"]
    for i in range(10):
        w = Wrapped(logchain, ["sh", "-c", "echo run %d; exit 4" % i], metrics)
        start_watchdog(w)
        code = w.finish()
        check(code == 4, "run %d: exit code %d, stderr: %s" % (i, code, w.stderr))
        check(events(w.records) == ["run %d" % i], "records: %s" % w.records)
    for i in range(5):
        script = 'trap "echo got term; exit 9" TERM; echo ready; while :; do sleep 0.05; done'
        w = Wrapped(logchain, ["sh", "-c", script], metrics)
        start_watchdog(w)
        w.wait_for(lambda r: r.get("event") == "ready", "the child's first line")
        w.proc.send_signal(signal.SIGTERM)
        code = w.finish()
        check(code == 9, "SIGTERM %d: exit code %d, stderr: %s" % (i, code, w.stderr))
        check(events(w.records) == ["ready", "got term"], "records: %s" % w.records)


CASES = {name[len("case_"):]: f for name, f in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: wrapper_test.py LOGCHAIN {%s}" % ",".join(CASES), file=sys.stderr)
        sys.exit(2)
    CASES[sys.argv[2]](os.path.abspath(sys.argv[1]))
    print("ok: " + sys.argv[2])

"""What logchain's integration tests share: failing with a message, the
"skipped" exit status, the command line of a test script, free loopback
ports, bounded waits and stopping the processes a test started.

Each test script runs as `/usr/bin/python3 tests/integration/NAME_test.py ...`,
so this directory is first on sys.path and `from support import ...` works.
"""
import socket
import subprocess
import sys
import time

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests: a prerequisite is missing


def fail(message):
    """Ends the test with a failure: the message on stderr, exit status 1."""
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def arguments(usage, count):
    """The script's `count` command-line arguments; with any other number,
    prints `usage: usage` and exits 2 (a mistake in the test's command)."""
    if len(sys.argv) != count + 1:
        print("usage: " + usage, file=sys.stderr)
        sys.exit(2)
    return sys.argv[1:]


def free_port():
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=30.0, interval=0.1):
    """Polls predicate until it returns a true value, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def stop(process, timeout=10.0):
    """Terminates a process this test started (killed if it lingers)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

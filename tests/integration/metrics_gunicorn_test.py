#!/usr/bin/python3
"""Integration test: one logchain endpoint counts every gunicorn worker.

The seed article's problem: with gunicorn's several worker processes,
in-process counters (django-prometheus) are per worker, so each scrape sees
whichever worker answered. Here real gunicorn (Debian's python3-gunicorn)
runs a tiny WSGI app written by this test with --workers 4 on a free port
of 127.0.0.1, its access and error output piped through logchain, which
serves /metrics on another free port. After a known number of concurrent
requests, a single scrape of logchain must show exactly that number, per
method and status, while the app's own answers (each carries the pid of the
worker that served it) show the requests spread over several workers, so
no single worker's count would have been right.

It runs twice: gunicorn piped into logchain, and gunicorn run by logchain
as its child (logchain --metrics-listen ... -- gunicorn ..., the container
entrypoint form).

Usage: metrics_gunicorn_test.py LOGCHAIN_BINARY
"""
import collections
import concurrent.futures
import http.client
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_support import Logchain, parse_exposition  # noqa: E402
from support import free_port, stop, wait_for  # noqa: E402

APP = '''
import os
import time


def app(environ, start_response):
    path = environ["PATH_INFO"]
    method = environ["REQUEST_METHOD"]
    if path.startswith("/slow"):
        time.sleep(0.05)  # keeps a worker busy, so concurrent requests spread
    if path.startswith("/missing"):
        status = "404 Not Found"
    elif method == "POST":
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        status = "201 Created"
    else:
        status = "200 OK"
    body = str(os.getpid()).encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body] if method != "HEAD" else []
'''

WORKERS = 4
# (method, path, expected status, how many)
PLAN = [("GET", "/slow/%d", 200, 60), ("POST", "/items", 201, 25), ("GET", "/missing/%d", 404, 15),
        ("DELETE", "/items/%d", 200, 10), ("HEAD", "/slow/%d", 200, 10)]


def send(port, method, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=b"x=1" if method == "POST" else None)
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Length"), body
    finally:
        conn.close()


def gunicorn_command(port, workdir):
    return ["/usr/bin/python3", "-m", "gunicorn", "--workers", str(WORKERS),
            "--bind", "127.0.0.1:%d" % port, "--access-logfile", "-", "--chdir", workdir,
            "--graceful-timeout", "5",  # bounds the shutdown at the end of the test
            "tinyapp:app"]


def booted(logchain):
    return sum(1 for r in list(logchain.records)
               if r.get("event", "").startswith("Booting worker with pid"))


def start_piped(binary, workdir):
    """gunicorn ... 2>&1 | logchain --metrics-listen ...: as in a shell pipe."""
    logchain = Logchain(binary)
    for _ in range(3):  # the free port may be taken before gunicorn binds it
        port = free_port()
        before = booted(logchain)
        gunicorn = subprocess.Popen(gunicorn_command(port, workdir), stdin=subprocess.DEVNULL,
                                    stdout=logchain.process.stdin, stderr=subprocess.STDOUT)
        wait_for("%d gunicorn workers" % WORKERS,
                 lambda: gunicorn.poll() is not None or booted(logchain) - before >= WORKERS)
        if gunicorn.poll() is None:
            return logchain, gunicorn, port
    stop(logchain.process)
    raise AssertionError("gunicorn did not start")


def start_wrapped(binary, workdir):
    """logchain --metrics-listen ... -- gunicorn ...: logchain runs gunicorn."""
    for _ in range(3):
        port = free_port()
        logchain = Logchain(binary, "--", *gunicorn_command(port, workdir))
        wait_for("%d gunicorn workers" % WORKERS,
                 lambda: logchain.process.poll() is not None or booted(logchain) >= WORKERS)
        if logchain.process.poll() is None:
            return logchain, None, port
    raise AssertionError("gunicorn did not start under logchain")


def run(binary, mode):
    requests = [(m, p % i if "%d" in p else p, s) for m, p, s, n in PLAN for i in range(n)]
    total = len(requests)
    logchain = gunicorn = None
    with tempfile.TemporaryDirectory(prefix="logchain-gunicorn-") as workdir:
        with open(os.path.join(workdir, "tinyapp.py"), "w") as f:
            f.write(APP)
        try:
            start = start_piped if mode == "pipe" else start_wrapped
            logchain, gunicorn, port = start(binary, workdir)

            served_by = collections.Counter()
            expected = collections.Counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                futures = [(m, s, pool.submit(send, port, m, p)) for m, p, s in requests]
                for method, status, future in futures:
                    got_status, _, body = future.result()
                    assert got_status == status, (method, got_status, status)
                    if body:
                        served_by[int(body)] += 1
                    expected[(method, str(status))] += 1

            def access_records():
                return sum(1 for r in list(logchain.records) if r.get("logger") == "gunicorn.access")

            wait_for("%d access records from logchain" % total, lambda: access_records() >= total)
            assert access_records() == total, access_records()

            samples = parse_exposition(logchain.scrape())  # the single scrape
            counted = collections.Counter()
            for (name, labels), value in samples.items():
                if name == "http_requests_total":
                    labels = dict(labels)
                    counted[(labels["method"], labels["status"])] += int(value)
            print("[%s] requests sent: %d; served by worker pid: %s" % (mode, total, dict(served_by)))
            print("[%s] one scrape of logchain: http_requests_total by method and status:" % mode)
            for key in sorted(counted):
                print("  %-6s %s  %3d  (sent: %d)" % (key[0], key[1], counted[key], expected[key]))
            assert counted == expected, (counted, expected)
            assert sum(counted.values()) == total
            assert samples[("http_response_size_bytes_count", frozenset())] == total
            assert samples[("log_records_total", frozenset(
                {("logger", "gunicorn.access"), ("level", "info")}))] == total
            # Several workers answered: each one's own count is short of the total.
            assert len(served_by) >= 2, served_by
            print("[%s] per-worker counts %s would each be short of %d; logchain's one series is %d"
                  % (mode, sorted(served_by.values()), total, sum(counted.values())))

            if gunicorn is not None:
                stop(gunicorn)
                logchain.process.stdin.close()
            else:
                logchain.process.terminate()  # forwarded to gunicorn, which shuts down
            assert logchain.process.wait(timeout=30) == 0, "".join(logchain.stderr_lines)
        except BaseException:
            if logchain is not None:
                sys.stderr.write("--- logchain stderr ---\n" + "".join(logchain.stderr_lines))
            raise
        finally:
            stop(gunicorn)
            if logchain is not None:
                stop(logchain.process)


def main():
    for mode in ("pipe", "wrapper"):
        run(sys.argv[1], mode)


if __name__ == "__main__":
    main()

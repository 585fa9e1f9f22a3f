#!/usr/bin/python3
"""Integration test: Debian's Prometheus server scrapes logchain's /metrics.

logchain reads a known access log from a pipe that stays open (as it would
behind a live gunicorn) and serves /metrics on a free port of 127.0.0.1.
Prometheus, started here on 127.0.0.1 with a generated configuration that
scrapes logchain every second, must then answer PromQL queries over its
HTTP API with exactly the counts in the input: requests per method and
status, the response-size histogram's count and sum, the duration
histogram's count and a bucket, log records per logger and level, and
logchain's own health counters.

Usage: metrics_prometheus_test.py LOGCHAIN_BINARY
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_support import Logchain, Prometheus  # noqa: E402
from support import stop, wait_for  # noqa: E402

# (method, status, size) of each access line, in input order: a fixed,
# varied mix, including a method outside the fixed set and a "-" size.
ACCESS = []
for i in range(300):
    method = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS",
              "PROPFIND"][i % 10]
    status = [200, 200, 201, 204, 301, 304, 400, 404, 500, 503, 200][i % 11]
    size = "-" if status in (204, 304) else str((i * 7919) % 70000)
    ACCESS.append((method, status, size))

# Access records that carry a duration, as a format string with gunicorn's
# %(D)s would give them (here written by an app as JSON lines).
TIMED = [("GET", 200, 512, 2000), ("GET", 200, 100, 45000), ("POST", 201, 10, 120000),
         ("GET", 500, 0, 3500000), ("GET", 200, 64, 90000)]


def build_input():
    lines = ["[2024-03-01 10:00:00 +0000] [41] [INFO] Starting gunicorn 20.1.0",
             "[2024-03-01 10:00:00 +0000] [41] [INFO] Listening at: http://127.0.0.1:8000 (41)",
             "[2024-03-01 10:00:00 +0000] [42] [INFO] Booting worker with pid: 42"]
    for i, (method, status, size) in enumerate(ACCESS):
        lines.append('10.1.%d.%d - - [01/Mar/2024:10:00:%02d +0000] "%s /api/items/%d?page=%d '
                     'HTTP/1.1" %d %s "-" "client/%d"'
                     % (i // 250, i % 250, i % 60, method, i, i % 3, status, size, i % 4))
        if i == 100:
            lines += ["[2024-03-01 10:01:00 +0000] [42] [ERROR] Error handling request /boom",
                      "Traceback (most recent call last):",
                      '  File "/app/views.py", line 3, in boom',
                      "ZeroDivisionError: division by zero"]
        if i == 200:
            lines.append("plain text printed by the app")
            # Not a complete access line: parse_combined fails, no request is counted.
            lines.append('10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200')
    for method, status, size, micros in TIMED:
        lines.append(json.dumps({"event": "request", "level": "info", "logger": "app.access",
                                 "method": method, "path": "/timed", "status": status,
                                 "size": size, "request_time_us": micros}))
    return "".join(line + "\n" for line in lines)


def main():
    binary = sys.argv[1]
    text = build_input()
    lines = text.count("\n")
    folded = 3
    records = lines - folded

    expected_requests = collections.Counter()
    for method, status, _ in ACCESS:
        expected_requests[(method if method != "PROPFIND" else "other", str(status))] += 1
    for method, status, _, _ in TIMED:
        expected_requests[(method, str(status))] += 1
    sizes = [0 if s == "-" else int(s) for _, _, s in ACCESS] + [t[2] for t in TIMED]
    access_records = len(ACCESS) + len(TIMED)

    logchain = prometheus = None
    with tempfile.TemporaryDirectory(prefix="logchain-prom-") as workdir:
        try:
            logchain = Logchain(binary)
            # A second logchain on the same port is refused at start, exit 2.
            busy = subprocess.run([binary, "--metrics-listen", "127.0.0.1:%d" % logchain.port],
                                  input=b"x\n", capture_output=True, timeout=30, check=False)
            assert busy.returncode == 2 and busy.stdout == b"", busy
            assert b"cannot listen on 127.0.0.1:%d: Address already in use" % logchain.port \
                in busy.stderr, busy.stderr
            prometheus = Prometheus(workdir, ["127.0.0.1:%d" % logchain.port])
            logchain.process.stdin.write(text.encode("utf-8"))
            logchain.process.stdin.flush()  # the pipe stays open: logchain keeps serving
            wait_for("logchain's %d records" % records, lambda: logchain.record_count() == records)

            # A scrape taken after the last record was written has every count.
            wait_for("a scrape with every record",
                     lambda: prometheus.scalar("logchain_records_written_total") == records)

            got = {(m["method"], m["status"]): v
                   for m, v in prometheus.query("http_requests_total")}
            print("Prometheus: http_requests_total by method and status:")
            for key in sorted(got):
                print("  %-8s %s  %4d  (input: %d)" % (key[0], key[1], got[key],
                                                       expected_requests[key]))
            assert got == {k: float(v) for k, v in expected_requests.items()}, \
                (got, expected_requests)
            assert prometheus.scalar("sum(http_requests_total)") == access_records

            checks = [
                ("http_response_size_bytes_count", access_records),
                ("http_response_size_bytes_sum", sum(sizes)),
                ('http_response_size_bytes_bucket{le="+Inf"}', access_records),
                ('http_response_size_bytes_bucket{le="128"}', sum(1 for s in sizes if s <= 128)),
                ("http_request_duration_seconds_count", len(TIMED)),
                ('http_request_duration_seconds_bucket{le="0.1"}',
                 sum(1 for t in TIMED if t[3] <= 100000)),
                ('log_records_total{logger="gunicorn.access",level="info"}', len(ACCESS) + 1),
                ('log_records_total{logger="gunicorn.error",level="error"}', 1),
                ('log_records_total{logger="gunicorn.error",level="info"}', 3),
                ('log_records_total{logger="app.access",level="info"}', len(TIMED)),
                ("logchain_lines_read_total", lines),
                ("logchain_records_written_total", records),
                ("logchain_lines_folded_total", folded),
                ("logchain_records_dropped_total", 0),
                ('logchain_parse_failures_total{parser="parse_combined"}', 1),
                ("logchain_input_bytes_total", len(text.encode("utf-8"))),
                ("logchain_internal_errors_total", 0),
            ]
            print("Prometheus: other queries:")
            for promql, want in checks:
                value = prometheus.scalar(promql)
                print("  %-60s %r  (expected %r)" % (promql, value, float(want)))
                assert value == want, (promql, value, want)
            last = prometheus.scalar("logchain_last_record_timestamp_seconds")
            assert last is not None and last > 1.7e9, last

            logchain.process.stdin.close()
            assert logchain.process.wait(timeout=30) == 0, "".join(logchain.stderr_lines)
        except BaseException:
            if prometheus is not None:
                sys.stderr.write("--- Prometheus log ---\n" + prometheus.log())
            if logchain is not None:
                sys.stderr.write("--- logchain stderr ---\n" + "".join(logchain.stderr_lines))
            raise
        finally:
            if logchain is not None:
                stop(logchain.process)
            if prometheus is not None:
                stop(prometheus.process)


if __name__ == "__main__":
    main()

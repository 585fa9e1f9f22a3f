"""Writes access lines with gunicorn's own code, for the format round trip.

Run with /usr/bin/python3 (Debian's gunicorn 20.1). For each request of a
varied set (IPv6 and empty hosts, '-' fields, quotes, backslashes, unicode,
missing headers), gunicorn's Logger builds its atoms and writes the line
with the given access_log_format, exactly as it does for a real request:
Logger.access() -> SafeAtoms -> logging. The line goes to stdout (gunicorn's
accesslog "-"); the values each field must parse back to go, one JSON
object per line, to the file named by --expected.

usage: gunicorn_access_lines.py --format FORMAT --expected FILE
"""

import argparse
import base64
import datetime
import json
import os
import sys

from gunicorn.config import Config
from gunicorn.glogging import Logger

# (environ extras, request headers, status, bytes sent, response headers, duration)
REQUESTS = [
    dict(addr="10.96.78.6", method="GET", uri="/metrics", path="/metrics", query="",
         headers=[("USER-AGENT", "Prometheus/2.11.0")], status="200 OK", sent=14134,
         duration=(0, 1503)),
    dict(addr="2001:db8::1", method="POST", uri="/api/items?id=7&token=s3cr%C3%A9t",
         path="/api/items", query="id=7&token=s3cr%C3%A9t", user="alice",
         headers=[("USER-AGENT", 'Mozilla/5.0 (X11; Linux x86_64) "quoted" agent'),
                  ("REFERER", 'https://example.com/?q="x"'),
                  ("X-FORWARDED-FOR", "203.0.113.9, 10.0.0.1")],
         status="201 Created", sent=0, duration=(1, 503020),
         response=[("Content-Type", "application/json")]),
    dict(addr="", method="GET", uri="/", path="/", query="", headers=[], status="304 Not Modified",
         sent=None, duration=(0, 0)),
    dict(addr="::1", method="GET", uri='/caf\u00e9/\u65e5\u672c?a="b"\\c', path="/caf\u00e9/\u65e5\u672c",
         query='a="b"\\c', user="zo\u00eb smith",
         headers=[("USER-AGENT", "ends with a backslash \\"), ("REFERER", "-")],
         status="404 Not Found", sent=9, duration=(12, 999999),
         response=[("Content-Type", "text/html; charset=utf-8")]),
    dict(addr="192.0.2.44", method="DELETE", uri="/x", path="/x", query="",
         headers=[("USER-AGENT", "")], status="500 Internal Server Error", sent=21,
         duration=(0, 999), scheme="https"),
]


class Response:
    def __init__(self, status, sent, headers):
        self.status = status
        self.sent = sent
        self.headers = headers


class Request:
    def __init__(self, headers):
        self.headers = headers


def expected_values(r, pid):
    """The value each documented field must parse back to (decoded)."""
    headers = {k.lower(): v for k, v in r["headers"]}
    response = {k.lower(): v for k, v in r.get("response", [])}
    seconds, micros = r["duration"]
    status = int(r["status"].split(None, 1)[0])
    sent = r["sent"]
    referer = headers.get("referer", "-")
    return {
        "host": r["addr"] or None,
        "user": r.get("user"),
        "time": "15/Aug/2019:14:19:23 +0000",
        "request": "%s %s HTTP/1.1" % (r["method"], r["uri"]),
        "method": r["method"],
        "path": r["path"],
        "query": r["query"],
        "protocol": "HTTP/1.1",
        "status": status,
        "size": sent if sent is not None else 0,  # %(b)s: "-" is 0, as the seed reads it
        "bytes_sent": sent,                        # %(B)s: None is null
        "referer": None if referer == "-" else referer,
        "agent": headers.get("user-agent", "-"),
        "request_time_s": seconds,
        "request_time_us": seconds * 1000000 + micros,
        "request_time_ms": seconds * 1000 + int(micros / 1000),
        "request_time": float("%d.%06d" % (seconds, micros)),
        "pid": pid,
        "http_x_forwarded_for": headers.get("x-forwarded-for"),
        "sent_http_content_type": response.get("content-type"),
        "env_wsgi_url_scheme": r.get("scheme", "http"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", required=True)
    parser.add_argument("--expected", required=True)
    args = parser.parse_args()

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", args.format)
    logger = Logger(cfg)
    # The one value that would depend on the clock: %(t)s.
    logger.now = lambda: "[15/Aug/2019:14:19:23 +0000]"

    with open(args.expected, "w", encoding="utf-8") as expected:
        for r in REQUESTS:
            environ = {
                "REMOTE_ADDR": r["addr"],
                "REQUEST_METHOD": r["method"],
                "RAW_URI": r["uri"],
                "PATH_INFO": r["path"],
                "QUERY_STRING": r["query"],
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": r.get("scheme", "http"),
            }
            for name, value in r["headers"]:
                environ["HTTP_" + name.replace("-", "_")] = value
            if "user" in r:
                token = base64.b64encode((r["user"] + ":pw").encode()).decode()
                environ["HTTP_AUTHORIZATION"] = "Basic " + token
            resp = Response(r["status"], r["sent"], r.get("response", []))
            req = Request(r["headers"])
            seconds, micros = r["duration"]
            logger.access(resp, req, environ,
                          datetime.timedelta(seconds=seconds, microseconds=micros))
            expected.write(json.dumps(expected_values(r, os.getpid())) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Format strings round-trip: lines a server writes parse back to its values.

For each kind of format string, access lines are written from known values
(IPv6 and empty hosts, '-' fields, quotes, backslashes, unicode, control
characters), run through logchain with that format string, and every field
must come back:
  - gunicorn: the lines are written by gunicorn's own Logger
    (gunicorn_access_lines.py, run by Debian's /usr/bin/python3);
  - nginx: real nginx, started here on 127.0.0.1 and ::1 with the log_format
    under test, serves requests this test sends with raw sockets;
  - apache: a generator following mod_log_config's documented escaping
    (ap_escape_logitem), Apache itself not being started here.
With parse_format's decode=true every text field equals the value sent; by
default it equals the value as the server escaped it.

The "docs" case runs every example of docs/formats.md (a ```sh command, the
```text input and the ```json output after it) and the refusal shown there.

usage: formats_test.py LOGCHAIN CASE [DOCS]   (CASE: gunicorn_default,
       gunicorn_all_atoms, gunicorn_header_first, nginx, apache; docs DOCS)
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_logchain(logchain, args, text, decode):
    cmd = [logchain, "--json", "compact", "--set", "add_timestamp.source=event"] + args
    if decode:
        cmd += ["--set", "parse_format.decode=true"]
    out = subprocess.run(cmd, input=text.encode("utf-8", "surrogateescape"),
                         capture_output=True, check=True, timeout=30)
    return [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]


def check_records(records, expected, fields, logger, escape, label):
    """Every record parsed, and each field equals its expected value."""
    failures = []
    if len(records) != len(expected):
        return ["%s: %d records for %d lines" % (label, len(records), len(expected))]
    for i, (record, want) in enumerate(zip(records, expected)):
        if "logchain_error" in record or record.get("logger") != logger:
            failures.append("%s line %d not parsed: %r" % (label, i + 1, record))
            continue
        for name in fields:
            value = want[name]
            if isinstance(value, str):
                value = escape(value)
            if name not in record:
                failures.append("%s line %d: no %s in %r" % (label, i + 1, name, record))
            elif record[name] != value:
                failures.append("%s line %d: %s is %r, expected %r"
                                % (label, i + 1, name, record[name], value))
    return failures


# ---------------------------------------------------------------------------
# gunicorn

GUNICORN_CASES = {
    "gunicorn_default": (
        '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
        ["host", "user", "time", "request", "status", "size", "referer", "agent"]),
    "gunicorn_all_atoms": (
        '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(B)s "%(f)s" "%(a)s" %(T)s %(D)s '
        '%(M)s %(L)s %(p)s %(m)s "%(U)s" "%(q)s" %(H)s "%({x-forwarded-for}i)s" '
        '"%({content-type}o)s" %({wsgi.url_scheme}e)s',
        ["host", "user", "time", "request", "status", "size", "bytes_sent", "referer",
         "agent", "request_time_s", "request_time_us", "request_time_ms", "request_time",
         "pid", "method", "path", "query", "protocol", "http_x_forwarded_for",
         "sent_http_content_type", "env_wsgi_url_scheme"]),
    # A common customisation: the client behind a proxy first, unquoted.
    "gunicorn_header_first": (
        '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s',
        ["http_x_forwarded_for", "user", "time", "request", "status", "size", "referer",
         "agent", "request_time"]),
}


def gunicorn_case(logchain, case):
    fmt, fields = GUNICORN_CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        expected_path = os.path.join(tmp, "expected.jsonl")
        lines = subprocess.run(
            ["/usr/bin/python3", os.path.join(HERE, "gunicorn_access_lines.py"),
             "--format", fmt, "--expected", expected_path],
            capture_output=True, check=True, timeout=60, env=dict(os.environ, TZ="UTC"))
        text = lines.stdout.decode("utf-8")
        with open(expected_path, encoding="utf-8") as f:
            expected = [json.loads(line) for line in f]
    failures = []
    for decode in (False, True):
        records = run_logchain(logchain, ["--access-format", fmt], text, decode)
        # gunicorn's only escape: " -> \"
        escape = (lambda s: s) if decode else (lambda s: s.replace('"', '\\"'))
        failures += check_records(records, expected, fields, "gunicorn.access", escape,
                                  "%s decode=%s" % (case, decode))
    return failures


# ---------------------------------------------------------------------------
# nginx

NGINX_FORMAT = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                '"$http_referer" "$http_user_agent" $request_time "$http_x_forwarded_for" '
                '$time_iso8601 $request_method "$uri" $server_protocol $pid $msec')

NGINX_REQUESTS = [
    dict(target="/", ua="curl/7.88.1"),
    dict(target='/search?q="x"&a=\\b', ua='Mozilla/5.0 "quoted" \\ agent',
         referer='https://example.com/?q="x"', xff="203.0.113.9, 10.0.0.1", user="alice"),
    dict(target="/caf\u00e9/\u65e5\u672c", ua="Mozilla \u65e5\u672c\u8a9e \u00e9\tTab",
         user="zo\u00eb"),
    dict(target="/missing/x", ua="curl/7.88.1", ipv6=True),
    dict(target="/", ua="", referer="-"),
    dict(target="/", method="HEAD", ua="x", xff="2001:db8::9"),
]


def nginx_escape(s):
    """ngx_http_log_escape: '"', '\\' and bytes outside 0x20..0x7e as \\xHH."""
    out = []
    for b in s.encode("utf-8"):
        if b == 0x22 or b == 0x5C or b < 0x20 or b > 0x7E:
            out.append("\\x%02X" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def send(host, port, request_bytes):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.settimeout(10)
        s.connect((host, port))
        s.sendall(request_bytes)
        while s.recv(65536):
            pass


def nginx_case(logchain):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        print("nginx is not installed (tools/bootstrap installs nginx-light)")
        return ["nginx missing"]
    v6 = ipv6_loopback()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = os.path.join(tmp, "access.log")
        conf = os.path.join(tmp, "nginx.conf")
        listen = "listen 127.0.0.1:%d;" % port + (" listen [::1]:%d;" % port if v6 else "")
        temp = " ".join("%s_temp_path %s/%s;" % (k, tmp, k)
                        for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(conf, "w") as f:
            f.write("daemon off; master_process off; worker_processes 1;\n"
                    "pid %s/nginx.pid; error_log %s/error.log;\n"
                    "events { worker_connections 16; }\n"
                    "http { %s\n log_format t '%s';\n access_log %s t;\n"
                    " server { %s location / { return 200 \"ok\\n\"; }"
                    " location /missing { return 404; } } }\n"
                    % (tmp, tmp, temp, NGINX_FORMAT, log, listen))
        proc = subprocess.Popen([nginx, "-p", tmp, "-c", conf, "-e", os.path.join(tmp, "error.log")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("nginx did not start: %s"
                                           % proc.stderr.read().decode(errors="replace"))
                    time.sleep(0.05)
            expected = []
            for r in NGINX_REQUESTS:
                if r.get("ipv6") and not v6:
                    continue
                host = "::1" if r.get("ipv6") else "127.0.0.1"
                method = r.get("method", "GET")
                head = ["%s %s HTTP/1.1" % (method, r["target"]), "Host: localhost",
                        "User-Agent: " + r["ua"], "Connection: close"]
                if "referer" in r:
                    head.append("Referer: " + r["referer"])
                if "xff" in r:
                    head.append("X-Forwarded-For: " + r["xff"])
                if "user" in r:
                    head.append("Authorization: Basic "
                                + base64.b64encode((r["user"] + ":pw").encode()).decode())
                send(host, port, ("\r\n".join(head) + "\r\n\r\n").encode("utf-8"))
                path = r["target"].split("?", 1)[0]
                expected.append({
                    "host": host,
                    "user": r.get("user"),
                    "request": "%s %s HTTP/1.1" % (method, r["target"]),
                    "status": 404 if path.startswith("/missing") else 200,
                    "referer": None if r.get("referer", "-") == "-" else r["referer"],
                    "agent": r["ua"],
                    "http_x_forwarded_for": r.get("xff"),
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "pid": proc.pid,
                })
        finally:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with open(log, "rb") as f:
            text = f.read().decode("utf-8")
    fields = ["host", "user", "request", "status", "referer", "agent", "http_x_forwarded_for",
              "method", "path", "protocol", "pid"]
    failures = []
    for decode in (False, True):
        records = run_logchain(logchain, ["--nginx-format", NGINX_FORMAT], text, decode)
        escape = (lambda s: s) if decode else nginx_escape
        failures += check_records(records, expected, fields, "nginx.access", escape,
                                  "nginx decode=%s" % decode)
        for i, record in enumerate(records):
            # Typed fields nginx chose the values of: their types and units.
            for name, kind in (("size", int), ("request_time", float), ("msec", float)):
                if not isinstance(record.get(name), kind):
                    failures.append("nginx line %d: %s is %r" % (i + 1, name, record.get(name)))
            if not re.fullmatch(r"\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}", record.get("time", "")):
                failures.append("nginx line %d: time %r" % (i + 1, record.get("time")))
    return failures


# ---------------------------------------------------------------------------
# Apache

APACHE_FORMAT = (r'%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D %{ms}T '
                 r'%P %m %U%q %H %{X-Forwarded-For}i')

APACHE_REQUESTS = [
    dict(host="192.0.2.1", user=None, method="GET", path="/", query="", status=200, size=1234,
         referer=None, ua="curl/7.88.1", us=1503, xff=None),
    dict(host="2001:db8::1", user="alice", method="POST", path="/api/items", query="id=7&q=\"x\"",
         status=201, size=0, referer='https://example.com/?q="x"',
         ua='Mozilla/5.0 "quoted" \\ back\\slash', us=1503020, xff="203.0.113.9, 10.0.0.1"),
    dict(host="::1", user="zo\u00eb smith", method="GET", path="/caf\u00e9/\u65e5\u672c",
         query="", status=404, size=9, referer="-", ua="tab\there, newline\nthere \u00e9",
         us=999, xff=None),
    dict(host="198.51.100.7", user=None, method="DELETE", path="/x", query="a=b", status=500,
         size=21, referer=None, ua="", us=12000000, xff="2001:db8::9"),
]


def apache_escape(s):
    """ap_escape_logitem: '"' and '\\' with a backslash, \\n \\r \\t \\b \\v by name,
    other bytes that are not printable ASCII as \\xhh."""
    named = {0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b",
             0x0B: "\\v"}
    out = []
    for b in s.encode("utf-8"):
        if b in named:
            out.append(named[b])
        elif b < 0x20 or b > 0x7E:
            out.append("\\x%02x" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def apache_case(logchain):
    lines = []
    expected = []
    for r in APACHE_REQUESTS:
        request = "%s %s%s HTTP/1.1" % (r["method"], r["path"], "?" + r["query"] if r["query"] else "")
        e = apache_escape
        fields = [
            r["host"], "-", e(r["user"]) if r["user"] else "-", "[15/Aug/2019:14:19:23 +0000]",
            '"%s"' % e(request), str(r["status"]), str(r["size"]) if r["size"] else "-",
            '"%s"' % (e(r["referer"]) if r["referer"] else "-"), '"%s"' % e(r["ua"]),
            str(r["us"]), str(r["us"] // 1000), "4242", r["method"],
            e(r["path"]) + ("?" + e(r["query"]) if r["query"] else ""), "HTTP/1.1",
            e(r["xff"]) if r["xff"] else "-",
        ]
        lines.append(" ".join(fields))
        want = {
            "host": r["host"], "user": r["user"], "time": "15/Aug/2019:14:19:23 +0000",
            "request": request, "status": r["status"], "size": r["size"],
            "referer": None if r["referer"] in (None, "-") else r["referer"], "agent": r["ua"],
            "request_time_us": r["us"], "request_time_ms": r["us"] // 1000, "pid": 4242,
            "method": r["method"], "path": r["path"], "protocol": "HTTP/1.1",
            "http_x_forwarded_for": r["xff"],
        }
        if r["query"]:
            want["query"] = r["query"]
        expected.append(want)
    text = "\n".join(lines) + "\n"
    failures = []
    for decode in (False, True):
        records = run_logchain(logchain, ["--apache-format", APACHE_FORMAT], text, decode)
        escape = (lambda s: s) if decode else apache_escape
        for want, record in zip(expected, records):
            if "query" in want and record.get("query") != (want["query"] if decode else
                                                          apache_escape(want["query"])):
                failures.append("apache decode=%s: query %r in %r" % (decode, record.get("query"), record))
            if "query" not in want and "query" in record:
                failures.append("apache: a query where there is none: %r" % record)
        failures += check_records(records, expected,
                                  [k for k in expected[0] if k != "query"], "apache.access",
                                  escape, "apache decode=%s" % decode)
    return failures


def docs_case(logchain, docs):
    """Every sh/text/json triple and the refusal in docs/formats.md hold."""
    import shlex
    with open(docs, encoding="utf-8") as f:
        blocks = re.findall(r"```(\w+)\n(.*?)```", f.read(), re.S)
    failures = []
    examples = 0
    for i in range(len(blocks) - 2):
        (k1, cmd), (k2, text), (k3, out) = blocks[i:i + 3]
        if (k1, k2, k3) != ("sh", "text", "json"):
            continue
        examples += 1
        args = shlex.split(cmd.strip())
        assert args[0] == "logchain", args
        got = subprocess.run([logchain] + args[1:], input=text.encode(), capture_output=True,
                             timeout=30)
        if got.stdout.decode() != out:
            failures.append("docs example %d: %s\n  got:      %s  expected: %s"
                            % (examples, cmd.strip(), got.stdout.decode(), out))
    for kind, body in blocks:
        if kind == "text" and body.startswith("$ logchain"):
            first, rest = body.split("\n", 1)
            got = subprocess.run([logchain] + shlex.split(first[len("$ logchain"):]),
                                 stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
            if got.returncode != 2 or got.stderr.decode() != rest:
                failures.append("docs refusal: exit %d\n%s\nexpected:\n%s"
                                % (got.returncode, got.stderr.decode(), rest))
    if examples < 3:
        failures.append("docs/formats.md has %d examples, expected one per format" % examples)
    return failures


def main():
    logchain, case = sys.argv[1], sys.argv[2]
    if case == "docs":
        failures = docs_case(logchain, sys.argv[3])
    elif case in GUNICORN_CASES:
        failures = gunicorn_case(logchain, case)
    elif case == "nginx":
        failures = nginx_case(logchain)
    elif case == "apache":
        failures = apache_case(logchain)
    else:
        sys.exit("unknown case " + case)
    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit(1)
    print("ok:", case)


if __name__ == "__main__":
    main()

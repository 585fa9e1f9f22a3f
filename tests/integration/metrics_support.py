"""Helpers for logchain's metrics integration tests (the general ones are
in support.py): starting logchain with its metrics endpoint, reading its
output as it comes, and starting Debian's Prometheus server on 127.0.0.1.

Every process started here is stopped by the caller's `finally` (stop()),
and every wait is bounded by a deadline, so a broken build fails the test
instead of hanging it.
"""
import json
import os
import re
import subprocess
import threading
import urllib.parse
import urllib.request

from support import free_port, stop, wait_for

PROMETHEUS = "/usr/bin/prometheus"


def http_get(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode("utf-8")


class Logchain:
    """logchain reading a pipe, serving /metrics on a free loopback port."""

    def __init__(self, binary, *args):
        self.process = subprocess.Popen(
            [binary, "--metrics-listen", "127.0.0.1:0", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.stderr_lines = []
        self.records = []
        self._lock = threading.Lock()
        first = self.process.stderr.readline().decode("utf-8", "replace")
        self.stderr_lines.append(first)
        m = re.search(r"serving metrics at (http://127\.0\.0\.1:(\d+)/metrics)", first)
        if not m:
            stop(self.process)
            raise AssertionError("logchain did not report its metrics endpoint: %r" % first)
        self.url = m.group(1)
        self.port = int(m.group(2))
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        for line in self.process.stdout:
            record = json.loads(line)  # every output line must be JSON
            with self._lock:
                self.records.append(record)

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace"))

    def record_count(self):
        with self._lock:
            return len(self.records)

    def scrape(self):
        status, text = http_get(self.url)
        assert status == 200, status
        return text


def parse_exposition(text):
    """{(name, frozenset(labels.items())): value} from the text format."""
    samples = {}
    pattern = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
    label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = pattern.match(line)
        assert m, "not an exposition line: %r" % line
        labels = frozenset(label.findall(m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


class Prometheus:
    """Debian's Prometheus server on 127.0.0.1, scraping the given targets."""

    def __init__(self, workdir, targets, interval="1s"):
        self.workdir = workdir
        config = os.path.join(workdir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n"
                    "  scrape_interval: %s\n"
                    "  scrape_timeout: %s\n"
                    "scrape_configs:\n"
                    "  - job_name: logchain\n"
                    "    static_configs:\n"
                    "      - targets: [%s]\n"
                    % (interval, interval, ", ".join('"%s"' % t for t in targets)))
        self.process = None
        for _ in range(3):  # the free port may be taken between choosing and binding
            self.port = free_port()
            self.log_path = os.path.join(workdir, "prometheus.log")
            log = open(self.log_path, "w")
            self.process = subprocess.Popen(
                [PROMETHEUS, "--config.file=" + config,
                 "--storage.tsdb.path=" + os.path.join(workdir, "data"),
                 "--web.listen-address=127.0.0.1:%d" % self.port,
                 "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            try:
                wait_for("Prometheus to be ready", self._ready, timeout=30)
                return
            except AssertionError:
                stop(self.process)
        raise AssertionError("Prometheus did not start:\n" + self.log())

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError("Prometheus exited:\n" + self.log())
        try:
            return http_get("http://127.0.0.1:%d/-/ready" % self.port)[0] == 200
        except OSError:
            return False

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def query(self, promql):
        """The instant vector of promql: [(labels dict, float value)]."""
        url = "http://127.0.0.1:%d/api/v1/query?%s" % (
            self.port, urllib.parse.urlencode({"query": promql}))
        _, body = http_get(url)
        reply = json.loads(body)
        assert reply["status"] == "success", reply
        return [(r["metric"], float(r["value"][1])) for r in reply["data"]["result"]]

    def scalar(self, promql):
        """The single value of promql, or None while it has no sample."""
        result = self.query(promql)
        assert len(result) <= 1, result
        return result[0][1] if result else None

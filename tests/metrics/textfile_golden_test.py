#!/usr/bin/python3
"""Golden test of the metrics exposition text, through --metrics-textfile.

Runs logchain over tests/golden/metrics_textfile/access.log with the options
in args (a chain without timestamps, so that the output does not depend on
the clock) and metrics_args (route templates), and compares the textfile
with expected.prom. The one value that depends on the wall clock,
logchain_last_record_timestamp_seconds, must lie between the start and the
end of the run and is then masked as <time>. The JSON output must be
byte-identical to a run without metrics, and batch mode (-j 3, worker
threads) must give the same metrics as one thread.

Usage: textfile_golden_test.py LOGCHAIN_BINARY [--update]
"""
import os
import re
import subprocess
import sys
import tempfile
import time

CASE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "metrics_textfile")
GAUGE = re.compile(r"^logchain_last_record_timestamp_seconds (\S+)$", re.M)


def main():
    binary = sys.argv[1]
    update = "--update" in sys.argv[2:]
    with open(os.path.join(CASE, "args")) as f:
        args = f.read().split()  # for both runs
    with open(os.path.join(CASE, "metrics_args")) as f:
        metrics_args = f.read().split()
    source = os.path.join(CASE, "access.log")  # not input.log: no JSON golden case
    with tempfile.TemporaryDirectory(prefix="logchain-golden-") as tmp:
        prom = os.path.join(tmp, "logchain.prom")
        start = time.time()
        with_metrics = subprocess.run([binary, *args, "--metrics-textfile", prom, *metrics_args,
                                       source],
                                      capture_output=True, check=False)
        end = time.time()
        assert with_metrics.returncode == 0, with_metrics.stderr.decode()
        without = subprocess.run([binary, *args, source], capture_output=True, check=True)
        assert with_metrics.stdout == without.stdout, "metrics changed the JSON output"
        assert sorted(os.listdir(tmp)) == ["logchain.prom"], os.listdir(tmp)
        with open(prom) as f:
            text = f.read()

    m = GAUGE.search(text)
    assert m, "no logchain_last_record_timestamp_seconds sample"
    assert start - 1 <= float(m.group(1)) <= end + 1, (start, m.group(1), end)
    text = GAUGE.sub("logchain_last_record_timestamp_seconds <time>", text)

    expected_path = os.path.join(CASE, "expected.prom")
    if update:
        with open(expected_path, "w") as f:
            f.write(text)
        print("updated", expected_path)
        return
    with open(expected_path) as f:
        expected = f.read()
    if text != expected:
        import difflib
        sys.stderr.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                   "expected.prom", "logchain"))
        raise SystemExit("the exposition text differs from expected.prom")
    print("metrics textfile matches expected.prom (%d lines)" % text.count("\n"))
    check_batch_mode(binary, args, metrics_args, source)


def check_batch_mode(binary, args, metrics_args, source):
    """Worker threads (-j) count what one thread counts, nothing twice."""
    with open(source) as f:
        one = f.read()
    copies = 300  # over 256 KiB: several chunks for the workers
    with tempfile.TemporaryDirectory(prefix="logchain-golden-") as tmp:
        big = os.path.join(tmp, "big.log")
        with open(big, "w") as f:
            f.write(one * copies)
        texts = {}
        for jobs in ("1", "3"):
            prom = os.path.join(tmp, "j%s.prom" % jobs)
            run = subprocess.run([binary, *args, "-j", jobs, "--metrics-textfile", prom,
                                  *metrics_args, big], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, check=False)
            assert run.returncode == 0, run.stderr.decode()
            with open(prom) as f:
                texts[jobs] = GAUGE.sub("logchain_last_record_timestamp_seconds <time>", f.read())
    lines = one.count("\n") * copies
    assert "logchain_lines_read_total %d\n" % lines in texts["1"], texts["1"]
    assert texts["1"] == texts["3"], "-j 3 counted differently from -j 1"
    print("-j 3 and -j 1 give the same metrics over %d lines" % lines)


if __name__ == "__main__":
    main()

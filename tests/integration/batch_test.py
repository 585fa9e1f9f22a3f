#!/usr/bin/python3
"""Batch reprocessing through the binary: gzip inputs, order, progress, summary.

Usage: batch_test.py LOGCHAIN SAMPLE CASE
SAMPLE is a file of real gunicorn output (samples/gunicorn.log).
"""

import gzip
import os
import subprocess
import sys
import tempfile

from support import check

LIMIT = 120


def run(logchain, args, **kwargs):
    return subprocess.run([logchain] + args, capture_output=True, timeout=LIMIT, **kwargs)


def case_gzip_rotated(logchain, sample, tmp):
    """Rotated files, some gzip (found by content, not name), in the order given."""
    data = open(sample, "rb").read()
    lines = data.splitlines(keepends=True)
    # Cut where no traceback can span the cut, so the rotated set must give
    # exactly the output of the whole file.
    cuts = [safe_cut(lines, len(lines) // 3), safe_cut(lines, 2 * len(lines) // 3)]
    parts = [b"".join(lines[:cuts[0]]), b"".join(lines[cuts[0]:cuts[1]]), b"".join(lines[cuts[1]:])]
    names = []
    for i, part in enumerate(parts):
        name = os.path.join(tmp, "access.log.%d" % (3 - i))  # no .gz suffix on purpose
        with open(name, "wb") as f:
            f.write(gzip.compress(part) if i < 2 else part)
        names.append(name)
    whole = run(logchain, [sample])
    check(whole.returncode == 0, "plain run failed: %r" % whole.stderr)
    rotated = run(logchain, names)
    check(rotated.returncode == 0, "rotated run failed: %r" % rotated.stderr)
    check(rotated.stdout == whole.stdout, "gzip'd rotated set differs from the plain file")
    backwards = run(logchain, names[::-1])
    check(backwards.stdout != whole.stdout, "the order of the inputs is not kept")
    # Concatenated gzip members read as one file.
    both = os.path.join(tmp, "both")
    with open(both, "wb") as f:
        f.write(gzip.compress(parts[0]) + gzip.compress(parts[1] + parts[2]))
    joined = run(logchain, [both])
    check(joined.returncode == 0, "concatenated members failed: %r" % joined.stderr)
    check(joined.stdout.count(b"\n") == whole.stdout.count(b"\n"),
          "concatenated members: %d records, plain %d" %
          (joined.stdout.count(b"\n"), whole.stdout.count(b"\n")))


def safe_cut(lines, i):
    """The first index from i where lines[i-1] and lines[i] are plain lines."""
    def plain(line):
        return line[:1] not in (b" ", b"\t", b"\n", b"") and not line.startswith(b"Traceback")
    while not (plain(lines[i - 1]) and plain(lines[i])):
        i += 1
    return i


def case_truncated_gzip(logchain, sample, tmp):
    """A truncated gzip file: what could be read is processed, exit 1, others go on."""
    data = gzip.compress(open(sample, "rb").read() * 20)
    cut = os.path.join(tmp, "cut.gz")
    with open(cut, "wb") as f:
        f.write(data[: len(data) // 2])
    result = run(logchain, [cut, sample])
    check(result.returncode == 1, "exit code %d" % result.returncode)
    check(b"cut.gz': the gzip data is truncated" in result.stderr, "stderr: %r" % result.stderr)
    alone = run(logchain, [sample]).stdout
    check(result.stdout.endswith(alone), "the file after the truncated one is missing")
    check(len(result.stdout) > len(alone), "the readable part of the truncated file is missing")


def case_summary(logchain, sample, tmp):
    """--stats: lines in, records out, folded, dropped, and per parser parsed/failed."""
    result = run(logchain, ["--stats", sample])
    check(result.returncode == 0, "exit code %d" % result.returncode)
    err = result.stderr.decode()
    records = result.stdout.count(b"\n")
    check(" lines read (" in err and "%d records written" % records in err, "stderr: %s" % err)
    check("lines folded" in err and "records dropped" in err, "stderr: %s" % err)
    check("parse_combined parsed " in err and ", failed on " in err, "stderr: %s" % err)


def case_quiet_when_not_a_terminal(logchain, sample, tmp):
    """stderr is a pipe here: no progress and no summary unless asked."""
    result = run(logchain, [sample])
    check(result.returncode == 0, "exit code %d" % result.returncode)
    check(result.stderr == b"", "stderr: %r" % result.stderr)
    result = run(logchain, ["--no-progress", "--stats", sample])
    check(b"\r" not in result.stderr and b"lines read" in result.stderr, "stderr: %r" % result.stderr)


def case_progress(logchain, sample, tmp):
    """--progress draws bytes, percentage, lines and rate on stderr, then erases itself.

    A file and then a pipe the test holds open: the run cannot end before the
    progress line has been seen, whatever the machine's speed."""
    proc = subprocess.Popen([logchain, "--progress", sample, "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    while b" lines" not in seen.rsplit(b"\r", 1)[-1]:
        chunk = os.read(proc.stderr.fileno(), 4096)
        check(chunk, "stderr ended without a progress line: %r" % seen)
        seen += chunk
    proc.stdin.write(b"one more line\n")
    proc.stdin.close()
    rest = proc.stderr.read()
    code = proc.wait(LIMIT)
    check(code == 0, "exit code %d" % code)
    text = (seen + rest).decode()
    size = os.path.getsize(sample)
    check("100%" in text, "no progress line for the finished file: %r" % text)
    check(" / " in text and "B/s" in text and "ETA" in text, "progress line: %r" % text)
    check("\r\x1b[K" in text, "the progress line is not erased: %r" % text)
    check("lines read" in text.rsplit("\x1b[K", 1)[-1], "no summary after the progress: %r" % text)
    check(size > 0, "empty sample")


CASES = {name[len("case_"):]: f for name, f in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[3] not in CASES:
        print("usage: batch_test.py LOGCHAIN SAMPLE {%s}" % ",".join(CASES), file=sys.stderr)
        sys.exit(2)
    with tempfile.TemporaryDirectory() as tmp:
        CASES[sys.argv[3]](os.path.abspath(sys.argv[1]), sys.argv[2], tmp)
    print("ok: " + sys.argv[3])

#!/usr/bin/python3
"""deploy/fluent-bit: logchain's output under the configured options is what
the configured Fluent Bit parser expects.

Usage: fluent_bit_test.py REPO LOGCHAIN

Fluent Bit is not packaged in Debian 12, so it is not run here. Instead the
configurations are read as Fluent Bit reads them (classic format), the
logchain command of the exec input is run over real gunicorn output and
hard lines, and every record is checked against the parser: valid JSON, the
parser's Time_Key present and readable with its Time_Format (strptime, %L as
fractional seconds), the access field `time` kept, and no record longer than
the input's buffer.
"""

import calendar
import datetime
import json
import os
import re
import shlex
import subprocess
import tempfile

from support import arguments, check, fail

UNITS = {"": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20}


def read_classic(path):
    """[(SECTION, {key.lower(): value})] of a classic Fluent Bit file."""
    sections = []
    for raw in open(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([A-Z]+)\]", line)
        if m:
            sections.append((m.group(1), {}))
            continue
        check(sections, "%s: a key outside a section: %s" % (path, line))
        key, _, value = line.partition(" ")
        sections[-1][1][key.lower()] = value.strip()
    return sections


def size(text):
    m = re.fullmatch(r"(\d+)([A-Za-z]*)", text)
    check(m and m.group(2).upper() in UNITS, "not a Fluent Bit size: %s" % text)
    return int(m.group(1)) * UNITS[m.group(2).upper()]


def parser_of(directory, config):
    service = [s for name, s in config if name == "SERVICE"][0]
    parsers_file = os.path.join(directory, service["parsers_file"])
    check(os.path.isfile(parsers_file), "Parsers_File %s does not exist" % parsers_file)
    inputs = [s for name, s in config if name == "INPUT"]
    check(len(inputs) == 1, "one input expected")
    name = inputs[0]["parser"]
    parsers = {s["name"]: s for kind, s in read_classic(parsers_file) if kind == "PARSER"}
    check(name in parsers, "the input's parser %s is not in %s" % (name, parsers_file))
    return inputs[0], parsers[name]


def parse_time(value, time_format):
    """Seconds since the epoch, as Fluent Bit's strptime (%L: fractional seconds) reads value."""
    parsed = datetime.datetime.strptime(value, time_format.replace("%L", "%f"))
    return calendar.timegm(parsed.timetuple())


def main(repo, logchain):
    directory = os.path.join(repo, "deploy", "fluent-bit")
    exec_config = read_classic(os.path.join(directory, "exec.conf"))
    tail_config = read_classic(os.path.join(directory, "tail.conf"))
    exec_input, parser = parser_of(directory, exec_config)
    tail_input, tail_parser = parser_of(directory, tail_config)

    # The configurations themselves.
    check(exec_input["name"] == "exec", "exec.conf's input is %s" % exec_input["name"])
    check(exec_input.get("oneshot") == "true" and exec_input.get("exit_after_oneshot") == "true",
          "exec.conf does not run logchain once and exit")
    check(tail_input["name"] == "tail", "tail.conf's input is %s" % tail_input["name"])
    check(parser == tail_parser, "the two inputs use different parsers")
    check(parser["format"] == "json", "the parser is not json")
    time_key, time_format = parser["time_key"], parser["time_format"]
    check(time_key != "time", "Time_Key time would take the access field `time` away")
    buffer = size(exec_input["buf_size"])
    check(size(tail_input["buffer_max_size"]) == buffer, "tail and exec buffers differ")

    command = shlex.split(exec_input["command"])
    check(command[0] == "logchain", "the exec command is not logchain: %s" % command)
    options = command[1:-1]
    documented = open(os.path.join(directory, "README.md")).read()
    check("logchain " + " ".join(options) in documented, "README.md shows other options")
    tail_text = re.sub(r"\\\n#\s*", "", open(os.path.join(directory, "tail.conf")).read())
    check(" ".join(options) in re.sub(r"\s+", " ", tail_text),
          "tail.conf's logchain command uses other options than exec.conf")
    max_line = options[options.index("--max-line-bytes") + 1]

    # logchain's output under exactly those options.
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "gunicorn.log")
        with open(os.path.join(repo, "samples", "gunicorn.log"), "rb") as f:
            sample = f.read()
        hard = [
            b"[2019-08-15 16:19:14 +0200] [30099] [INFO] Booting worker with pid: 30099",
            b'10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET /caf\xc3\xa9 HTTP/1.1" 200 5 "-" "x"',
            b'{"event": "app", "timestamp": "2019-08-15 14:19:23", "time": 3}',
            b"not utf-8 \xff\xfe",
            b"\x01" * (size(max_line) * 3),  # longer than --max-line-bytes, all escapes
            b'10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET /' + b"\x01" * size(max_line) +
            b' HTTP/1.1" 200 5 "-" "x"',
        ]
        with open(log, "wb") as f:
            f.write(sample + b"\n".join(hard) + b"\n")
        result = subprocess.run([logchain] + options + [log], capture_output=True, timeout=120)
        check(result.returncode == 0, "logchain failed: %r" % result.stderr)

    records = 0
    for line in result.stdout.split(b"\n")[:-1]:
        records += 1
        check(len(line) + 1 <= buffer, "a record of %d bytes exceeds Buf_Size %d" % (len(line), buffer))
        record = json.loads(line)
        check(isinstance(record, dict), "not an object: %r" % line[:200])
        check(time_key in record, "no %s in %r" % (time_key, line[:200]))
        value = record[time_key]
        check(isinstance(value, str) and value.endswith("Z"), "%s: %r" % (time_key, value))
        try:
            parse_time(value, time_format)
        except ValueError as e:
            fail("%r does not parse with Time_Format %s: %s" % (value, time_format, e))
        if record.get("logger") == "gunicorn.access" and "logchain_error" not in record:
            check(isinstance(record.get("time"), str), "the access field time is missing: %r" % record)
    check(records >= sample.count(b"\n") // 2, "too few records: %d" % records)

    # The record time is the event's own, in UTC, not the time of reading.
    by_event = {}
    for line in result.stdout.split(b"\n")[:-1]:
        r = json.loads(line)
        by_event.setdefault(r.get("event"), r)
    boot = by_event["Booting worker with pid: 30099"]
    check(parse_time(boot[time_key], time_format) == calendar.timegm((2019, 8, 15, 14, 19, 14)),
          "the record time is not the line's own: %r" % boot)
    app = by_event["app"]
    check(app["timestamp"] == "2019-08-15 14:19:23" and app["time"] == 3,
          "an app's own keys changed: %r" % app)
    print("ok: %d records" % records)


if __name__ == "__main__":
    main(*arguments("fluent_bit_test.py REPO LOGCHAIN", 2))

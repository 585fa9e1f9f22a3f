#!/usr/bin/python3
"""--format console through the binary: colour only on a terminal (a real
one, made by script(1)), NO_COLOR respected, --color to force either way.

Usage: console_test.py LOGCHAIN SAMPLE
"""

import os
import shlex
import subprocess

from support import arguments, check


def on_terminal(args, env):
    """Runs logchain with stdout on a pseudo-terminal; returns what it wrote."""
    command = " ".join(shlex.quote(a) for a in args)
    result = subprocess.run(["script", "-q", "-e", "-c", command, "/dev/null"],
                            capture_output=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    check(result.returncode == 0, "under a terminal: exit %d %r" % (result.returncode, result.stderr))
    return result.stdout


def main(logchain, sample):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    json_lines = subprocess.run([logchain, sample], capture_output=True, check=True).stdout
    piped = subprocess.run([logchain, "--format", "console", sample], capture_output=True, env=env)
    check(piped.returncode == 0, "exit %d" % piped.returncode)
    check(b"\x1b" not in piped.stdout, "colours on a pipe")
    check(piped.stdout.count(b"\n") >= json_lines.count(b"\n"), "records missing from the console view")
    check(b"[info    ] " in piped.stdout and b"[gunicorn.access] " in piped.stdout,
          "not the console layout: %r" % piped.stdout[:300])

    forced = subprocess.run([logchain, "--format", "console", "--color", "always", sample],
                            capture_output=True, env=env).stdout
    check(b"\x1b[32minfo\x1b[0m" in forced, "--color always gives no colour")

    check(b"\x1b[32minfo" in on_terminal([logchain, "--format", "console", sample], env),
          "no colour on a terminal")
    check(b"\x1b[" not in on_terminal([logchain, "--format", "console", sample],
                                      dict(env, NO_COLOR="1")), "colour despite NO_COLOR")
    check(b"\x1b[" not in on_terminal([logchain, "--format", "console", "--color", "never", sample],
                                      env), "colour despite --color never")

    bad = subprocess.run([logchain, "--format", "consol", sample], capture_output=True)
    check(bad.returncode == 2 and b"did you mean 'console'" in bad.stderr, "stderr: %r" % bad.stderr)
    bad = subprocess.run([logchain, "--color", "sometimes", sample], capture_output=True)
    check(bad.returncode == 2 and b"--color" in bad.stderr, "stderr: %r" % bad.stderr)
    print("ok")


if __name__ == "__main__":
    main(*arguments("console_test.py LOGCHAIN SAMPLE", 2))

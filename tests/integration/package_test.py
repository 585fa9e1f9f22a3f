#!/usr/bin/python3
"""cpack builds a .deb; installed into a scratch root with dpkg -x, it runs.

Usage: package_test.py BUILD_DIR

Builds the package from the build tree (cpack), extracts it with dpkg -x
(no root needed) and checks: `logchain --version` runs from the scratch
root, the man page is there and documents the options, the bash and zsh
completions are there, and bash completes options and processor names with
the installed binary. Exits 77 (skipped) only when dpkg-deb is missing.
"""

import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

from support import SKIP, arguments, check

def complete(root, words):
    """COMPREPLY of the installed bash completion for the command line `words`."""
    script = """
source %s
COMP_WORDS=(%s)
COMP_CWORD=%d
_logchain
printf '%%s\\n' "${COMPREPLY[@]}"
""" % (os.path.join(root, "usr/share/bash-completion/completions/logchain"),
       " ".join("'%s'" % w for w in words), len(words) - 1)
    env = dict(os.environ, PATH=os.path.join(root, "usr/bin") + ":" + os.environ["PATH"])
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60)
    check(r.returncode == 0, "bash completion failed: %s" % r.stderr)
    return r.stdout.split()


def main(build_dir):
    if shutil.which("dpkg-deb") is None:
        print("SKIP: dpkg-deb is not installed")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        r = subprocess.run(["cpack", "-G", "DEB", "-B", out,
                            "--config", os.path.join(build_dir, "CPackConfig.cmake")],
                           capture_output=True, text=True, cwd=build_dir, timeout=600)
        check(r.returncode == 0, "cpack failed: %s %s" % (r.stdout, r.stderr))
        debs = glob.glob(os.path.join(out, "*.deb"))
        check(len(debs) == 1, "expected one .deb, got %s" % debs)
        info = subprocess.run(["dpkg-deb", "--field", debs[0], "Package", "Depends"],
                              capture_output=True, text=True, check=True).stdout
        check("Package: logchain" in info and "libre2" in info, "control fields: %s" % info)

        root = os.path.join(tmp, "root")
        subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
        binary = os.path.join(root, "usr/bin/logchain")
        version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
        check(version.returncode == 0 and version.stdout.startswith("logchain "),
              "logchain --version from the package: %r %r" % (version.stdout, version.stderr))

        # The pattern files are in the package, and the installed binary finds
        # them relative to itself (nothing is installed in /usr on this machine).
        check(os.path.isfile(os.path.join(root, "usr/share/logchain/patterns/klog.pattern")),
              "no pattern files in the package")
        parsed = subprocess.run([binary, "--chain", "parse_pattern",
                                 "--set", "parse_pattern.pattern=klog"],
                                input="I0815 14:19:23.123456   12345 main.go:42] Starting\n",
                                capture_output=True, text=True, timeout=60)
        check(parsed.returncode == 0 and '"source": "main.go:42"' in parsed.stdout,
              "parse_pattern from the package: %r %r" % (parsed.stdout, parsed.stderr))

        man = os.path.join(root, "usr/share/man/man1/logchain.1.gz")
        check(os.path.isfile(man), "no man page in the package")
        page = gzip.open(man).read().decode()
        check(".TH LOGCHAIN" in page, "not a man page")
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
        for option in ("--chain", "--set", "--stats", "--format", "--check"):
            if option in help_text:
                check(option.replace("-", "\\-") in page, "the man page lacks %s" % option)
        check(os.path.isfile(os.path.join(root, "usr/share/zsh/vendor-completions/_logchain")),
              "no zsh completion in the package")

        check("--format" in complete(root, ["logchain", "--for"]), "bash: --for does not complete")
        check(complete(root, ["logchain", "--format", ""]) == ["json", "console"],
              "bash: --format values")
        processors = complete(root, ["logchain", "--describe", "add_"])
        check("add_timestamp" in processors and "add_log_level" in processors,
              "bash: --describe add_ gives %s" % processors)
        check(complete(root, ["logchain", "--chain", "add_log_level,parse_c"]) ==
              ["add_log_level,parse_combined"], "bash: --chain list completion")
        if os.path.isdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "patterns")):
            check(os.path.isdir(os.path.join(root, "usr/share/logchain/patterns")),
                  "patterns/ is not in the package")
    print("ok")


if __name__ == "__main__":
    main(*arguments("package_test.py BUILD_DIR", 1))

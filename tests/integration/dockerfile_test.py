#!/usr/bin/python3
"""The Dockerfiles, checked without a Docker engine.

Usage: dockerfile_test.py REPO LOGCHAIN

- every file a COPY takes from the build context exists;
- what the final stage copies from the build stage is what the build
  produces: the release preset's binary (its binaryDir in CMakePresets.json);
- the build stage runs the scripts the README tells people to run, and those
  scripts exist and call tools/bootstrap;
- the final stage is debian slim, runs as a non-root user, has logchain as
  entrypoint, and installs a Debian package for every shared library the
  built binary links (found with ldd and dpkg -S), and those packages exist;
- the app example wraps gunicorn with logchain, with files that exist.
"""

import json
import os
import re
import shlex
import subprocess

from support import arguments, check, fail

# In debian:bookworm-slim already (libc, the C++ runtime, apt's dependencies).
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}


def instructions(path):
    """[(stage index, INSTRUCTION, argument text)], continuation lines joined."""
    text = open(path).read()
    text = re.sub(r"\\\n", " ", text)
    result, stage = [], -1
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            stage += 1
        result.append((stage, word, rest.strip()))
    return result


def copy_sources(rest):
    """(--from value or None, [sources], destination) of a COPY."""
    if rest.startswith("["):
        parts = json.loads(rest)
        flags = []
    else:
        parts = shlex.split(rest)
        flags = [p for p in parts if p.startswith("--")]
        parts = [p for p in parts if not p.startswith("--")]
    source_stage = None
    for flag in flags:
        if flag.startswith("--from="):
            source_stage = flag[len("--from="):]
    return source_stage, parts[:-1], parts[-1]


# Sanitizer runtimes are linked only by the asan and fuzz builds of the test
# suite, never by the release build the image ships.
SANITIZER_RUNTIME = re.compile(r"lib(asan|ubsan|lsan|tsan)\.so")


def packages_of_linked_libraries(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    packages = set()
    for line in out.splitlines():
        m = re.search(r"=> (\S+) \(", line)
        if not m or SANITIZER_RUNTIME.search(line):
            continue
        path = os.path.realpath(m.group(1))
        candidates = [path]
        if path.startswith("/usr/"):
            candidates.append(path[len("/usr"):])
        else:
            candidates.append("/usr" + path)
        for candidate in candidates:
            r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if r.returncode == 0:
                packages.add(r.stdout.split(":")[0])
                break
        else:
            fail("no Debian package ships %s (linked by logchain)" % path)
    return packages


def apt_installed(instructions_of_stage):
    packages = set()
    for word, rest in instructions_of_stage:
        if word != "RUN" or "apt-get install" not in rest:
            continue
        for command in rest.split("&&"):
            if "apt-get install" in command:
                packages.update(w for w in shlex.split(command.split("apt-get install", 1)[1])
                                if not w.startswith("-"))
    return packages


def check_main_dockerfile(repo, logchain):
    steps = instructions(os.path.join(repo, "Dockerfile"))
    stages = max(s for s, _, _ in steps) + 1
    check(stages >= 2, "the Dockerfile is not multi-stage")
    froms = [rest for s, w, rest in steps if w == "FROM"]
    build_name = froms[0].split()[-1] if " AS " in froms[0].upper() else None
    check(build_name, "the build stage has no name: %s" % froms[0])
    check(froms[-1].split()[0] == "debian:bookworm-slim", "final stage: %s" % froms[-1])

    # The build stage: COPY from the context, then the README's scripts.
    build = [(w, r) for s, w, r in steps if s == 0]
    for word, rest in build:
        if word == "COPY":
            _, sources, _ = copy_sources(rest)
            for source in sources:
                check(os.path.exists(os.path.join(repo, source)), "COPY %s: no such file" % source)
    runs = " && ".join(r for w, r in build if w == "RUN")
    scripts = re.findall(r"\b(tools/[\w.-]+)", runs)
    check(scripts, "the build stage runs no script from tools/: %s" % runs)
    readme = open(os.path.join(repo, "README.md")).read()
    for script in scripts:
        path = os.path.join(repo, script)
        check(os.path.isfile(path), "%s does not exist" % script)
        check(script in readme, "the README does not use %s, which the Dockerfile runs" % script)
        body = open(path).read()
        check("tools/bootstrap" in body or script == "tools/bootstrap",
              "%s does not install the packages through tools/bootstrap" % script)

    # What the final stage takes from the build stage exists after the build.
    presets = json.load(open(os.path.join(repo, "CMakePresets.json")))
    binary_dirs = {}
    base = {p["name"]: p for p in presets["configurePresets"]}
    for p in presets["configurePresets"]:
        d, q = None, p
        while d is None and q is not None:
            d = q.get("binaryDir")
            q = base.get(q.get("inherits")) if isinstance(q.get("inherits"), str) else None
        if d:
            binary_dirs[p["name"]] = d.replace("${presetName}", p["name"])
    final_stage = stages - 1
    final = [(w, r) for s, w, r in steps if s == final_stage]
    workdir = "/"
    for word, rest in build:
        if word == "WORKDIR":
            workdir = rest
    copied_binary = False
    for word, rest in final:
        if word != "COPY":
            continue
        source_stage, sources, _ = copy_sources(rest)
        check(source_stage == build_name, "final stage COPY not from the build stage: %s" % rest)
        for source in sources:
            check(source.startswith(workdir + "/"), "%s is outside the build's sources" % source)
            relative = source[len(workdir) + 1:].rstrip("/")
            if relative.endswith("/logchain"):
                expected = binary_dirs["release"].replace("${sourceDir}/", "") + "/logchain"
                check(relative == expected, "copies %s, the release build is %s" % (relative, expected))
                check("tools/release" in scripts and "--preset release" in open(
                    os.path.join(repo, "tools/release")).read(), "the release preset is not built")
                copied_binary = True
            elif relative == "patterns":
                check("mkdir -p patterns" in runs or os.path.isdir(os.path.join(repo, "patterns")),
                      "patterns/ may not exist in the build stage")
            else:
                check(os.path.exists(os.path.join(repo, relative)), "%s does not exist" % relative)
    check(copied_binary, "the final stage does not copy logchain")

    users = [r for w, r in final if w == "USER"]
    check(users and users[-1] not in ("root", "0"), "the final stage runs as root")
    entry = [json.loads(r) for w, r in final if w == "ENTRYPOINT"]
    check(entry and os.path.basename(entry[-1][0]) == "logchain", "entrypoint: %s" % entry)

    # Runtime libraries: every library the binary links comes from a package
    # the final stage installs (or the slim base image has).
    installed = apt_installed(final)
    needed = packages_of_linked_libraries(logchain)
    missing = needed - installed - BASE_PACKAGES
    check(not missing, "the final stage lacks packages for linked libraries: %s" % sorted(missing))
    for package in installed:
        r = subprocess.run(["apt-cache", "show", package], capture_output=True)
        check(r.returncode == 0, "no Debian package named %s" % package)
    return installed


def check_app_dockerfile(repo):
    context = os.path.join(repo, "deploy", "docker")
    steps = instructions(os.path.join(context, "Dockerfile.app"))
    check(steps[0][1] == "FROM" and steps[0][2].split()[0] == "logchain",
          "the app image does not build on the logchain image")
    for _, word, rest in steps:
        if word == "COPY":
            source_stage, sources, _ = copy_sources(rest)
            if source_stage is None:
                for source in sources:
                    check(os.path.exists(os.path.join(context, source)), "COPY %s: no such file" % source)
    cmd = [json.loads(r) for _, w, r in steps if w == "CMD"][-1]
    check(cmd[:3] == ["logchain", "--", "gunicorn"], "CMD does not wrap gunicorn: %s" % cmd)
    check(cmd[-1] == "app.wsgi" and os.path.isfile(os.path.join(context, "app", "app", "wsgi.py")),
          "the WSGI module %s is not in the app" % cmd[-1])
    users = [r for _, w, r in steps if w == "USER"]
    check(users[-1] not in ("root", "0"), "the app runs as root")
    readme = open(os.path.join(repo, "README.md")).read()
    check("deploy/docker/Dockerfile.app" in readme, "the README does not show the app example")


if __name__ == "__main__":
    repo, logchain = arguments("dockerfile_test.py REPO LOGCHAIN", 2)
    check_main_dockerfile(repo, logchain)
    check_app_dockerfile(repo)
    print("ok")

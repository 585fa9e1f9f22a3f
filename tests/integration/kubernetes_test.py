#!/usr/bin/python3
"""deploy/kubernetes: the manifests parse and fit together, and logchain
accepts the container's arguments and the ConfigMap's configuration.

Usage: kubernetes_test.py REPO LOGCHAIN

Cross-checks: the Deployment's selector matches its pod labels; the Service
selects those pods and targets named container ports that exist; the
ServiceMonitor selects the Service and scrapes a port the Service has, which
is the port logchain's --metrics-listen serves; the liveness probe's path is
the one the ConfigMap's drop_where filter drops; the ConfigMap is mounted
where -c reads it; the image's CMD wraps gunicorn the same way.

Then logchain itself: --check with the container's arguments (the command
after -- removed) and the ConfigMap's logchain.toml, and a run over a
kubelet probe's access line and an ordinary one: the probe is dropped and
counted, the other comes out. Exits 77 (skipped) when the logchain built
here does not have --metrics-listen or drop_where yet.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

from support import SKIP, arguments, check

def load(directory):
    docs = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".yaml"):
            continue
        for doc in yaml.safe_load_all(open(os.path.join(directory, name))):
            if doc is None:
                continue
            for key in ("apiVersion", "kind", "metadata"):
                check(key in doc, "%s: a document without %s" % (name, key))
            docs.setdefault(doc["kind"], []).append(doc)
    return docs


def one(docs, kind):
    check(len(docs.get(kind, [])) == 1, "expected one %s, found %d" % (kind, len(docs.get(kind, []))))
    return docs[kind][0]


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def main(repo, logchain):
    directory = os.path.join(repo, "deploy", "kubernetes")
    docs = load(directory)
    deployment = one(docs, "Deployment")
    service = one(docs, "Service")
    monitor = one(docs, "ServiceMonitor")
    configmap = one(docs, "ConfigMap")
    check(deployment["apiVersion"] == "apps/v1", "Deployment apiVersion")
    check(monitor["apiVersion"] == "monitoring.coreos.com/v1", "ServiceMonitor apiVersion")
    namespaces = {d["metadata"].get("namespace") for d in (deployment, service, monitor, configmap)}
    check(len(namespaces) == 1 and None not in namespaces, "namespaces differ: %s" % namespaces)

    # Deployment -> pods.
    pod = deployment["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    check(selects(deployment["spec"]["selector"]["matchLabels"], pod_labels),
          "the Deployment's selector does not match its pods")
    containers = pod["spec"]["containers"]
    check(len(containers) == 1, "one container expected")
    container = containers[0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    check(pod["spec"].get("securityContext", {}).get("runAsNonRoot") is True, "pods may run as root")

    # The wrapper: logchain ... -- gunicorn ... app.wsgi
    argv = container["command"] + container["args"]
    check(argv[0] == "logchain", "the container does not start logchain: %s" % argv)
    check("--" in argv, "logchain does not wrap a command: %s" % argv)
    own, command = argv[1:argv.index("--")], argv[argv.index("--") + 1:]
    check(command[0] == "gunicorn" and command[-1] == "app.wsgi", "the wrapped command: %s" % command)
    bind = command[command.index("--bind") + 1]
    check(int(bind.rsplit(":", 1)[1]) == ports["http"], "gunicorn binds %s, port http is %d" %
          (bind, ports["http"]))
    app_cmd = [l for l in open(os.path.join(repo, "deploy", "docker", "Dockerfile.app"))
               if l.startswith("CMD ")]
    check(app_cmd and json.loads(app_cmd[-1][4:])[:3] == ["logchain", "--", "gunicorn"],
          "the app image's CMD does not wrap gunicorn")
    metrics_listen = own[own.index("--metrics-listen") + 1]
    check(int(metrics_listen.rsplit(":", 1)[1]) == ports["metrics"],
          "--metrics-listen %s, port metrics is %d" % (metrics_listen, ports["metrics"]))
    check(metrics_listen.startswith("0.0.0.0:"), "metrics only on loopback: not scrapeable")

    # Config: the ConfigMap mounted where -c reads it.
    config_path = own[own.index("-c") + 1]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    mounted = [name for name, path in mounts.items() if config_path.startswith(path.rstrip("/") + "/")]
    check(mounted, "%s is not on a mounted volume" % config_path)
    volume = volumes[mounted[0]]
    check(volume["configMap"]["name"] == configmap["metadata"]["name"], "the mounted ConfigMap differs")
    key = os.path.relpath(config_path, mounts[mounted[0]])
    check(key in configmap["data"], "the ConfigMap has no %s" % key)

    # Service -> pods and ports; ServiceMonitor -> Service port.
    check(selects(service["spec"]["selector"], pod_labels), "the Service selects no pod")
    service_ports = {p["name"]: p for p in service["spec"]["ports"]}
    for name, p in service_ports.items():
        target = p["targetPort"]
        check(target in ports if isinstance(target, str) else target in ports.values(),
              "Service port %s targets %s, not a container port" % (name, target))
    check(selects(monitor["spec"]["selector"]["matchLabels"], service["metadata"]["labels"]),
          "the ServiceMonitor does not select the Service")
    check(service["metadata"]["namespace"] in monitor["spec"]["namespaceSelector"]["matchNames"],
          "the ServiceMonitor looks in another namespace")
    for endpoint in monitor["spec"]["endpoints"]:
        check(endpoint["port"] in service_ports, "ServiceMonitor port %s not in the Service" %
              endpoint["port"])
        check(service_ports[endpoint["port"]]["targetPort"] == "metrics",
              "the ServiceMonitor scrapes something else than logchain's metrics port")

    # The liveness probe's path is the one the filter drops.
    probe = container["livenessProbe"]["httpGet"]
    check(probe["port"] in ports, "the probe's port %s is not a container port" % probe["port"])
    toml_text = configmap["data"][key]
    check(re.search(r'when\s*=\s*".*path\s*==\s*%s\b' % re.escape(probe["path"]), toml_text),
          "drop_where does not drop the probe's path %s" % probe["path"])

    # logchain with exactly these arguments and this configuration.
    help_text = subprocess.run([logchain, "--help"], capture_output=True, text=True).stdout
    processors = subprocess.run([logchain, "--list-processors"], capture_output=True, text=True).stdout
    missing = [what for what, there in (("--metrics-listen", "--metrics-listen" in help_text),
                                        ("drop_where", re.search(r"^\s*drop_where\s", processors, re.M)))
               if not there]
    if missing:
        print("SKIP: this logchain has no %s yet" % ", ".join(missing))
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, key)
        with open(config, "w") as f:
            f.write(toml_text)
        args = [a if a != config_path else config for a in own]
        checked = subprocess.run([logchain] + args + ["--check"], capture_output=True, text=True)
        check(checked.returncode == 0, "logchain --check refuses the configuration: %s" % checked.stderr)
        args = [a if a != metrics_listen else "127.0.0.1:0" for a in args]
        lines = (
            '10.244.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET %s HTTP/1.1" 200 3 "-" "kube-probe/1.27"\n'
            '10.244.0.9 - - [15/Aug/2019:14:19:24 +0000] "GET /orders HTTP/1.1" 200 51 "-" "curl/7.88.1"\n'
            % probe["path"])
        run = subprocess.run([logchain] + args + ["--stats"], input=lines, capture_output=True,
                             text=True, timeout=60)
        check(run.returncode == 0, "logchain failed: %s" % run.stderr)
        out = [json.loads(l) for l in run.stdout.splitlines()]
        check(len(out) == 1 and out[0].get("request") == "GET /orders HTTP/1.1",
              "the probe was not dropped, or the other request was: %s" % out)
        check("1 records dropped" in run.stderr, "the drop is not counted: %s" % run.stderr)
    print("ok")


if __name__ == "__main__":
    main(*arguments("kubernetes_test.py REPO LOGCHAIN", 2))

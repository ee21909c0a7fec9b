#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Kubernetes manifests in data/k8s, checked as the API server and kustomize would read
them, and against the parkd just built: every document is YAML with the fields Kubernetes
requires, selectors match the pod template's labels, the container's ports and probes point
at real parkd routes and at the port parkd is told to listen on, every PARKD_* variable is
a parkd option, every Secret and ConfigMap referred to exists, and parkd started with the
ConfigMap's settings answers the probes.

Needs: PARKD (the built parkd), K8S_DIR (data/k8s); python3-yaml. Prints TAP.
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import yaml
except ImportError:
    print("Bail out! python3-yaml is missing (build-aux/dev installs it)")
    sys.exit(1)

PARKD = os.environ["PARKD"]
K8S_DIR = os.environ["K8S_DIR"]
SCALE = int(os.environ.get("PARK_TEST_TIMEOUT_MULTIPLIER", "1"))

n = 0


def ok(what):
    global n
    n += 1
    print(f"ok {n} - {what}")


def fail(what):
    global n
    n += 1
    print(f"not ok {n} - {what}")
    sys.exit(1)


def check(cond, what):
    if not cond:
        fail(what)


# Kinds and the API versions the manifests may use for them.
API_VERSIONS = {
    "Namespace": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "Deployment": "apps/v1",
    "PodDisruptionBudget": "policy/v1",
    "Kustomization": "kustomize.config.k8s.io/v1beta1",
}
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# --- every file parses, every document has what the API server requires ---------------------
docs = {}          # (kind, name) -> document
files = {}         # file name -> [documents]
for name in sorted(os.listdir(K8S_DIR)):
    if not name.endswith(".yaml"):
        continue
    with open(os.path.join(K8S_DIR, name), encoding="utf-8") as f:
        try:
            loaded = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            fail(f"{name} is YAML ({e})")
    check(loaded, f"{name} holds a document")
    files[name] = loaded
    for d in loaded:
        check(isinstance(d, dict), f"{name}: each document is a mapping")
        kind = d.get("kind")
        check(kind in API_VERSIONS, f"{name}: kind {kind!r} is one the manifests use")
        check(d.get("apiVersion") == API_VERSIONS[kind],
              f"{name}: {kind} has apiVersion {API_VERSIONS[kind]} (got {d.get('apiVersion')!r})")
        if kind != "Kustomization":
            meta = d.get("metadata") or {}
            check(isinstance(meta.get("name"), str) and DNS1123.match(meta["name"])
                  and len(meta["name"]) <= 63, f"{name}: {kind} has a valid metadata.name")
            docs[(kind, meta["name"])] = d
check(files, "data/k8s has manifests")
ok(f"{len(files)} files parse as YAML; every document has apiVersion, kind and metadata.name")

# --- kustomization: what it applies exists, in one namespace, secrets left out ---------------
kust = files.get("kustomization.yaml", [None])[0]
check(kust is not None, "kustomization.yaml is there")
namespace = kust.get("namespace")
check(("Namespace", namespace) in docs, f"the namespace {namespace!r} is made by a manifest")
for res in kust.get("resources", []):
    check(res in files, f"kustomization's resource {res} exists")
    for d in files[res]:
        check(d["kind"] != "Secret", f"{res}: no Secret is applied from the repository")
        if d["kind"] != "Namespace":
            check(d["metadata"].get("namespace") == namespace,
                  f"{res}: {d['kind']} {d['metadata']['name']} is in namespace {namespace}")
applied = {(d["kind"], d["metadata"]["name"]) for r in kust["resources"] for d in files[r]}
ok("kustomization.yaml applies existing files, all in namespace %s, and no Secret" % namespace)

# --- the Deployment -------------------------------------------------------------------------
deploy = docs.get(("Deployment", "parkd"))
check(deploy is not None, "a Deployment parkd")
spec = deploy["spec"]
template = spec["template"]
labels = template["metadata"]["labels"]
match = spec["selector"]["matchLabels"]
check(match and all(labels.get(k) == v for k, v in match.items()),
      "the Deployment's selector matches its pod template's labels")
check(isinstance(spec.get("replicas"), int) and spec["replicas"] >= 2,
      "the Deployment runs replicas (2 or more)")
ok("the Deployment's selector matches its template's labels; %d replicas" % spec["replicas"])

pod = template["spec"]
volumes = {v["name"]: v for v in pod.get("volumes", [])}
containers = pod.get("containers", [])
check(len(containers) == 1 and containers[0].get("name") == "parkd", "one container, parkd")
parkd = containers[0]
for c in containers + pod.get("initContainers", []):
    check(isinstance(c.get("image"), str) and ":" in c["image"]
          and not c["image"].endswith(":latest"), f"container {c['name']} has a pinned image")
    for m in c.get("volumeMounts", []):
        check(m["name"] in volumes, f"{c['name']} mounts a volume the pod has ({m['name']})")
    sc = c.get("securityContext", {})
    check(sc.get("allowPrivilegeEscalation") is False and sc.get("readOnlyRootFilesystem") is True
          and sc.get("capabilities", {}).get("drop") == ["ALL"],
          f"{c['name']} runs without privileges on a read-only root")
check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "the pod does not run as root")
ok("the containers have pinned images, mount declared volumes and run unprivileged")

ports = {p["name"]: p["containerPort"] for p in parkd.get("ports", [])}
check(ports and all(isinstance(p, int) and 0 < p < 65536 for p in ports.values()),
      "parkd's container declares its ports")


def resolve_port(port):
    if isinstance(port, int):
        check(port in ports.values(), f"port {port} is one the container declares")
        return port
    check(port in ports, f"port {port!r} is a named port of the container")
    return ports[port]


routes = subprocess.run([PARKD, "routes"], capture_output=True, text=True, check=True).stdout
routes = {tuple(line.split(" ", 1)) for line in routes.splitlines()}
probe_port = {}
for probe, path in (("livenessProbe", "/health"), ("readinessProbe", "/ready")):
    get = parkd.get(probe, {}).get("httpGet")
    check(get is not None, f"parkd has a {probe} over HTTP")
    check(get.get("path") == path, f"the {probe} asks {path} (got {get.get('path')!r})")
    check(("GET", path) in routes, f"parkd serves GET {path} (parkd routes)")
    probe_port[probe] = resolve_port(get["port"])
ok("the liveness probe asks GET /health and the readiness probe GET /ready, both parkd routes")

res = parkd.get("resources", {})
check(res.get("requests") == {"memory": "256Mi", "cpu": "200m"}
      and res.get("limits") == {"memory": "512Mi", "cpu": "500m"},
      "parkd's resources are the seed's (requests 256Mi/200m, limits 512Mi/500m)")
ok("parkd's resource requests and limits are the seed's")

# --- settings: every PARKD_* is an option, every reference resolves --------------------------
helptext = subprocess.run([PARKD, "--help"], capture_output=True, text=True).stdout
options = set(re.findall(r"--([a-z][a-z-]*)", helptext))
env = {}
for ref in parkd.get("envFrom", []):
    cm = ref.get("configMapRef")
    check(cm is not None and ("ConfigMap", cm["name"]) in applied,
          "envFrom names a ConfigMap that is applied")
    env.update(docs[("ConfigMap", cm["name"])]["data"])
secrets = {}
for d in files.get("secret.example.yaml", []):
    secrets[d["metadata"]["name"]] = set((d.get("stringData") or d.get("data") or {}).keys())
for e in parkd.get("env", []):
    check(ENV_NAME.match(e["name"]), f"{e['name']} is a valid variable name")
    ref = e.get("valueFrom", {}).get("secretKeyRef")
    if ref is not None:
        check(ref["name"] in secrets and ref["key"] in secrets[ref["name"]],
              f"{e['name']} comes from a Secret key secret.example.yaml describes "
              f"({ref['name']}/{ref['key']})")
    env[e["name"]] = e.get("value", "<secret>")
for name in env:
    check(name.startswith("PARKD_"), f"{name} is one of parkd's variables")
    option = name[len("PARKD_"):].lower().replace("_", "-")
    check(option in options, f"{name} is parkd's --{option}")
for key in ("PARKD_DATABASE", "PARKD_REDIS", "PARKD_LISTEN", "PARKD_KEYS_FILE"):
    check(key in env, f"parkd is given {key}")
for v in volumes.values():
    if "secret" in v:
        check(v["secret"]["secretName"] in secrets,
              f"volume {v['name']}'s Secret is described in secret.example.yaml")
listen_port = int(env["PARKD_LISTEN"].rsplit(":", 1)[1])
check(listen_port == resolve_port("http") == probe_port["livenessProbe"]
      == probe_port["readinessProbe"],
      "parkd listens on the port the container declares and the probes ask")
keys_dir = os.path.dirname(env["PARKD_KEYS_FILE"])
check(any(m["mountPath"] == keys_dir for m in parkd.get("volumeMounts", [])),
      "the key file is where a volume is mounted")
ok("every PARKD_* variable is a parkd option; Secrets, ConfigMaps and the key file resolve; "
   "parkd listens on the probed port %d" % listen_port)

# --- Service and PodDisruptionBudget ----------------------------------------------------------
service = docs.get(("Service", "parkd"))
check(service is not None, "a Service parkd")
sel = service["spec"]["selector"]
check(sel and all(labels.get(k) == v for k, v in sel.items()),
      "the Service selects the Deployment's pods")
for p in service["spec"]["ports"]:
    check(resolve_port(p["targetPort"]) == listen_port, "the Service sends to parkd's port")
pdb = docs.get(("PodDisruptionBudget", "parkd"))
check(pdb is not None, "a PodDisruptionBudget parkd")
psel = pdb["spec"]["selector"]["matchLabels"]
check(all(labels.get(k) == v for k, v in psel.items()), "the budget selects the pods")
check(pdb["spec"]["minAvailable"] < spec["replicas"], "a node can still be drained")
ok("the Service and the disruption budget select the Deployment's pods and parkd's port")

# --- parkd with the ConfigMap's settings answers the probes -------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    run_env = dict(os.environ)
    run_env.update(env)
    run_env.update({
        "PARKD_LISTEN": "127.0.0.1:0",
        "PARKD_DATABASE": os.path.join(tmp, "parkd.db"),
        "PARKD_KEYS_FILE": os.path.join(tmp, "parkd.keys"),
    })
    for k in ("PARKD_REDIS", "PARKD_STRIPE_SECRET_KEY", "PARKD_STRIPE_WEBHOOK_SECRET"):
        run_env.pop(k, None)
    proc = subprocess.Popen([PARKD], env=run_env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        check(line.startswith("listening on http://127.0.0.1:"),
              f"parkd starts with the ConfigMap's settings (got {line!r})")
        base = line.split(" ", 2)[2].strip()
        deadline = time.monotonic() + 30 * SCALE
        for path in ("/health", "/ready"):
            while True:
                try:
                    with urllib.request.urlopen(base.rstrip("/") + path, timeout=5) as r:
                        check(r.status == 200, f"GET {path} answers 200")
                        break
                except OSError:
                    check(time.monotonic() < deadline, f"GET {path} answers")
                    time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=30 * SCALE)
ok("parkd started with the ConfigMap's settings answers both probes with 200")

print(f"1..{n}")

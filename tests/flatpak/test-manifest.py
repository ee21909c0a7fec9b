#!/usr/bin/env python3
# The Flatpak manifests in flatpak/ cannot be built here (no GNOME runtime, no network), so this
# checks everything short of building them, and prints TAP:
#
#  - flatpak-builder --show-manifest parses each one, prints JSON and warns about nothing (it
#    only warns about an unknown key, and drops it);
#  - each one is valid against tests/flatpak/flatpak-manifest.schema.json, flatpak-manifest(5)
#    written as a draft-07 JSON schema that rejects misspelt keys;
#  - our own rules: the app id is the one meson.build gives config.h, the command is a program
#    this tree installs, the finish-args are exactly the permissions the app needs, the last
#    module is this tree built with meson, the backend and the tests off, both front ends on,
#    and those options exist in meson_options.txt and configure this tree;
#  - the .Devel manifest differs from the release one only in its id, its tag and
#    -Ddevelopment=true;
#  - broken copies (a misspelt key, a forbidden permission, the backend left on, bad JSON) are
#    rejected, so the checks above can fail.
#
# SOURCE_ROOT is the source tree (meson sets it); FLATPAK_BUILDER and MESON name the programs.

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE_ROOT = os.path.realpath(os.environ.get("SOURCE_ROOT")
                               or os.path.join(os.path.dirname(__file__), "..", ".."))
FLATPAK_DIR = os.path.join(SOURCE_ROOT, "flatpak")
SCHEMA_PATH = os.path.join(SOURCE_ROOT, "tests", "flatpak", "flatpak-manifest.schema.json")
FLATPAK_BUILDER = os.environ.get("FLATPAK_BUILDER") or shutil.which("flatpak-builder")
MESON = os.environ.get("MESON") or shutil.which("meson")

RELEASE = "org.parkade.Parkade.json"
DEVEL = "org.parkade.Parkade.Devel.json"

# What the app really needs, and nothing else (see tests/flatpak/README.md): parkd over the
# network; X11 shared memory; Wayland, or X11 where there is no Wayland; GPU rendering for GTK
# and the map; and the Secret Service, because park-core stores the refresh token with
# secret_service_*() and secret_item_create(), which always speak to org.freedesktop.secrets
# (only libsecret's secret_password_*() API falls back to the Secret portal in a sandbox).
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--talk-name=org.freedesktop.secrets",
}

# The options the last module must pass: no parkd and no tests in the Flatpak, and both front
# ends on (an "auto" feature whose library is missing would silently drop a program).
REQUIRED_CONFIG_OPTS = {"parkd": "false", "tests": "false", "app": "enabled", "tui": "enabled"}

tap_count = 0
tap_failed = 0


def tap(ok, description, diagnostics=()):
    global tap_count, tap_failed
    tap_count += 1
    if not ok:
        tap_failed += 1
    print(f"{'ok' if ok else 'not ok'} {tap_count} - {description}")
    for line in diagnostics:
        for part in str(line).splitlines():
            print(f"# {part}")
    sys.stdout.flush()


def tap_skip(description, reason):
    global tap_count
    tap_count += 1
    print(f"ok {tap_count} - {description} # SKIP {reason}")


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------
# What the tree says: the app ids of config.h, the options of meson_options.txt, the programs.

def meson_app_ids():
    """(release id, development id) from the APP_ID lines of the root meson.build."""
    text = read_text(os.path.join(SOURCE_ROOT, "meson.build"))
    match = re.search(r"if get_option\('development'\)\s*"
                      r"config_h\.set_quoted\('APP_ID', '([^']+)'\)\s*"
                      r"else\s*config_h\.set_quoted\('APP_ID', '([^']+)'\)\s*endif", text)
    if not match:
        raise RuntimeError("meson.build: no APP_ID chosen by the development option")
    return match.group(2), match.group(1)


def meson_options():
    """{name: (type, choices or None)} from meson_options.txt."""
    options = {}
    text = read_text(os.path.join(SOURCE_ROOT, "meson_options.txt"))
    for match in re.finditer(r"option\(\s*'([^']+)'\s*,\s*type\s*:\s*'([^']+)'(.*?)\)\s*$",
                             text, re.M):
        name, kind, rest = match.groups()
        choices = None
        if kind == "boolean":
            choices = {"true", "false"}
        elif kind == "feature":
            choices = {"enabled", "disabled", "auto"}
        elif kind == "combo":
            found = re.search(r"choices\s*:\s*\[([^\]]*)\]", rest)
            choices = set(re.findall(r"'([^']*)'", found.group(1))) if found else set()
        options[name] = (kind, choices)
    return options


def installed_programs(subdirs=("app", "tui")):
    """{subdir: [program names]}: executable('NAME', ...) with install: true in each subdir."""
    programs = {}
    for subdir in subdirs:
        path = os.path.join(SOURCE_ROOT, subdir, "meson.build")
        text = read_text(path) if os.path.exists(path) else ""
        text = re.sub(r"#[^\n]*", "", text)
        names = []
        for match in re.finditer(r"executable\(\s*'([^']+)'", text):
            # the call's arguments run to the matching parenthesis
            depth, i = 0, match.start() + len("executable")
            while i < len(text):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                if depth == 0:
                    break
                i += 1
            if re.search(r"install\s*:\s*true", text[match.start():i]):
                names.append(match.group(1))
        programs[subdir] = names
    return programs


def config_opts_dict(opts):
    """{'parkd': 'false', ...} from ['-Dparkd=false', ...]; other arguments under their text."""
    result = {}
    for opt in opts:
        match = re.fullmatch(r"-D([^=]+)=(.*)", opt)
        if match:
            result[match.group(1)] = match.group(2)
        else:
            result[opt] = None
    return result


# ---------------------------------------------------------------------------------------------
# The checks. Each returns a list of problems, empty when the manifest passes.

def check_show_manifest(path, workdir):
    """flatpak-builder parses the file offline, prints a JSON object and warns about nothing."""
    if not FLATPAK_BUILDER:
        return ["flatpak-builder not found (Debian package flatpak-builder; build-aux/dev installs it)"], None
    # --show-manifest takes no --state-dir, and leaves a .flatpak-builder directory in its
    # working directory: run it in the throwaway one.
    proc = subprocess.run([FLATPAK_BUILDER, "--show-manifest", path],
                          cwd=workdir, capture_output=True, text=True, timeout=60)
    problems = []
    if proc.returncode != 0:
        problems.append(f"flatpak-builder --show-manifest exited with {proc.returncode}: "
                        f"{proc.stderr.strip()}")
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    problems += [f"flatpak-builder warns: {line.strip()}" for line in warnings]
    shown = None
    if proc.returncode == 0:
        try:
            shown = json.loads(proc.stdout)
        except ValueError as e:
            problems.append(f"flatpak-builder --show-manifest printed no JSON: {e}")
        if shown is not None and not isinstance(shown, dict):
            problems.append("flatpak-builder --show-manifest printed JSON that is no object")
            shown = None
    return problems, shown


def load_schema_validator():
    import jsonschema
    schema = json.loads(read_text(SCHEMA_PATH))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def check_schema(validator, manifest):
    problems = []
    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message}")
    return problems


def last_module(manifest):
    modules = manifest.get("modules") or []
    return modules[-1] if modules and isinstance(modules[-1], dict) else None


def check_rules(manifest, manifest_dir, development):
    """Our own rules for the manifest that lives in manifest_dir."""
    problems = []
    release_id, devel_id = meson_app_ids()
    want_id = devel_id if development else release_id
    got_id = manifest.get("id", manifest.get("app-id"))
    if got_id != want_id:
        problems.append(f"id is {got_id!r}, but meson.build gives config.h APP_ID {want_id!r}")

    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")

    finish_args = manifest.get("finish-args", [])
    if len(finish_args) != len(set(finish_args)):
        problems.append(f"finish-args repeat an argument: {finish_args}")
    extra = sorted(set(finish_args) - ALLOWED_FINISH_ARGS)
    missing = sorted(ALLOWED_FINISH_ARGS - set(finish_args))
    if extra:
        problems.append(f"finish-args the app does not need: {', '.join(extra)}")
    if missing:
        problems.append(f"finish-args the app needs but lacks: {', '.join(missing)}")

    for pattern in ("/include", "/lib/pkgconfig", "/share/pkgconfig", "*.a", "*.la"):
        if pattern not in manifest.get("cleanup", []):
            problems.append(f"cleanup does not remove {pattern}")

    module = last_module(manifest)
    if module is None:
        return problems + ["the last module is no object (it must be this tree)"]
    if module.get("name") != "parkade":
        problems.append(f"the last module is {module.get('name')!r}, not parkade")
    if module.get("buildsystem") != "meson":
        problems.append("the last module is not built with meson")
    sources = module.get("sources", [])
    if (len(sources) != 1 or not isinstance(sources[0], dict) or sources[0].get("type") != "dir"
            or sources[0].get("path") != ".."):
        problems.append(f"the last module's source must be this tree alone, "
                        f"{{type: dir, path: ..}}; it is {sources}")
    elif os.path.realpath(os.path.join(manifest_dir, "..")) != SOURCE_ROOT:
        problems.append(f"'..' from {manifest_dir} is not the source tree {SOURCE_ROOT}")

    opts = config_opts_dict(module.get("config-opts", []))
    for name, value in REQUIRED_CONFIG_OPTS.items():
        if opts.get(name) != value:
            problems.append(f"the last module must pass -D{name}={value} "
                            f"(it passes {opts.get(name)!r})")
    want_dev = "true" if development else None
    if opts.get("development") not in ({want_dev} if development else {None, "false"}):
        problems.append(f"-Ddevelopment is {opts.get('development')!r}; the "
                        f"{'.Devel' if development else 'release'} manifest needs "
                        f"{'true' if development else 'false or nothing'}")
    known = meson_options()
    for name, value in opts.items():
        if value is None:
            problems.append(f"config-opts has {name!r}, which is no -Dname=value option")
        elif name not in known:
            problems.append(f"-D{name} is not an option of meson_options.txt")
        elif known[name][1] is not None and value not in known[name][1]:
            problems.append(f"-D{name}={value}: a {known[name][0]} option takes "
                            f"{', '.join(sorted(known[name][1]))}")
    return problems


def check_command(manifest):
    """The command is a program this tree installs. Returns (problems, skip reason or None)."""
    programs = installed_programs()
    command = manifest.get("command")
    every = [name for names in programs.values() for name in names]
    if command in every:
        return [], None
    if command == "parkade" and not programs["app"]:
        # The GTK app's meson.build arrives with issue 7; until then there is nothing to match.
        return [], "app/meson.build installs no program yet (the GTK app, issue 7)"
    return [f"command {command!r} is not a program app/ or tui/ installs "
            f"(they install: {', '.join(every) or 'nothing'})"], None


def check_configure(manifest, workdir):
    """meson setup with the last module's config-opts configures this tree without the backend
    and the tests: no parkd target and no test."""
    if not MESON:
        return ["meson not found"]
    module = last_module(manifest)
    if module is None:
        return ["no last module"]
    build = os.path.join(workdir, "configure")
    proc = subprocess.run([MESON, "setup", "--prefix=/app", build, SOURCE_ROOT]
                          + module.get("config-opts", []),
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-10:])
        return [f"meson setup with {module.get('config-opts')} failed:\n{tail}"]
    problems = []
    targets = json.loads(subprocess.run([MESON, "introspect", "--targets", build],
                                        capture_output=True, text=True, check=True).stdout)
    tests = json.loads(subprocess.run([MESON, "introspect", "--tests", build],
                                      capture_output=True, text=True, check=True).stdout)
    names = {t["name"] for t in targets}
    if "parkd" in names:
        problems.append("the configured tree still builds parkd")
    if tests:
        problems.append(f"the configured tree still has {len(tests)} tests")
    installed = {t["name"] for t in targets if t["type"] == "executable" and t.get("installed")}
    if "parkade-tui" not in installed and installed_programs()["tui"]:
        problems.append(f"the configured tree installs no parkade-tui (it installs {sorted(installed)})")
    if manifest.get("command") not in installed and installed_programs()["app"]:
        problems.append(f"the configured tree installs no {manifest.get('command')}")
    shutil.rmtree(build, ignore_errors=True)
    return problems


def check_devel_pair(release, devel):
    """The .Devel manifest is the release one plus its id, the devel tag and -Ddevelopment=true."""
    release_id, devel_id = meson_app_ids()
    expected = copy.deepcopy(release)
    expected.pop("app-id", None)
    expected["id"] = devel_id
    expected["tags"] = sorted(set(expected.get("tags", [])) | {"devel"})
    module = last_module(expected)
    if module is not None:
        module["config-opts"] = module.get("config-opts", []) + ["-Ddevelopment=true"]
    got = copy.deepcopy(devel)
    if "app-id" in got:
        got["id"] = got.pop("app-id")
    if "tags" in got:
        got["tags"] = sorted(got["tags"])
    if got == expected:
        return []
    problems = []
    for key in sorted(set(got) | set(expected)):
        if key == "modules" and isinstance(got.get(key), list) and isinstance(expected.get(key), list) \
                and len(got[key]) == len(expected[key]):
            for i, (a, b) in enumerate(zip(got[key], expected[key])):
                for field in sorted(set(a) | set(b)) if isinstance(a, dict) and isinstance(b, dict) else []:
                    if a.get(field) != b.get(field):
                        problems.append(f"modules/{i}/{field}: .Devel has {json.dumps(a.get(field))}, "
                                        f"expected {json.dumps(b.get(field))}")
            continue
        if got.get(key) != expected.get(key):
            problems.append(f"{key}: .Devel has {json.dumps(got.get(key))}, "
                            f"expected {json.dumps(expected.get(key))}")
    return problems


# ---------------------------------------------------------------------------------------------

def check_file(path, text, manifest_dir, development, validator, workdir):
    """Every check of one manifest file: {check name: problems}."""
    results = {}
    results["show-manifest"], shown = check_show_manifest(path, workdir)
    try:
        manifest = json.loads(text)
    except ValueError as e:
        results["json"] = [f"not JSON: {e}"]
        return results, None
    results["schema"] = check_schema(validator, manifest)
    if shown is not None:
        results["schema of --show-manifest"] = check_schema(validator, shown)
    results["rules"] = check_rules(manifest, manifest_dir, development)
    return results, manifest


def main():
    workdir = tempfile.mkdtemp(prefix="parkade-flatpak-test-")
    try:
        run(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"1..{tap_count}")
    return 1 if tap_failed else 0


def run(workdir):
    try:
        validator = load_schema_validator()
        tap(True, "the manifest schema is a valid draft-07 JSON schema")
    except ImportError:
        tap(False, "python3-jsonschema is not installed (build-aux/dev installs it)")
        return
    except Exception as e:  # a SchemaError or bad JSON in the schema file
        tap(False, "the manifest schema is a valid draft-07 JSON schema", [e])
        return

    manifests = {}
    for name, development in ((RELEASE, False), (DEVEL, True)):
        path = os.path.join(FLATPAK_DIR, name)
        if not os.path.exists(path):
            tap(False, f"flatpak/{name} exists")
            continue
        text = read_text(path)
        results, manifest = check_file(path, text, FLATPAK_DIR, development, validator, workdir)
        for check, problems in results.items():
            tap(not problems, f"{name}: {check}", problems)
        if manifest is None:
            continue
        manifests[name] = manifest
        problems, skip = check_command(manifest)
        if skip:
            tap_skip(f"{name}: command {manifest.get('command')!r} is an installed program", skip)
        else:
            tap(not problems, f"{name}: command {manifest.get('command')!r} is an installed program",
                problems)
        problems = check_configure(manifest, workdir)
        tap(not problems, f"{name}: its config-opts configure this tree without parkd and tests",
            problems)

    if RELEASE in manifests and DEVEL in manifests:
        problems = check_devel_pair(manifests[RELEASE], manifests[DEVEL])
        tap(not problems, f"{DEVEL} differs from {RELEASE} only in id, tag and -Ddevelopment=true",
            problems)

    # Broken copies of the release manifest must fail, each for its own reason.
    if RELEASE not in manifests:
        return
    good = manifests[RELEASE]

    def broken_case(description, mutate, check, needle, raw=None):
        manifest = copy.deepcopy(good)
        if mutate:
            mutate(manifest)
        text = raw if raw is not None else json.dumps(manifest, indent=4)
        path = os.path.join(workdir, "broken.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        results, _ = check_file(path, text, FLATPAK_DIR, False, validator, workdir)
        problems = results.get(check, [])
        caught = any(needle in p for p in problems)
        diagnostics = [f"{check}: {p}" for p in problems] or [f"{check}: no problem reported"]
        tap(caught, f"a broken copy ({description}) fails the {check} check", diagnostics)

    def rename_key(m):
        m["finish-arsg"] = m.pop("finish-args")

    def typo_in_source(m):
        source = m["modules"][0]["sources"][0]
        source["tga"] = source.pop("tag")

    broken_case("top-level key 'finish-args' misspelt", rename_key, "schema", "'finish-arsg'")
    broken_case("top-level key 'finish-args' misspelt", rename_key, "show-manifest",
                "finish-arsg")
    broken_case("a git source's 'tag' misspelt", typo_in_source, "schema", "'tga'")
    broken_case("--filesystem=home added", lambda m: m["finish-args"].append("--filesystem=home"),
                "rules", "--filesystem=home")
    broken_case("--socket=session-bus instead of the Secret Service",
                lambda m: m["finish-args"].__setitem__(-1, "--socket=session-bus"),
                "rules", "--socket=session-bus")
    broken_case("the backend left on",
                lambda m: m["modules"][-1]["config-opts"].remove("-Dparkd=false"),
                "rules", "-Dparkd=false")
    broken_case("an option meson_options.txt lacks",
                lambda m: m["modules"][-1]["config-opts"].append("-Dbackend=false"),
                "rules", "-Dbackend is not an option")
    broken_case("the wrong app id", lambda m: m.__setitem__("id", "org.parkade.Parkad"),
                "rules", "org.parkade.Parkad'")
    broken_case("a trailing comma", None, "show-manifest", "Parse error",
                raw=json.dumps(good, indent=4)[:-2] + ",\n}")

    problems, _ = check_command(dict(good, command="parkd"))
    tap(bool(problems), "a command the Flatpak does not install (parkd) fails the command check",
        problems or ["no problem reported"])

    problems = check_devel_pair(good, dict(good, id=meson_app_ids()[1], tags=["devel"]))
    last = len(good["modules"]) - 1
    tap(any(f"modules/{last}/config-opts" in p for p in problems),
        "a .Devel manifest without -Ddevelopment=true fails the pair check",
        problems or ["no problem reported"])


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs netlink's Terraform exports through real Terraform (called by tests/terraform/run.sh).

Usage: harness.py --work DIR --broken-from NAME EXPORT...

Each EXPORT is a `netlink build --out` directory (its name is the example's); every root module
under its `terraform/` (the directory itself when it holds `*.tf.json`, else each `phase-N/`) is
copied under --work and put through init, validate, plan, show -json and graph, with the checks
below. Then three deliberately broken copies of one module (from the export named by
--broken-from, else the first with a fitting resource) must be refused by `terraform validate`.

Terraform, its CLI configuration (the stand-in provider's filesystem mirror) and HOME come from the
environment run.sh sets up. Standard library only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROVIDER_SOURCE = "registry.terraform.io/aliyun/alicloud"
TF_TIMEOUT = 300
REF_RE = re.compile(r"\$\{(.*?)\}", re.S)
ADDR_RE = re.compile(r"(?<![\w.\-])([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_\-]*)")


class Failure(Exception):
    pass


# ---------------------------------------------------------------- reading a module


@dataclass
class Module:
    label: str  # example[/phase-N]
    src: Path
    files: dict[str, dict] = field(default_factory=dict)
    resources: dict[str, dict] = field(default_factory=dict)  # "type.name" -> body
    res_file: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, dict] = field(default_factory=dict)  # alias -> provider block
    variables: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, label: str, src: Path) -> "Module":
        m = cls(label, src)
        for f in sorted(src.glob("*.tf.json")):
            try:
                doc = json.loads(f.read_text())
            except ValueError as e:
                raise Failure(f"{f.name} is not JSON: {e}")
            m.files[f.name] = doc
            for rtype, byname in (doc.get("resource") or {}).items():
                for rname, body in byname.items():
                    addr = f"{rtype}.{rname}"
                    if addr in m.resources:
                        raise Failure(f"resource {addr} is declared twice ({m.res_file[addr]}, {f.name})")
                    m.resources[addr] = body
                    m.res_file[addr] = f.name
            prov = (doc.get("provider") or {}).get("alicloud")
            for block in [prov] if isinstance(prov, dict) else prov or []:
                m.aliases[block.get("alias", "")] = block
            m.variables.update(doc.get("variable") or {})
            m.outputs.update(doc.get("output") or {})
        return m

    def expected_provider_key(self, addr: str) -> str:
        p = self.resources[addr].get("provider")
        return p if p else "alicloud"

    def dependencies(self) -> list[tuple[str, str, str]]:
        """(dependent, dependency, why) for every depends_on entry and every ${type.name...} reference."""
        deps = []
        for addr, body in self.resources.items():
            for d in body.get("depends_on") or []:
                deps.append((addr, d, "depends_on"))
            for ref in sorted(references(body)):
                if ref in self.resources and ref != addr:
                    deps.append((addr, ref, "reference"))
        return deps


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            if k not in ("//", "depends_on", "provider"):
                yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def references(body: dict) -> set[str]:
    out = set()
    for s in strings(body):
        for expr in REF_RE.findall(s):
            for t, n in ADDR_RE.findall(expr):
                if t not in ("var", "local", "data", "module", "path", "terraform", "count", "each", "self"):
                    out.add(f"{t}.{n}")
    return out


def root_modules(export: Path) -> list[tuple[str, Path]]:
    tf = export / "terraform"
    if not tf.is_dir():
        return []
    if any(tf.glob("*.tf.json")):
        return [("", tf)]
    phases = [p for p in tf.iterdir() if p.is_dir() and re.fullmatch(r"phase-\d+", p.name)]
    return [(p.name, p) for p in sorted(phases, key=lambda p: int(p.name.split("-")[1])) if any(p.glob("*.tf.json"))]


# ---------------------------------------------------------------- running terraform


def tf(workdir: Path, *args: str, ok_codes=(0,)) -> subprocess.CompletedProcess:
    cmd = ["terraform", *args]
    try:
        p = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=TF_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failure(f"`{' '.join(cmd)}` took more than {TF_TIMEOUT}s")
    if p.returncode not in ok_codes:
        raise Failure(f"`{' '.join(cmd)}` exited {p.returncode}:\n{indent(p.stdout + p.stderr)}")
    return p


def indent(text: str, limit: int = 4000) -> str:
    text = text.strip()
    if len(text) > limit:
        text = text[:limit] + "\n…"
    return "\n".join("      " + line for line in text.splitlines())


def plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def diag_text(diags: list) -> str:
    out = []
    for d in diags:
        rng = d.get("range") or {}
        where = f" ({rng.get('filename')}:{(rng.get('start') or {}).get('line')})" if rng else ""
        out.append(f"{d.get('severity')}: {d.get('summary')}{where}: {(d.get('detail') or '').strip()}")
    return "\n".join(out)


def placeholder(name: str, var: dict):
    t = var.get("type", "string")
    if isinstance(t, str):
        t = t.strip()
        if t == "number":
            return 1
        if t == "bool":
            return False
        if t.startswith(("list", "set", "tuple")):
            return []
        if t.startswith(("map", "object")):
            return {}
    if name.endswith("role_arn"):
        return f"acs:ram::1000000000000000:role/netlink-placeholder-{name}"
    m = re.search(r"\(([a-z][a-z0-9]*)-…\)", var.get("description", ""))
    prefix = m.group(1) if m else "placeholder"
    return f"{prefix}-placeholder-{name}"


def prepare(mod: Module, dest: Path):
    shutil.copytree(mod.src, dest)
    tfvars = {n: placeholder(n, v) for n, v in mod.variables.items() if "default" not in v}
    (dest / "terraform.tfvars.json").write_text(json.dumps(tfvars, indent=2) + "\n")


def validate(workdir: Path) -> dict:
    p = tf(workdir, "validate", "-json", "-no-color", ok_codes=(0, 1))
    try:
        return json.loads(p.stdout)
    except ValueError:
        raise Failure(f"`terraform validate -json` printed no JSON:\n{indent(p.stdout + p.stderr)}")


# ---------------------------------------------------------------- the graph


def parse_dot(dot: str) -> tuple[set[str], dict[str, set[str]]]:
    def norm(n: str) -> str:
        n = n.strip()
        if n.startswith("[root] "):
            n = n[len("[root] "):]
        return re.sub(r" \((expand|close|prepare state|destroy)\)$", "", n)

    nodes, edges = set(), {}
    for line in dot.splitlines():
        e = re.match(r'\s*"([^"]+)"\s*->\s*"([^"]+)"', line)
        if e:
            a, b = norm(e.group(1)), norm(e.group(2))
            edges.setdefault(a, set()).add(b)
            nodes.update((a, b))
            continue
        n = re.match(r'\s*"([^"]+)"\s*\[', line)
        if n:
            nodes.add(norm(n.group(1)))
    return nodes, edges


def reaches(edges: dict[str, set[str]], a: str, b: str) -> bool:
    seen, stack = set(), [a]
    while stack:
        x = stack.pop()
        for y in edges.get(x, ()):
            if y == b:
                return True
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return False


# ---------------------------------------------------------------- one module


@dataclass
class Result:
    label: str
    ok: bool
    line: str
    resources: int = 0
    workdir: Path | None = None


def check_module(mod: Module, work: Path) -> Result:
    wd = work / "modules" / mod.label.replace("/", "__")
    try:
        prepare(mod, wd)
        notes = []

        tf(wd, "init", "-input=false", "-no-color")

        v = validate(wd)
        if not v.get("valid") or v.get("error_count", 0):
            raise Failure("`terraform validate` refused the export:\n" + indent(diag_text(v.get("diagnostics", []))))
        warnings = [d for d in v.get("diagnostics", []) if d.get("severity") == "warning"]
        if warnings:
            notes.append(f"{len(warnings)} validate warning(s):\n" + indent(diag_text(warnings)))

        tf(wd, "plan", "-input=false", "-no-color", "-lock=false", "-out=plan.bin")
        show = json.loads(tf(wd, "show", "-json", "-no-color", "plan.bin").stdout)
        check_plan(mod, show)

        dot = tf(wd, "graph", "-no-color").stdout
        deps = check_graph(mod, dot)

        line = (
            f"{plural(len(mod.resources), 'resource')} planned under "
            f"{plural(len(mod.aliases), 'provider config')}, {plural(deps, 'dependency', 'dependencies')} in the graph"
        )
        if notes:
            line += "\n" + "\n".join("      " + n for n in notes)
        return Result(mod.label, True, line, len(mod.resources), wd)
    except Failure as e:
        return Result(mod.label, False, str(e), len(mod.resources), wd)
    except Exception as e:  # a harness bug or an unexpected Terraform output: still a clear failure
        return Result(mod.label, False, f"harness error: {type(e).__name__}: {e}", len(mod.resources), wd)


def check_plan(mod: Module, show: dict):
    errs = []
    if show.get("errored"):
        errs.append("the plan is marked errored")
    changes = {c["address"]: c for c in show.get("resource_changes", []) if c.get("mode") == "managed"}
    want, got = set(mod.resources), set(changes)
    for a in sorted(want - got):
        errs.append(f"{a}: in the export but not in the plan")
    for a in sorted(got - want):
        errs.append(f"{a}: in the plan but not in the export")
    cfg = show.get("configuration", {})
    cfg_res = {r["address"]: r for r in cfg.get("root_module", {}).get("resources", [])}
    pcfg = cfg.get("provider_config", {})
    for a in sorted(want & got):
        c = changes[a]
        if c.get("change", {}).get("actions") != ["create"]:
            errs.append(f"{a}: planned {c.get('change', {}).get('actions')}, not a create")
        if c.get("provider_name") != PROVIDER_SOURCE:
            errs.append(f"{a}: planned with provider {c.get('provider_name')}, not {PROVIDER_SOURCE}")
        key = mod.expected_provider_key(a)
        got_key = cfg_res.get(a, {}).get("provider_config_key")
        if got_key != key:
            errs.append(f"{a}: provider_config_key is {got_key!r}, the export names {key!r}")
        alias = key.split(".", 1)[1] if "." in key else ""
        if alias and alias not in mod.aliases:
            errs.append(f"{a}: provider {key} has no provider block in the export")
        pc = pcfg.get(key)
        if pc is None:
            errs.append(f"{a}: no provider config {key!r} in the plan")
        else:
            region = mod.aliases.get(alias, {}).get("region")
            got_region = (pc.get("expressions", {}).get("region") or {}).get("constant_value")
            if region is not None and got_region != region:
                errs.append(f"{a}: provider {key} has region {got_region!r} in the plan, {region!r} in the export")
    want_out = set(mod.outputs)
    got_out = set((show.get("output_changes") or {}).keys())
    if want_out != got_out:
        errs.append(f"outputs: the export declares {sorted(want_out)}, the plan has {sorted(got_out)}")
    if errs:
        raise Failure("`terraform show -json` disagrees with the export:\n" + indent("\n".join(errs)))


def check_graph(mod: Module, dot: str) -> int:
    nodes, edges = parse_dot(dot)
    errs = []
    for a in sorted(mod.resources):
        if a not in nodes:
            errs.append(f"{a}: no node in the graph")
    deps = mod.dependencies()
    for a, b, why in deps:
        if b not in mod.resources:
            errs.append(f"{a}: {why} names {b}, which the module does not declare")
        elif not reaches(edges, a, b):
            errs.append(f"{a} -> {b} ({why}): no edge (nor path) in `terraform graph`")
    if errs:
        raise Failure("`terraform graph` misses dependencies:\n" + indent("\n".join(errs)))
    return len(deps)


# ---------------------------------------------------------------- broken exports


PREFERRED = [("alicloud_vpc_peer_connection", "vpc_id"), ("alicloud_security_group_rule", "security_group_id")]


def load_schema(path: Path) -> dict:
    return json.loads(path.read_text())


def pick_target(mods: list[Module], schema: dict) -> tuple[Module, str, str, str]:
    """(module, resource address, a Required argument it sets, an Optional argument it sets)."""
    res_schema = schema["resources"]

    def fits(mod: Module, addr: str, required: str | None):
        rtype = addr.split(".", 1)[0]
        args = res_schema.get(rtype, {}).get("arguments", {})
        body = mod.resources[addr]
        reqs = [k for k in body if args.get(k, {}).get("required")]
        opts = [k for k in body if args.get(k, {}).get("optional") and k not in ("provider", "depends_on", "//")]
        if required is not None:
            reqs = [r for r in reqs if r == required]
        if reqs and opts:
            return reqs[0], opts[0]
        return None

    for rtype, req in PREFERRED + [(None, None)]:
        for mod in mods:
            for addr in sorted(mod.resources):
                if rtype is not None and not addr.startswith(rtype + "."):
                    continue
                f = fits(mod, addr, req)
                if f:
                    return mod, addr, f[0], f[1]
    raise Failure("no module has a resource that sets both a Required and an Optional argument")


def misspell(name: str, known: set[str]) -> str:
    for i in range(len(name) - 2, 0, -1):  # swap two neighbouring letters, from the end
        if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]:
            cand = name[:i] + name[i + 1] + name[i] + name[i + 2:]
            if cand not in known:
                return cand
    return name + "x"


def rewrite_refs(v, old: str, new: str):
    pat = re.compile(r"(?<![\w.\-])" + re.escape(old) + r"(?![\w\-])")
    if isinstance(v, str):
        return pat.sub(new, v)
    if isinstance(v, list):
        return [rewrite_refs(x, old, new) for x in v]
    if isinstance(v, dict):
        return {k: rewrite_refs(x, old, new) for k, x in v.items()}
    return v


def broken_cases(mod: Module, addr: str, req: str, opt: str, schema: dict):
    rtype, rname = addr.split(".", 1)
    fname = mod.res_file[addr]
    known = set(schema["resources"].get(rtype, {}).get("arguments", {}))
    bad_arg = misspell(opt, known)
    bad_type = "alicloud_vpc_peering" if rtype == "alicloud_vpc_peer_connection" else rtype + "_typo"
    if bad_type in schema["resources"]:
        bad_type = rtype + "_typo"

    def misspelt(files):
        body = files[fname]["resource"][rtype][rname]
        files[fname]["resource"][rtype][rname] = {(bad_arg if k == opt else k): x for k, x in body.items()}
        return files

    def missing(files):
        del files[fname]["resource"][rtype][rname][req]
        return files

    def unknown_type(files):
        body = files[fname]["resource"][rtype].pop(rname)
        if not files[fname]["resource"][rtype]:
            del files[fname]["resource"][rtype]
        files[fname]["resource"].setdefault(bad_type, {})[rname] = body
        # every reference and depends_on entry follows, so the unknown type is the only error
        return {n: rewrite_refs(doc, addr, f"{bad_type}.{rname}") for n, doc in files.items()}

    return [
        # HCL's JSON syntax says "Extraneous JSON object property" where native syntax says
        # "Unsupported argument"
        (f"misspelt argument `{opt}` -> `{bad_arg}` on {addr}", misspelt, ("Unsupported argument", "Extraneous JSON object property")),
        (f"Required argument `{req}` deleted from {addr}", missing, ("Missing required argument",)),
        (f"resource type `{rtype}` -> `{bad_type}` for {addr}", unknown_type, ("Invalid resource type",)),
    ]


def check_broken(label: str, initialized: Path, mod: Module, mutate, expect: tuple[str, ...], dest: Path) -> tuple[bool, str]:
    shutil.copytree(initialized, dest, symlinks=True)
    for f in dest.glob("plan.bin"):
        f.unlink()
    files = json.loads(json.dumps(mod.files))
    for name, doc in mutate(files).items():
        (dest / name).write_text(json.dumps(doc, indent=2) + "\n")
    try:
        v = validate(dest)
    except Failure as e:
        return False, f"{label}: {e}"
    diags = v.get("diagnostics", [])
    errors = [d for d in diags if d.get("severity") == "error"]
    if v.get("valid") or not errors:
        return False, f"{label}: `terraform validate` accepted it (valid: {v.get('valid')})"
    hits = [d for d in errors if any(e in (d.get("summary") or "") for e in expect)]
    if not hits:
        return False, f"{label}: refused, but not with {' or '.join(map(repr, expect))}:\n{indent(diag_text(errors))}"
    first = hits[0]
    return True, f"{label}: refused ({first.get('summary')}: {(first.get('detail') or '').strip().splitlines()[0]})"


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--schema", required=True, type=Path)
    ap.add_argument("--broken-from", default="")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("exports", nargs="+", type=Path)
    a = ap.parse_args()
    t0 = time.monotonic()
    schema = load_schema(a.schema)

    mods: list[Module] = []
    failures: list[str] = []
    lines: list[tuple[str, str]] = []  # (label, what to print when it has no module to run)
    for exp in a.exports:
        found = root_modules(exp)
        if not found:
            lines.append((exp.name, "--    {}: no Terraform root module in the export (no step is done by Terraform)"))
        for phase, path in found:
            label = exp.name + (f"/{phase}" if phase else "")
            try:
                mods.append(Module.load(label, path))
                lines.append((label, ""))
            except Failure as e:
                lines.append((label, "FAIL  {}: " + str(e)))
                failures.append(f"{label}: the export cannot be read")

    results: dict[str, Result] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        for r in pool.map(lambda m: check_module(m, a.work), mods):
            results[r.label] = r

    n_mod = n_res = 0
    for label, text in lines:
        r = results.get(label)
        if r is None:
            print("  " + text.format(label))
        elif r.ok:
            n_mod += 1
            n_res += r.resources
            print(f"  ok    {label}: {r.line}")
        else:
            print(f"  FAIL  {label}: {r.line}")
            first = [x.strip() for x in r.line.splitlines()[:2]]
            failures.append(f"{label}: " + " ".join(first))

    # Deliberately broken exports must be refused.
    refused = 0
    ok_mods = [m for m in mods if results.get(m.label) and results[m.label].ok]
    pref = [m for m in ok_mods if m.label.split("/")[0] == a.broken_from] + ok_mods
    if not ok_mods:
        failures.append("broken exports: no module passed, so none can be broken")
    else:
        try:
            mod, addr, req, opt = pick_target(pref, schema)
            cases = broken_cases(mod, addr, req, opt, schema)
            print(f"  broken copies of {mod.label} (terraform validate must refuse each):")
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
                futs = [
                    pool.submit(check_broken, label, results[mod.label].workdir, mod, mutate, expect, a.work / "broken" / str(i))
                    for i, (label, mutate, expect) in enumerate(cases)
                ]
                for f in futs:
                    ok, text = f.result()
                    print(f"    {'ok  ' if ok else 'FAIL'}  {text}")
                    if ok:
                        refused += 1
                    else:
                        failures.append(text.splitlines()[0])
        except Failure as e:
            failures.append(f"broken exports: {e}")
            print(f"  FAIL  broken exports: {e}")

    secs = time.monotonic() - t0
    if failures:
        print(f"terraform harness: FAILED ({len(failures)} problem(s); {n_mod} modules passed, {refused} of 3 broken exports refused; {secs:.0f}s)")
        for fl in failures:
            print(f"  - {fl}")
        return 1
    print(f"terraform harness: ok ({n_mod} modules, {n_res} resources, {refused} broken exports refused)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

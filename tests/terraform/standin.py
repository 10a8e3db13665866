#!/usr/bin/env python3
"""A stand-in for the aliyun/alicloud Terraform provider, served from the schema fixture.

Run by Terraform through the launcher that tests/terraform/run.sh installs in a filesystem mirror;
built on the `tf` package (PyPI, 1.2.0), which speaks the plugin protocol (tfplugin6).

What it serves, from tests/fixtures/alicloud-schema.json, the way terraform-plugin-sdk v1 (the
real provider's SDK) turns a helper/schema map into Terraform's schema:
- the provider block and every resource type marked `present`, each argument with its type,
  Required/Optional/Computed, Sensitive and ForceNew (replace); TypeList/TypeSet of a nested
  resource is a nested block (list or set nesting, MinItems/MaxItems as the SDK sets them), except
  a Computed-only one, which is an attribute of list/set of object; `id` is added as an
  Optional+Computed string and `timeouts` as a single block when the resource declares timeouts;
  a Required argument whose DefaultFunc reads an environment variable that is set becomes
  Optional, as in the SDK.
- validation at `terraform validate` time, as the SDK does it for known values: StringInSlice,
  StringLenBetween, StringIsJSON, IntBetween, IntAtLeast, IntInSlice and `Any` of them;
  ConflictsWith, ExactlyOneOf, AtLeastOneOf; a Removed argument that is set is an error, a
  Deprecated one a warning.
- plan: the framework's create plan (unset Computed values are unknown, as with the real
  provider); apply (create) fills every unknown value with a stable placeholder (a hash of the
  resource type and its configuration), so `terraform apply` against it also completes.

What it cannot do: anything the real provider checks against the cloud (existence of ids, quotas,
account permissions, region support) or in its Create/Update code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import Any, Optional

from tf import runner
from tf.gen import tfplugin_pb2 as pb
from tf.iface import Config, CreateContext, DeleteContext, ReadContext, Resource, State, UpdateContext
from tf.iface import _validate_config
from tf.schema import Attribute, Block, NestedBlock, NestMode, Schema
from tf.types import Bool, List, Map, Number, Set, String, TfType, Unknown
from tf.utils import Diagnostics

SCHEMA_ENV = "NETLINK_STANDIN_SCHEMA"
PREFIX = "alicloud_"


# ---------------------------------------------------------------- types the framework lacks


class Object(TfType):
    """cty object type, for Computed-only lists of nested resources (SDK: attribute, not block)."""

    def __init__(self, attrs: dict[str, TfType]):
        self.attrs = attrs

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, value: Any) -> Any:
        return value

    def tf_type(self) -> bytes:
        inner = ",".join(json.dumps(k) + ":" + t.tf_type().decode() for k, t in self.attrs.items())
        return ("[\"object\",{" + inner + "}]").encode()


_NESTING = {
    "list": pb.Schema.NestedBlock.NestingMode.LIST,
    "set": pb.Schema.NestedBlock.NestingMode.SET,
    "single": pb.Schema.NestedBlock.NestingMode.SINGLE,
}


class PassNestedBlock(NestedBlock):
    """A nested block of any nesting mode whose value passes through unchanged (msgpack shapes)."""

    def __init__(self, type_name: str, mode: str, block: Block, min_items: int = 0, max_items: int = 0):
        super().__init__(type_name, NestMode.Set, block, min_items or None, max_items or None)
        self.mode = mode

    def to_pb(self) -> pb.Schema.NestedBlock:
        return pb.Schema.NestedBlock(
            type_name=self.type_name,
            block=self.block.to_pb(),
            min_items=self.min_items or 0,
            max_items=self.max_items or 0,
            nesting=_NESTING[self.mode],
        )

    def encode(self, value: Any) -> Any:
        return value

    def decode(self, value: Any) -> Any:
        return value

    def semantically_equal(self, a_decoded, b_decoded) -> bool:
        return a_decoded == b_decoded


# ---------------------------------------------------------------- schema conversion (SDK v1)

_PRIM = {"TypeString": String, "TypeInt": Number, "TypeFloat": Number, "TypeBool": Bool}


def _elem_type(name: Any) -> TfType:
    if isinstance(name, str) and name in _PRIM:
        return _PRIM[name]()
    if name == "TypeMap":
        return Map(String())
    return String()


def _is_computed_only(arg: dict) -> bool:
    return bool(arg.get("computed")) and not arg.get("optional") and not arg.get("required")


def _value_type(arg: dict) -> TfType:
    """The cty type of an argument used as an attribute."""
    t = arg["type"]
    if t in _PRIM:
        return _PRIM[t]()
    if t == "TypeMap":
        return Map(_elem_type(arg.get("elem_type")))
    if t in ("TypeList", "TypeSet"):
        if "block" in arg:
            elem: TfType = Object({n: _value_type(a) for n, a in arg["block"].items()})
        else:
            elem = _elem_type(arg.get("elem_type"))
        return List(elem) if t == "TypeList" else Set(elem)
    return String()


def _required(arg: dict) -> bool:
    if not arg.get("required"):
        return False
    env = (arg.get("default_func") or {}).get("env") or []
    # SDK v1: a Required argument whose DefaultFunc yields a value is served as Optional.
    return not any(os.environ.get(e) for e in env)


def _attribute(name: str, arg: dict) -> Attribute:
    req = _required(arg)
    return Attribute(
        name,
        _value_type(arg),
        description=arg.get("description"),
        required=req,
        optional=bool(arg.get("optional")) or (bool(arg.get("required")) and not req),
        computed=bool(arg.get("computed")) and not req,
        sensitive=bool(arg.get("sensitive")),
        requires_replace=bool(arg.get("force_new")),
    )


def _block(args: dict) -> Block:
    attrs, blocks = [], []
    for name, arg in args.items():
        if arg["type"] in ("TypeList", "TypeSet") and "block" in arg and not _is_computed_only(arg):
            blocks.append(_nested(name, arg))
        else:
            attrs.append(_attribute(name, arg))
    return Block(attributes=attrs, block_types=blocks)


def _nested(name: str, arg: dict) -> NestedBlock:
    min_items = int(arg.get("min_items") or 0)
    max_items = int(arg.get("max_items") or 0)
    if arg.get("required") and min_items == 0:
        min_items = 1
    if arg.get("optional") and min_items > 0:
        min_items = 0  # the SDK ignores MinItems on an Optional block
    mode = "list" if arg["type"] == "TypeList" else "set"
    return PassNestedBlock(name, mode, _block(arg["block"]), min_items, max_items)


def provider_schema(doc: dict) -> Schema:
    b = _block(doc["provider"]["arguments"])
    return Schema(attributes=b.attributes, block_types=b.block_types)


def resource_schema(res: dict) -> Schema:
    args = res.get("arguments", {})
    b = _block(args)
    attrs, blocks = list(b.attributes), list(b.block_types)
    if "id" not in args:
        attrs.append(Attribute("id", String(), optional=True, computed=True))
    timeouts = res.get("timeouts")
    if timeouts:
        keys = [k for k in ("create", "read", "update", "delete", "default") if k in timeouts]
        tblock = Block(attributes=[Attribute(k, String(), optional=True) for k in keys])
        blocks.append(PassNestedBlock("timeouts", "single", tblock))
    return Schema(version=0, attributes=attrs, block_types=blocks)


# ---------------------------------------------------------------- validation (SDK v1, known values)


def _known(v: Any) -> bool:
    return v is not None and v is not Unknown


def _check_value(kind: dict, v: Any) -> Optional[str]:
    """None when v passes the validator, else the SDK-like message."""
    k = kind.get("kind")
    if k == "StringInSlice" and isinstance(v, str):
        vals = kind.get("values", [])
        ok = v.lower() in [x.lower() for x in vals] if kind.get("ignore_case") else v in vals
        return None if ok else f"expected to be one of {json.dumps(vals)}, got {v}"
    if k == "StringLenBetween" and isinstance(v, str):
        lo, hi = kind.get("min", 0), kind.get("max", 1 << 30)
        return None if lo <= len(v) <= hi else f"expected length to be in the range ({lo} - {hi}), got {v}"
    if k == "StringIsJSON" and isinstance(v, str):
        try:
            json.loads(v)
            return None
        except ValueError as e:
            return f"contains an invalid JSON: {e}"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        if k in ("IntBetween", "IntAtLeast", "IntInSlice"):
            return None  # a type mismatch is Terraform core's to report
    if k == "IntBetween":
        lo, hi = kind.get("min"), kind.get("max")
        return None if lo <= v <= hi else f"expected to be in the range ({lo} - {hi}), got {v}"
    if k == "IntAtLeast":
        lo = kind.get("value")
        return None if v >= lo else f"expected to be at least ({lo}), got {v}"
    if k == "IntInSlice":
        vals = kind.get("values", [])
        return None if v in vals else f"expected to be one of {vals}, got {v}"
    if k == "Any":
        errs = [_check_value(sub, v) for sub in kind.get("of", [])]
        return None if any(e is None for e in errs) else "; ".join(e for e in errs if e)
    return None  # validators the fixture does not describe precisely are not enforced


def _lookup(config: dict, path: str) -> Any:
    """An SDK key path (`a`, `a.0.b`) in a config value; None when absent."""
    cur: Any = config
    for step in path.split("."):
        if cur is None or cur is Unknown:
            return cur
        if isinstance(cur, list):
            if not step.isdigit() or int(step) >= len(cur):
                return None
            cur = cur[int(step)]
        elif isinstance(cur, dict):
            cur = cur.get(step)
        else:
            return None
    return cur


def _is_set(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, (list, dict)) and len(v) == 0:
        return False
    return True


def validate_args(diags: Diagnostics, args: dict, config: Optional[dict], path: list, root: dict, top: bool):
    if not isinstance(config, dict):
        return
    for name, arg in args.items():
        v = config.get(name)
        here = path + [name]
        where = ".".join(str(p) for p in here)
        if _is_set(v) and arg.get("removed"):
            diags.add_error(f"\"{where}\": [REMOVED] {arg['removed']}", path=here)
        elif _is_set(v) and arg.get("deprecated"):
            diags.add_warning(f"\"{where}\": [DEPRECATED] {arg['deprecated']}", path=here)
        if _known(v) and arg.get("validation"):
            items = v if isinstance(v, list) and arg["type"] in ("TypeList", "TypeSet") else [v]
            for item in items:
                if _known(item):
                    msg = _check_value(arg["validation"], item)
                    if msg:
                        diags.add_error(f"{where} {msg}", path=here)
        if top:  # the fixture's cross-argument rules name top-level keys (or SDK key paths)
            if _is_set(v):
                for other in arg.get("conflicts_with", []) or []:
                    if _is_set(_lookup(root, other)):
                        diags.add_error(f"\"{name}\": conflicts with {other}", path=here)
            for rule in ("exactly_one_of", "at_least_one_of"):
                keys = arg.get(rule)
                if not keys:
                    continue
                n = sum(1 for k in keys if _is_set(_lookup(root, k)))
                if n == 0:
                    diags.add_error(f"\"{name}\": one of `{','.join(keys)}` must be specified", path=here)
                elif rule == "exactly_one_of" and n > 1:
                    diags.add_error(f"\"{name}\": only one of `{','.join(keys)}` can be specified", path=here)
        if "block" in arg and isinstance(v, list):
            for i, item in enumerate(v):
                validate_args(diags, arg["block"], item, here + [(i,)], root, False)


# ---------------------------------------------------------------- placeholders (apply)


def _placeholder(t: TfType, type_name: str, attr: str, digest: str) -> Any:
    if isinstance(t, String):
        return f"{type_name}-{digest}" if attr == "id" else f"{type_name}.{attr}-{digest}"
    if isinstance(t, Number):
        return 0
    if isinstance(t, Bool):
        return False
    if isinstance(t, Map):
        return {}
    if isinstance(t, (List, Set)):
        return []
    return None


def _digest(type_name: str, state: dict) -> str:
    def plain(v: Any) -> Any:
        if v is Unknown:
            return "<unknown>"
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    blob = json.dumps([type_name, plain(state)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _fill(value: Any, t: Optional[TfType], type_name: str, attr: str, digest: str) -> Any:
    if value is Unknown:
        return _placeholder(t, type_name, attr, digest) if t is not None else None
    if isinstance(value, list):
        return [_fill(v, None, type_name, attr, digest) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, None, type_name, k, digest) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- the provider


def load_doc() -> dict:
    path = os.environ.get(SCHEMA_ENV) or os.path.join(os.path.dirname(os.path.abspath(__file__)), "alicloud-schema.json")
    with open(path) as f:
        return json.load(f)


class StandinResource(Resource):
    type_name: str = ""
    doc: dict = {}
    _schema: Optional[Schema] = None

    def __init__(self, provider):
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.type_name[len(PREFIX):]

    @classmethod
    def get_schema(cls) -> Schema:
        if cls._schema is None:
            cls._schema = resource_schema(cls.doc)
        return cls._schema

    def validate(self, diags: Diagnostics, type_name: str, config: Config):
        schema = self.get_schema()
        _validate_config(diags, type_name, config, schema.attributes, schema.block_types)
        validate_args(diags, self.doc.get("arguments", {}), config, [], config, True)

    def create(self, ctx: CreateContext, planned: State) -> Optional[State]:
        digest = _digest(ctx.type_name, planned)
        types = {a.name: a.type for a in self.get_schema().attributes}
        return {k: _fill(v, types.get(k), ctx.type_name, k, digest) for k, v in planned.items()}

    def read(self, ctx: ReadContext, current: State) -> Optional[State]:
        return current

    def update(self, ctx: UpdateContext, current: State, planned: State) -> Optional[State]:
        return self.create(CreateContext(ctx.diagnostics, ctx.type_name), planned)

    def delete(self, ctx: DeleteContext, current: State):
        return None


class StandinProvider:
    def __init__(self, doc: dict):
        self.doc = doc
        self._resources = []
        for name, res in sorted(doc["resources"].items()):
            if res.get("present") and name.startswith(PREFIX):
                self._resources.append(type(f"R_{name}", (StandinResource,), {"type_name": name, "doc": res}))

    def get_model_prefix(self) -> str:
        return PREFIX

    def full_name(self) -> str:
        return "registry.terraform.io/aliyun/alicloud"

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return provider_schema(self.doc)

    def validate_config(self, diags: Diagnostics, config: Config):
        validate_args(diags, self.doc["provider"]["arguments"], config, [], config or {}, True)

    def configure_provider(self, diags: Diagnostics, config: Config):
        pass

    def get_data_sources(self):
        return []

    def get_resources(self):
        return self._resources

    def get_functions(self):
        return []

    def new_resource(self, klass):
        return klass(self)

    def new_data_source(self, klass):
        return klass(self)


def main(argv: list[str]) -> int:
    doc = load_doc()
    if "--dump-schema" in argv:  # for debugging the conversion: what Terraform is served
        p = StandinProvider(doc)
        out = {"provider": str(p.get_provider_schema(Diagnostics()).to_pb())}
        for r in p.get_resources():
            out[r.type_name] = str(r.get_schema().to_pb())
        print(json.dumps(out, indent=1))
        return 0
    runner.run_provider(StandinProvider(doc), argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

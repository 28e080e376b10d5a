#!/usr/bin/env python3
"""Generates formwork-cfn's typed L1 constructs from the CloudFormation
resource provider schemas shipped inside cfn-lint.

Usage (from anywhere, with a Python that has the pinned cfn-lint installed):

    python crates/formwork-cfn/gen/generate.py           # write the code
    python crates/formwork-cfn/gen/generate.py --check   # verify it is up to date
    python crates/formwork-cfn/gen/generate.py --report  # print fallback counts

The output is deterministic: the same schemas, generator and rustfmt give
byte-identical files. It writes:

- crates/formwork-cfn/src/lib.rs and one src/<service>.rs per service;
- the feature list of crates/formwork-cfn/Cargo.toml and of the facade
  Cargo.toml (between the `# BEGIN generated` / `# END generated` markers).
"""

import json
import os
import re
import subprocess
import sys
from collections import Counter, OrderedDict
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(CRATE))
SRC = os.path.join(CRATE, "src")
HAND_WRITTEN = {"support.rs"}
DEFAULT_SERVICES = ["iam", "cognito"]
MAX_DOC = 600

STATS = Counter()


def stat(key):
    STATS[key] += 1


# ---------------------------------------------------------------- inputs


def load_schemas():
    try:
        import cfnlint
        from cfnlint.version import __version__
    except ImportError:
        print("error: cfn-lint is not importable; run with the Python that has the pinned cfn-lint", file=sys.stderr)
        sys.exit(3)
    with open(os.path.join(HERE, "cfn-lint-version")) as f:
        pinned = f.read().strip()
    if __version__ != pinned:
        print(f"error: cfn-lint {__version__} is installed, but {pinned} is pinned in gen/cfn-lint-version", file=sys.stderr)
        sys.exit(3)
    base = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
    providers = os.path.join(base, "providers")
    # Prefer us-east-1; take types missing there from the other regions, in
    # alphabetical region order, so the choice is deterministic.
    regions = sorted(f for f in os.listdir(providers) if f.endswith(".json"))
    regions.sort(key=lambda f: f != "us-east-1.json")
    chosen = {}
    for region in regions:
        with open(os.path.join(providers, region)) as f:
            for type_name, digest in json.load(f).items():
                chosen.setdefault(type_name, digest)
    schemas = {}
    for type_name in sorted(chosen):
        with open(os.path.join(base, "resources", chosen[type_name] + ".json")) as f:
            schemas[type_name] = json.load(f)
    return pinned, schemas


# ---------------------------------------------------------------- naming

RUST_KEYWORDS = set(
    """as break const continue crate else enum extern false fn for if impl in let loop match mod move mut
    pub ref return self Self static struct super trait true type unsafe use where while async await dyn
    abstract become box do final macro override priv typeof unsized virtual yield try gen union""".split()
)

# Names used unqualified inside generated modules; definitions with these
# names get a `Property` suffix.
RESERVED_TYPES = set(
    """Value Expr IndexMap Render Literal PropMap CfnResource ResourceRef Scope Result Option Some None
    Vec String Box Ok Err Default Self Copy Clone Send Sync Sized Into From Eq PartialEq Debug Hash
    Ord PartialOrd ToOwned ToString Iterator Drop Fn FnMut FnOnce""".split()
)


def words(name):
    """Splits `SSESpecification` into [SSE, Specification], `IPv6Address` into [I, Pv6, Address]."""
    name = re.sub(r"[^A-Za-z0-9]+", " ", name)
    out = []
    for chunk in name.split():
        out.extend(re.findall(r"[A-Z]{2,}s(?![a-z])|[A-Z]+v[0-9]+(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]*[a-z0-9]+|[A-Z]+[0-9]*|[0-9]+", chunk))
    return out or ["x"]


def snake(name):
    s = "_".join(w.lower() for w in words(name))
    if s[0].isdigit():
        s = "n" + s
    if s in RUST_KEYWORDS:
        s += "_"
    return s


def pascal(name):
    """An enum value as a variant name: `aws:kms` -> `AwsKms`, `GLACIER_IR` -> `GlacierIr`."""
    if not re.search(r"[A-Za-z0-9]", name):
        return "Value"
    parts = words(name)
    s = "".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() or p.isdigit() else p[:1].upper() + p[1:] for p in parts)
    if s[0].isdigit():
        s = "V" + s
    if s == "Self":
        s = "SelfValue"
    return s


def camel(name):
    """A schema name as a Rust type name, keeping its CamelCase."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", " ", name).split()
    s = "".join(c[:1].upper() + c[1:] for c in cleaned) or "X"
    if s[0].isdigit():
        s = "T" + s
    return s


def type_name_of(name):
    """A definition or property name as a type name in a generated module."""
    s = camel(name)
    if s in RESERVED_TYPES:
        s += "Property"
    return s


def service_module(type_name):
    parts = type_name.split("::")
    if parts[0] == "AWS":
        m = parts[1].lower()
    else:
        m = f"{parts[0]}_{parts[1]}".lower()
    m = re.sub(r"[^a-z0-9_]", "_", m)
    if m[0].isdigit() or m in RUST_KEYWORDS or m in ("support", "std", "core", "alloc"):
        m = "svc_" + m
    return m


# ---------------------------------------------------------------- docs

LINK_OR_URL = re.compile(
    r"\[(?P<text>[^\[\]]*)\]\((?P<url>https?://[^\s()<>]+)\)"
    r"|(?P<bare>https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?])"
)


def doc_text(text):
    """The first paragraph of a schema description, on one line, escaped for rustdoc."""
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n")
    para = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]
    para = " ".join(para.split())
    para = "".join(c for c in para if c >= " " and c != "\x7f")
    if len(para) > MAX_DOC:
        cut = para.rfind(". ", 0, MAX_DOC)
        para = para[: cut + 1] if cut > 80 else para[:MAX_DOC].rstrip() + "…"
    out = []
    pos = 0
    for m in LINK_OR_URL.finditer(para):
        out.append(escape_md(para[pos : m.start()]))
        if m.group("url"):
            # A markdown link: keep it a link.
            out.append("[" + escape_md(m.group("text")) + "](" + m.group("url") + ")")
        else:
            out.append("<" + m.group("bare") + ">")
        pos = m.end()
    out.append(escape_md(para[pos:]))
    s = "".join(out).strip()
    if re.match(r"^([#>+=~`-]|\d+[.)])", s):
        s = "\\" + s
    return s


def escape_md(s):
    return re.sub(r"([\\\[\]<>])", r"\\\1", s)


def doc_lines(indent, *paragraphs):
    lines = []
    for p in paragraphs:
        if not p:
            continue
        if lines:
            lines.append(f"{indent}///")
        lines.append(f"{indent}/// {p}")
    return lines


# ---------------------------------------------------------------- types


def canonical(schema):
    """A schema's JSON without descriptions, for comparing shapes."""

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("description", "title", "$comment", "markdownDescription")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return json.dumps(strip(schema), sort_keys=True)
#
# A type is a tuple:
#   ("prim", "String" | "i64" | "f64" | "bool")
#   ("json",)              -> Expr
#   ("enum", name) / ("struct", name)
#   ("list", inner) / ("map", inner)


class Item:
    def __init__(self, kind, name, doc):
        self.kind = kind  # "struct" | "enum"
        self.name = name
        self.doc = doc
        self.fields = []  # struct: [(prop, field, type, required, doc)]
        self.values = []  # enum: [(variant, value)]


class Resource:
    """The types of one resource type, resolved from its schema."""

    def __init__(self, type_name, schema):
        self.type_name = type_name
        self.schema = schema
        self.defs = schema.get("definitions") or {}
        self.items = OrderedDict()  # name -> Item
        self.taken = set()
        self.def_names = {}
        self.def_types = {}
        self.pending = {}
        # Inline schemas identical to a definition reuse its type.
        self.canonical = {}
        for d, ds in self.defs.items():
            if isinstance(ds, dict) and ("properties" in ds or "enum" in ds):
                self.canonical.setdefault(canonical(ds), d)
        for d in self.defs:
            n = type_name_of(d)
            while n in self.taken:
                n += "Def"
            self.taken.add(n)
            self.def_names[d] = n

    def unique(self, candidates):
        for c in candidates:
            if c not in self.taken:
                self.taken.add(c)
                return c
        base = candidates[-1]
        i = 2
        while f"{base}{i}" in self.taken:
            i += 1
        self.taken.add(f"{base}{i}")
        return f"{base}{i}"

    def pointer(self, ref):
        if not ref.startswith("#/"):
            return None
        node = self.schema
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def ref(self, ref):
        if ref.startswith("#/definitions/") and ref.count("/") == 2:
            d = ref.split("/")[2]
            if d not in self.defs:
                stat("fallback: $ref to a missing definition -> Expr")
                return ("json",)
            if d in self.def_types:
                t = self.def_types[d]
                if t is None:
                    # A definition that is only an alias of itself through
                    # combinators; rare, fall back.
                    stat("fallback: self-referential alias definition -> Expr")
                    return ("json",)
                return t
            self.def_types[d] = None
            self.pending[self.def_names[d]] = d
            t = self.resolve(self.defs[d], self.def_names[d], named=self.def_names[d])
            self.def_types[d] = t
            return t
        target = self.pointer(ref)
        if target is None:
            stat("fallback: unresolvable $ref -> Expr")
            return ("json",)
        stat("note: $ref to a non-definition pointer (resolved)")
        return self.resolve(target, type_name_of(ref.split("/")[-1]))

    def deref(self, s, depth=0):
        while isinstance(s, dict) and "$ref" in s and depth < 20:
            t = self.pointer(s["$ref"])
            if t is None:
                return None
            s = t
            depth += 1
        return s

    def resolve(self, s, hint, named=None):
        """The type of schema `s`. `hint` names a generated struct or enum;
        `named` is set for definitions (whose name is reserved already)."""
        if not isinstance(s, dict) or not s:
            stat("fallback: empty or non-object schema -> Expr")
            return ("json",)
        if "$ref" in s:
            return self.ref(s["$ref"])
        if not named and ("properties" in s or "enum" in s):
            d = self.canonical.get(canonical(s))
            if d is not None:
                stat("note: inline schema identical to a definition (reuses its type)")
                return self.ref("#/definitions/" + d)
        t = s.get("type")
        if isinstance(t, list):
            ts = [x for x in t if x != "null"]
            if len(ts) == 1:
                t = ts[0]
            else:
                stat("fallback: `type` array of several types -> Expr")
                return ("json",)
        if t is None:
            if "properties" in s or "patternProperties" in s or isinstance(s.get("additionalProperties"), dict):
                t = "object"
            elif "items" in s:
                t = "array"
            elif "enum" in s and all(isinstance(v, str) for v in s["enum"]):
                t = "string"
            elif any(k in s for k in ("oneOf", "anyOf", "allOf")):
                return self.combinator(s, hint, named)
            elif any(k in s for k in ("pattern", "minLength", "maxLength", "format")):
                stat("note: untyped schema with string keywords -> String")
                t = "string"
            else:
                stat("fallback: schema without a type -> Expr")
                return ("json",)
        if t == "string":
            vals = s.get("enum")
            if isinstance(vals, list) and vals and all(isinstance(v, str) for v in vals):
                return self.make_enum(s, hint, named, vals)
            return ("prim", "String")
        if t in ("integer", "number", "boolean"):
            if "enum" in s:
                stat(f"note: enum of {t} values -> {t}")
            return ("prim", {"integer": "i64", "number": "f64", "boolean": "bool"}[t])
        if t == "array":
            items = s.get("items")
            if not isinstance(items, dict):
                stat("fallback: array without an item schema -> list of Expr")
                return ("list", ("json",))
            return ("list", self.resolve(items, hint + "Item" if named else hint))
        if t == "object":
            props = s.get("properties")
            if isinstance(props, dict) and props:
                return self.make_struct(s, hint, named, props)
            branches = self.branch_properties(s)
            if branches:
                stat("note: object whose properties come from oneOf/anyOf branches (merged, all optional)")
                return self.make_struct(s, hint, named, branches, merged=True)
            pp = s.get("patternProperties")
            if isinstance(pp, dict) and pp:
                types = [self.resolve(v, hint + "Value") for v in pp.values()]
                if all(x == types[0] for x in types):
                    return ("map", types[0])
                stat("fallback: patternProperties with differing value types -> map of Expr")
                return ("map", ("json",))
            ap = s.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                return ("map", self.resolve(ap, hint + "Value"))
            stat("note: free-form (json) object -> Expr")
            return ("json",)
        stat(f"fallback: unknown type {t!r} -> Expr")
        return ("json",)

    def branch_properties(self, s):
        """Properties of oneOf/anyOf/allOf branches that are objects, merged
        in order; None unless every non-constraint branch is an object."""
        merged = OrderedDict()
        found = False
        for key in ("allOf", "oneOf", "anyOf"):
            for b in s.get(key) or []:
                b = self.deref(b)
                if not isinstance(b, dict):
                    return None
                props = b.get("properties")
                if isinstance(props, dict) and props:
                    found = True
                    for k, v in props.items():
                        merged.setdefault(k, v)
                elif set(b) - {"required", "description", "title", "$comment", "not", "additionalProperties", "type"}:
                    inner = self.branch_properties(b)
                    if inner is None:
                        return None
                    found = found or bool(inner)
                    for k, v in inner.items():
                        merged.setdefault(k, v)
        return merged if found else None

    def combinator(self, s, hint, named):
        branches = []
        for key in ("allOf", "oneOf", "anyOf"):
            branches += [(key, b) for b in s.get(key) or []]
        # allOf with one typed branch (the others are defaults or constraints).
        typed = [b for _, b in branches if isinstance(b, dict) and ("$ref" in b or "type" in b or "properties" in b)]
        if len(typed) == 1:
            return self.resolve(typed[0], hint, named)
        props = self.branch_properties(s)
        if props:
            stat("note: oneOf/anyOf/allOf of objects merged into one struct (all optional)")
            return self.make_struct(s, hint, named, props, merged=True)
        # Branches of the same type (e.g. an enum or a pattern) collapse.
        kinds = set()
        for _, b in branches:
            b = self.deref(b)
            if isinstance(b, dict) and isinstance(b.get("type"), str) and b["type"] not in ("object", "array"):
                kinds.add(b["type"])
            else:
                kinds.add(None)
        if len(kinds) == 1 and None not in kinds:
            k = kinds.pop()
            stat("note: oneOf/anyOf of one scalar type -> that type")
            return ("prim", {"string": "String", "integer": "i64", "number": "f64", "boolean": "bool"}.get(k, "String"))
        stat("fallback: oneOf/anyOf of different types -> Expr")
        return ("json",)

    def make_enum(self, s, hint, named, vals):
        name = named or self.unique([hint, hint + "Enum"])
        item = Item("enum", name, doc_text(s.get("description")))
        seen_values = set()
        seen_variants = set()
        for v in vals:
            if v in seen_values:
                continue
            seen_values.add(v)
            variant = pascal(v) if v.strip() else "Empty"
            base = variant
            i = 2
            while variant in seen_variants:
                variant = f"{base}{i}"
                i += 1
            seen_variants.add(variant)
            item.values.append((variant, v))
        self.items[name] = item
        return ("enum", name)

    def make_struct(self, s, hint, named, props, merged=False):
        name = named or self.unique([hint, hint + "Property"])
        item = Item("struct", name, doc_text(s.get("description")))
        self.items[name] = item
        if named and named in self.pending:
            # Lets recursive definitions refer to the struct being built.
            self.def_types[self.pending.pop(named)] = ("struct", name)
        required = set() if merged else set(r for r in s.get("required") or [] if isinstance(r, str))
        item.fields = self.fields(name, props, required)
        if not item.fields:
            del self.items[name]
            stat("note: object without properties -> Expr")
            return ("json",)
        return ("struct", name)

    def fields(self, owner, props, required, skip=()):
        out = []
        names = set()
        for prop in sorted(props):
            if prop in skip:
                continue
            schema = props[prop]
            field = snake(prop)
            while field in names:
                field += "_"
            names.add(field)
            hint = type_name_of(prop) if owner is None else type_name_of(owner + camel(prop))
            t = self.resolve(schema, hint)
            desc = schema.get("description") if isinstance(schema, dict) else None
            if not desc and isinstance(schema, dict) and "$ref" in schema:
                target = self.deref(schema)
                desc = target.get("description") if isinstance(target, dict) else None
            out.append((prop, field, t, prop in required, doc_text(desc)))
        return out

    @staticmethod
    def _is_ref(schema):
        return isinstance(schema, dict) and "$ref" in schema


# ---------------------------------------------------------------- emitting


def rust_type(t, prefix, boxed=False):
    k = t[0]
    if k == "prim":
        return f"Value<{t[1]}>"
    if k == "json":
        return "Expr"
    if k in ("enum", "struct"):
        n = prefix + t[1]
        return f"Value<Box<{n}>>" if boxed else f"Value<{n}>"
    if k == "list":
        return f"Value<Vec<{rust_type(t[1], prefix)}>>"
    if k == "map":
        return f"Value<IndexMap<String, {rust_type(t[1], prefix)}>>"
    raise ValueError(t)


def direct_struct(t):
    return t[1] if t[0] == "struct" else None


def boxed_edges(items):
    """(owner, field) pairs to box: direct struct fields inside a cycle."""
    graph = {n: set() for n, it in items.items() if it.kind == "struct"}
    for n, it in items.items():
        if it.kind == "struct":
            for _, _, t, _, _ in it.fields:
                d = direct_struct(t)
                if d:
                    graph[n].add(d)
    # Tarjan's SCC, iteration order fixed by insertion order.
    index, low, stack, on, comp = {}, {}, [], set(), {}
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph.get(v, ()))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in graph:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                elif w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp[w] = node
                    if w == node:
                        break

    for v in graph:
        if v not in index:
            visit(v)
    out = set()
    for n, it in items.items():
        if it.kind == "struct":
            for _, field, t, _, _ in it.fields:
                d = direct_struct(t)
                if d and d in comp and comp[d] == comp[n]:
                    out.add((n, field))
    return out


def emit_struct_body(name, fields, doc, indent, prefix, boxed, default_doc):
    """The struct definition, its `new` constructor and Literal/Render impls."""
    i = indent
    lines = []
    lines += doc_lines(i, doc or default_doc)
    has_required = any(f[3] for f in fields)
    # No PartialEq: it costs about a fifth of the crate's compile time and
    # templates are compared as JSON.
    derives = "Clone, Debug" + ("" if has_required else ", Default")
    lines.append(f"{i}#[derive({derives})]")
    lines.append(f"{i}pub struct {name} {{")
    for prop, field, t, req, fdoc in fields:
        ty = rust_type(t, prefix, (name, field) in boxed)
        lines += doc_lines(i + "    ", fdoc or f"The `{prop}` property.", "Required." if req else "")
        lines.append(f"{i}    pub {field}: {ty if req else f'Option<{ty}>'},")
    lines.append(f"{i}}}")
    if has_required:
        params = []
        inits = []
        for prop, field, t, req, _ in fields:
            ty = rust_type(t, prefix, (name, field) in boxed)
            if req:
                params.append(f"{field}: impl Into<{ty}>")
                inits.append(f"{field}: {field}.into()")
            else:
                inits.append(f"{field}: None")
        lines.append(f"{i}impl {name} {{")
        lines.append(f"{i}    /// A value with the required properties set and the others `None`.")
        lines.append(f"{i}    pub fn new({', '.join(params)}) -> Self {{")
        lines.append(f"{i}        {name} {{ {', '.join(inits)} }}")
        lines.append(f"{i}    }}")
        lines.append(f"{i}}}")
    return lines


def emit_render_calls(fields, var, indent):
    lines = []
    for prop, field, t, req, _ in fields:
        lines.append(f'{indent}m.{"req" if req else "opt"}("{prop}", {var}.{field});')
    return lines


def emit_resource(res, module, props_fields, attrs):
    """The resource submodule (nested types) and service-level items."""
    items = res.items
    rname = res.type_name.split("::")[2]
    boxed = boxed_edges(items)
    sub = []  # lines inside `pub mod <module>`
    for n, it in items.items():
        if it.kind == "enum":
            sub += doc_lines("", it.doc or f"Values of `{n}` in `{res.type_name}`.")
            sub.append("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]")
            sub.append(f"pub enum {n} {{")
            for variant, value in it.values:
                sub.append(f"    /// `{escape_value(value)}`")
                sub.append(f"    {variant},")
            sub.append("}")
            sub.append(f"impl {n} {{")
            sub.append("    /// The value as CloudFormation spells it.")
            sub.append("    pub fn as_str(self) -> &'static str {")
            sub.append("        match self {")
            for variant, value in it.values:
                sub.append(f"            {n}::{variant} => {json.dumps(value, ensure_ascii=False)},")
            sub.append("        }")
            sub.append("    }")
            sub.append("}")
            sub.append(f"impl Render for {n} {{")
            sub.append("    fn render(self) -> Expr {")
            sub.append("        Expr::from_static(self.as_str())")
            sub.append("    }")
            sub.append("}")
            sub.append(f"impl Literal for {n} {{}}")
        else:
            sub += emit_struct_body(n, it.fields, it.doc, "", "", boxed, f"`{n}` of `{res.type_name}`.")
            sub.append(f"impl Render for {n} {{")
            sub.append("    fn render(self) -> Expr {")
            sub.append("        let mut m = PropMap::default();")
            sub += emit_render_calls(it.fields, "self", "        ")
            sub.append("        m.into_expr()")
            sub.append("    }")
            sub.append("}")
            sub.append(f"impl Literal for {n} {{}}")
    out = []
    handle = "Cfn" + camel(rname)
    props = handle + "Props"
    desc = doc_text(res.schema.get("description"))
    if sub:
        out.append(f"/// Property types and enums of `{res.type_name}`.")
        out.append(f"pub mod {module} {{")
        body = "\n".join(sub)
        uses = ["#[allow(unused_imports)]", "use crate::support::{Literal, PropMap, Render, Value};", "use formwork_core::Expr;"]
        if re.search(r"\bIndexMap\b", body):
            uses.append("use indexmap::IndexMap;")
        out += uses
        out += sub
        out.append("}")
    prefix = f"{module}::"
    out += emit_struct_body(props, props_fields, "", "", prefix, set(), f"Properties of `{res.type_name}`: {desc}" if desc else f"Properties of `{res.type_name}`.")
    out.append(f"impl From<{props}> for formwork_core::CfnResource {{")
    out.append(f"    fn from({'p' if props_fields else '_'}: {props}) -> formwork_core::CfnResource {{")
    out.append("        let mut m = PropMap::default();" if props_fields else "        let m = PropMap::default();")
    out += emit_render_calls(props_fields, "p", "        ")
    out.append(f"        m.into_resource({handle}::TYPE_NAME)")
    out.append("    }")
    out.append("}")
    out += doc_lines("", f"`{res.type_name}`: {desc}" if desc else f"`{res.type_name}`.", f"A handle to the resource; create it with [`{handle}::new`], and get the `Ref` with [`{handle}::to_ref`] and attributes with the `attr_*` methods.")
    out.append("#[derive(Clone, Debug, PartialEq, Eq, Hash)]")
    out.append(f"pub struct {handle} {{")
    out.append("    resource: ResourceRef,")
    out.append("}")
    out.append(f"impl {handle} {{")
    out.append("    /// The CloudFormation resource type.")
    out.append(f'    pub const TYPE_NAME: &\'static str = "{res.type_name}";')
    out.append(f"    /// Adds the resource to `scope` under the construct id `id`.")
    out.append(f"    pub fn new(scope: &impl Scope, id: &str, props: {props}) -> Result<{handle}> {{")
    out.append("        let resource = scope.add_resource(id, props.into())?;")
    out.append(f"        Ok({handle} {{ resource }})")
    out.append("    }")
    out.append("    /// A handle for a resource added by other means (such as an L2 construct).")
    out.append(f"    pub fn from_resource(resource: ResourceRef) -> {handle} {{")
    out.append(f"        {handle} {{ resource }}")
    out.append("    }")
    out.append("    /// The underlying resource handle.")
    out.append("    pub fn resource(&self) -> &ResourceRef {")
    out.append("        &self.resource")
    out.append("    }")
    out.append("    /// `{\"Ref\": LogicalId}`.")
    out.append("    pub fn to_ref(&self) -> Expr {")
    out.append("        self.resource.to_ref()")
    out.append("    }")
    for method, att, adoc in attrs:
        out += doc_lines("    ", f"`{{\"Fn::GetAtt\": [LogicalId, \"{att}\"]}}`" + (f": {adoc}" if adoc else "."))
        out.append(f"    pub fn {method}(&self) -> Expr {{")
        out.append(f'        self.resource.get_att("{att}")')
        out.append("    }")
    out.append("}")
    return out


def escape_value(v):
    return v.replace("`", "'")


def resource_code(type_name, schema, module):
    res = Resource(type_name, schema)
    props = schema.get("properties") or {}
    readonly = [p for p in schema.get("readOnlyProperties") or [] if isinstance(p, str)]
    ro_set = set(readonly)

    def read_only(schema, path, depth=0):
        """A property is left out of the props when it, or every leaf
        below it, is read-only."""
        if path in ro_set:
            return True
        schema = res.deref(schema)
        if depth > 8 or not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict) or not schema["properties"]:
            return False
        return all(read_only(v, f"{path}/{k}", depth + 1) for k, v in schema["properties"].items())

    skip = set(p for p in props if read_only(props[p], f"/properties/{p}"))
    required = set(r for r in schema.get("required") or [] if isinstance(r, str))
    for r in sorted(required & skip):
        stat("note: required property that is also read-only (left out)")
    fields = res.fields(None, props, required - skip, skip)
    attrs = []
    names = set()
    for p in readonly:
        parts = p.split("/")
        if len(parts) < 3 or parts[1] != "properties" or any(x in ("*", "items") for x in parts[2:]):
            stat("note: read-only property path not usable with GetAtt (no attr method)")
            continue
        att = ".".join(parts[2:])
        method = "attr_" + "_".join(snake(x).rstrip("_") for x in parts[2:])
        while method in names:
            method += "_"
        names.add(method)
        target = props.get(parts[2])
        for x in parts[3:]:
            target = res.deref(target)
            target = (target.get("properties") or {}).get(x) if isinstance(target, dict) else None
        target = res.deref(target) if target is not None else None
        attrs.append((method, att, doc_text(target.get("description")) if isinstance(target, dict) else ""))
    STATS["types"] += 1
    STATS["structs"] += sum(1 for i in res.items.values() if i.kind == "struct")
    STATS["enums"] += sum(1 for i in res.items.values() if i.kind == "enum")
    STATS["attributes"] += len(attrs)
    STATS["properties"] += len(fields)
    return emit_resource(res, module, fields, attrs)


LINT_ALLOWS = [
    "clippy::too_many_arguments",
    "clippy::type_complexity",
    "clippy::enum_variant_names",
    "clippy::upper_case_acronyms",
]


def service_code(module, entries, schemas):
    out = [
        f"//! `{module}`: generated L1 constructs, one per CloudFormation resource type.",
        "//!",
        "//! Generated by `crates/formwork-cfn/gen/generate.py` from the resource provider",
        "//! schemas of cfn-lint; do not edit.",
        "",
        f"#![allow({', '.join(LINT_ALLOWS)})]",
        "",
        "#[allow(unused_imports)]",
        "use crate::support::{PropMap, Value};",
        "use formwork_core::{Expr, ResourceRef, Result, Scope};",
        "#[allow(unused_imports)]",
        "use indexmap::IndexMap;",
        "",
    ]
    submods = set()
    for type_name in entries:
        rname = type_name.split("::")[2]
        m = snake(rname)
        while m in submods:
            m += "_"
        submods.add(m)
        out += resource_code(type_name, schemas[type_name], m)
        out.append("")
    return "\n".join(out) + "\n"


def lib_code(services, counts, version):
    out = [
        "//! Typed L1 constructs for every CloudFormation resource type, generated",
        f"//! from the resource provider schemas shipped with cfn-lint {version}.",
        "//!",
        "//! One module per service (`s3`, `lex`, `iam`, ...), each behind the cargo",
        "//! feature of the same name; `iam` and `cognito` are on by default and",
        "//! `all-services` turns every module on. See the crate README for the API",
        "//! shape and for how the code is generated.",
        "//!",
        "//! ```",
        "//! # #[cfg(feature = \"iam\")] {",
        "//! use formwork_cfn::iam::{CfnRole, CfnRoleProps};",
        "//! use formwork_core::App;",
        "//! use serde_json::json;",
        "//!",
        "//! let app = App::new();",
        "//! let stack = app.stack(\"Demo\");",
        "//! let trust = json!({\"Version\": \"2012-10-17\", \"Statement\": []});",
        "//! let role = CfnRole::new(&stack, \"Role\", CfnRoleProps {",
        "//!     description: Some(\"demo\".into()),",
        "//!     ..CfnRoleProps::new(trust)",
        "//! })",
        "//! .unwrap();",
        "//! stack.output(\"RoleArn\", role.attr_arn());",
        "//! assert!(app.synth().is_ok());",
        "//! # }",
        "//! ```",
        "//!",
        f"//! Generated by `crates/formwork-cfn/gen/generate.py`; do not edit. {counts}",
        "",
        "#![warn(missing_docs)]",
        "",
        "pub mod support;",
        "",
    ]
    for module, types in services:
        out.append(f"/// {len(types)} resource type{'s' if len(types) != 1 else ''} of `{types[0].rsplit('::', 1)[0]}`.")
        out.append(f'#[cfg(feature = "{module}")]')
        out.append(f"pub mod {module};")
    return "\n".join(out) + "\n"


def rustfmt(text):
    cmd = ["rustfmt", "--edition", "2021", "--emit", "stdout", "--quiet"]
    for cfg in ("rustfmt.toml", ".rustfmt.toml"):
        if os.path.exists(os.path.join(ROOT, cfg)):
            cmd += ["--config-path", os.path.join(ROOT, cfg)]
    r = subprocess.run(cmd, input=text.encode(), capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("rustfmt failed: " + r.stderr.decode()[:2000])
    return r.stdout.decode()


def replace_block(text, block, path):
    begin = "# BEGIN generated cfn features"
    end = "# END generated cfn features"
    a = text.find(begin)
    b = text.find(end)
    if a < 0 or b < a:
        raise RuntimeError(f"{path}: missing the `{begin}` / `{end}` markers")
    return text[: a + len(begin)] + "\n" + block + text[b:]


def generate():
    version, schemas = load_schemas()
    by_service = OrderedDict()
    for type_name in sorted(schemas):
        by_service.setdefault(service_module(type_name), []).append(type_name)
    by_service = OrderedDict(sorted(by_service.items()))
    files = {}
    for module, types in by_service.items():
        files[os.path.join(SRC, module + ".rs")] = service_code(module, types, schemas)
    counts = f"{len(schemas)} resource types in {len(by_service)} services."
    files[os.path.join(SRC, "lib.rs")] = lib_code(list(by_service.items()), counts, version)
    paths = sorted(files)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        formatted = list(pool.map(lambda p: rustfmt(files[p]), paths))
    files = dict(zip(paths, formatted))
    # Cargo features.
    mods = list(by_service)
    cfn_block = "default = [" + ", ".join(f'"{m}"' for m in DEFAULT_SERVICES) + "]\n"
    cfn_block += "all-services = [\n" + "".join(f'    "{m}",\n' for m in mods) + "]\n"
    cfn_block += "".join(f"{m} = []\n" for m in mods)
    facade_block = "all-services = [\"iam\", \"cognito\", \"formwork-cfn/all-services\"]\n"
    facade_block += "".join(f'{m} = ["formwork-cfn/{m}"]\n' for m in mods if m not in DEFAULT_SERVICES)
    for path, block in ((os.path.join(CRATE, "Cargo.toml"), cfn_block), (os.path.join(ROOT, "Cargo.toml"), facade_block)):
        with open(path) as f:
            files[path] = replace_block(f.read(), block, path)
    return files, by_service, schemas


def main():
    check = "--check" in sys.argv
    report = "--report" in sys.argv
    files, by_service, schemas = generate()
    stale = [p for p in sorted(os.listdir(SRC)) if p.endswith(".rs") and p not in HAND_WRITTEN and os.path.join(SRC, p) not in files]
    if check:
        bad = []
        for path, text in sorted(files.items()):
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        bad.append(path)
            except FileNotFoundError:
                bad.append(path)
        bad += [os.path.join(SRC, p) for p in stale]
        if bad:
            print("The generated L1 code is out of date; run crates/formwork-cfn/gen/generate.py. Differing files:")
            for p in bad[:50]:
                print("  " + os.path.relpath(p, ROOT))
            sys.exit(1)
        print(f"formwork-cfn is up to date ({len(files)} files).")
    else:
        for p in stale:
            os.remove(os.path.join(SRC, p))
        for path, text in files.items():
            old = None
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            if old != text:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
        print(f"wrote {len(files)} files: {len(schemas)} resource types in {len(by_service)} services")
    if report or not check:
        for k, v in sorted(STATS.items()):
            print(f"{v:8} {k}")


if __name__ == "__main__":
    main()

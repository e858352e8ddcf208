"""Nothing personal and nothing unpublished reaches an anonymous caller, by any query.

The walk is driven by the schema itself: every root query field (so also those added
later), with every argument it requires filled from what the seeded cases give (their
numbers, their global IDs, the district), each object selected field by field a few levels
deep, each abstract type once per possible type. Whatever an anonymous caller may not read
answers an error; those branches are cut and the rest asked again, so an error never hides
a sibling. Then no answer may hold a person's name, ID number or phone as reported, and no
data may name a case that was never published.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from schema.schema import build_schema
from tests.schema.publication.conftest import LAOSHAN, WINDOW

SCHEMA = build_schema()._schema
LIMIT_CODES = {"QUERY_TOO_DEEP", "TOO_MANY_TOKENS", "QUERY_TOO_COSTLY"}
DEPTH = 4


@dataclass
class Sel:
    """A field (`key: name(args)`) or, with `on`, an inline fragment; children unless a leaf."""

    key: str
    head: str
    children: list[Sel] | None = None
    on: str | None = None

    def text(self) -> str:
        if self.children is None:
            return self.head
        return f"{self.head} {{ {' '.join(c.text() for c in self.children)} }}"


@dataclass
class Values:
    """Argument values to try, by argument name; the first one for nested fields."""

    by_name: dict[str, list[object]] = field(default_factory=dict)

    def candidates(self, name: str, gtype) -> list[object]:
        named = get_named_type(gtype)
        if named.name in ("String", "ID") and name in self.by_name:
            return self.by_name[name]
        if isinstance(named, GraphQLEnumType):
            return [Enum(next(iter(named.values)))]
        if isinstance(named, GraphQLInputObjectType):
            return [
                {
                    n: self.candidates(n, f.type)[0]
                    for n, f in named.fields.items()
                    if isinstance(f.type, GraphQLNonNull)
                }
            ]
        if named.name == "DateTime":
            end = name.lower().endswith(("to", "end", "until"))
            return [(WINDOW[1] if end else WINDOW[0]).isoformat()]
        return {"Int": [1], "Float": [1.0], "Boolean": [True]}.get(named.name, ["x"])


@dataclass(frozen=True)
class Enum:
    name: str


def literal(value: object) -> str:
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def arguments(field_def, values: Values, choose: dict[str, object] | None = None) -> str:
    """The required arguments (and a small `first`), as a GraphQL argument list."""
    given = {}
    for name, arg in field_def.args.items():
        if choose is not None and name in choose:
            given[name] = choose[name]
        elif isinstance(arg.type, GraphQLNonNull):
            given[name] = values.candidates(name, arg.type)[0]
        elif name == "first":
            given[name] = 3
    return "(" + ", ".join(f"{k}: {literal(v)}" for k, v in given.items()) + ")" if given else ""


def fields_of(obj: GraphQLObjectType, depth: int, values: Values, prefix: str = "") -> list[Sel]:
    found = []
    for name, field_def in obj.fields.items():
        if name == "edges":  # the same nodes as `nodes`
            continue
        key = f"{prefix}{name}"
        head = f"{key}: {name}" if prefix else name
        head += arguments(field_def, values)
        if is_leaf_type(get_named_type(field_def.type)):
            found.append(Sel(key, head))
        elif depth > 0 and (children := select(field_def.type, depth - 1, values)):
            found.append(Sel(key, head, children))
    return found


def select(gtype, depth: int, values: Values, only: str | None = None) -> list[Sel]:
    named = get_named_type(gtype)
    if isinstance(named, GraphQLObjectType):
        return fields_of(named, depth, values)
    assert isinstance(named, GraphQLInterfaceType | GraphQLUnionType), named
    found = [Sel("__typename", "__typename")]
    for possible in SCHEMA.get_possible_types(named):
        if only in (None, possible.name):
            # one possible type per query at the root; aliased only where several meet
            prefix = "" if only else f"{possible.name}_"
            inner = fields_of(possible, depth, values, prefix=prefix)
            found.append(Sel("", f"... on {possible.name}", inner, on=possible.name))
    return found


def prune(selections: list[Sel], path: list) -> bool:
    """Cut the selection an error's path names; whether it was found."""
    keys = [p for p in path if isinstance(p, str)]
    level = selections
    for depth, key in enumerate(keys):
        spread = [s for s in level if s.on is None] + [
            c for s in level if s.on is not None for c in s.children
        ]
        match = next((s for s in spread if s.key == key), None)
        if match is None:
            return False
        if depth == len(keys) - 1:
            for holder in [level, *(s.children for s in level if s.on is not None)]:
                if match in holder:
                    holder.remove(match)
            return True
        level = match.children or []
    return False


def variants(field_def, values: Values) -> list[dict[str, object]]:
    """Every combination of the candidates for each required argument (and `first`)."""
    combos: list[dict[str, object]] = [{}]
    for name, arg in field_def.args.items():
        if isinstance(arg.type, GraphQLNonNull):
            options = values.candidates(name, arg.type)
        elif name == "first":
            options = [20]
        else:
            continue
        combos = [{**c, name: option} for c in combos for option in options]
    return combos


def gid(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def walk(gql, root: str, field_def, choose: dict, values: Values, only: str | None):
    """Ask one root field (with these arguments) anonymously, cutting what errs; the answers."""
    depth, answers = DEPTH, []
    while depth >= 0:
        leaf = is_leaf_type(get_named_type(field_def.type))
        tree = None if leaf else select(field_def.type, depth, values, only)
        root_sel = Sel(root, f"{root}{arguments(field_def, values, choose)}", tree)
        for _ in range(30):
            body = await gql("query { " + root_sel.text() + " }")
            answers.append(body)
            errors = body.get("errors") or []
            codes = {(e.get("extensions") or {}).get("code") for e in errors}
            if codes & LIMIT_CODES:
                break
            pathless = [e for e in errors if not e.get("path")]
            assert not pathless, (root_sel.text(), pathless)
            cut = [e["path"] for e in errors if len(e["path"]) > 1]
            if not cut or len(cut) < len(errors):
                return answers  # clean, or the root field itself refused
            assert all(prune(root_sel.children or [], p[1:]) for p in cut), (cut, root_sel.text())
        else:
            raise AssertionError(f"{root}: still failing after cutting 30 branches")
        depth -= 1
    raise AssertionError(f"{root}: over the limits even one level deep")


@pytest.fixture
def values(seeded) -> Values:
    published, hidden = seeded.published, seeded.unpublished
    numbers = [published[0], seeded.persons[0], *hidden]
    ids = [gid(t, n) for n in numbers for t in ("PublishedResult", "Case")]
    ids += [gid("Division", LAOSHAN), gid("Power", seeded.home["power_code"])]
    return Values(
        {
            "id": ids,
            "caseNumber": numbers,
            "number": numbers,
            "code": [LAOSHAN, seeded.home["power_code"]],
            "divisionCode": [LAOSHAN],
            "powerCode": [seeded.home["power_code"]],
            "departmentCode": [seeded.home["department_code"]],
        }
    )


async def test_no_anonymous_query_reaches_personal_data_or_an_unpublished_case(gql, seeded, values):
    answers: list[tuple[str, dict]] = []
    for root, field_def in SCHEMA.query_type.fields.items():
        named = get_named_type(field_def.type)
        abstract = isinstance(named, GraphQLInterfaceType | GraphQLUnionType)
        kinds = [t.name for t in SCHEMA.get_possible_types(named)] if abstract else [None]
        for choose in variants(field_def, values):
            for only in kinds:
                for body in await walk(gql, root, field_def, choose, values, only):
                    answers.append((root, body))

    for root, body in answers:
        text = json.dumps(body, ensure_ascii=False)
        leaked = [s for s in seeded.secrets if s in text]
        assert not leaked, (root, leaked, text[:2000])
        data = json.dumps(body.get("data"), ensure_ascii=False)
        shown = [n for n in seeded.unpublished if n in data]
        assert not shown, (root, shown, data[:2000])

    # the walk did reach the published results: masked persons, companies by name
    everything = "".join(json.dumps(b, ensure_ascii=False) for _, b in answers)
    assert "欧阳**" in everything
    assert any(name in everything for name, _ in seeded.companies.values())

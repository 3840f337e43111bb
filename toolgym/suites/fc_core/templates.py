"""Phrasing templates: how a request for one call is worded, and what the call must then contain.

A template is a sentence with slots: `{city}` is replaced by the argument's spelling, and a segment in
brackets, `[ in {unit}]`, names one optional parameter and is kept or dropped as a whole. A parameter
the sentence does not mention may be omitted or given its default (`""` among the acceptable values,
BFCL's convention). A "together" template names the parameter that varies across parallel calls with
a star: `What's the weather in {city*}?` -> `... in Lisbon, Oslo and Lima?`.

Templates split into train and test by position (`values.part`): every 4th one is test-only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...types import ExpectedCall, Split, Tool
from .values import Arg, Draw, part

__all__ = ["Phrase", "Spec", "Template", "expected_call", "phrase"]

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)(\*?)\}")


@dataclass(frozen=True)
class Template:
    """One parsed phrasing of one tool."""

    id: str
    """`tool:index` (or `tool:together:index`), recorded in task metadata."""
    text: str
    """The template as written."""
    plain: frozenset[str]
    """Parameters mentioned outside optional segments (always mentioned)."""
    optional: tuple[str, ...]
    """The parameter of each optional segment, in order."""
    star: str | None = None
    """For a together template: the parameter whose values are listed."""
    pieces: tuple[Any, ...] = ()
    """The text cut into literals, `(name, starred)` slots and `(param, pieces)` segments, for fast rendering."""

    @classmethod
    def parse(cls, id: str, text: str) -> Template:
        """Parse `text`; a segment must hold exactly one slot."""
        optional, pieces = [], []
        for i, chunk in enumerate(_SEGMENT.split(text)):
            inner = _slotted(chunk)
            if i % 2 == 0:
                pieces += inner
                continue
            slots = [p for p in inner if isinstance(p, tuple)]
            if len(slots) != 1:
                raise ValueError(f"template {id} {text!r}: segment [{chunk}] needs exactly one slot")
            optional.append(slots[0][0])
            pieces.append((slots[0][0], tuple(inner)))
        outside = [p for p in pieces if isinstance(p, tuple) and isinstance(p[1], bool)]
        stars = [name for name, star in outside if star]
        return cls(id, text, frozenset(n for n, _ in outside), tuple(optional), stars[0] if stars else None,
                   tuple(pieces))

    def render(self, args: dict[str, Arg], include: frozenset[str], listed: str = "") -> str:
        """The sentence, keeping the segments whose parameter is in `include`."""
        out: list[str] = []
        for p in self.pieces:
            if isinstance(p, str):
                out.append(p)
            elif isinstance(p[1], bool):
                out.append(listed if p[1] else args[p[0]].text)
            elif p[0] in include:
                out += [q if isinstance(q, str) else args[q[0]].text for q in p[1]]
        return "".join(out)


def _slotted(text: str) -> list[Any]:
    """Literals and `(name, starred)` slots of a text without segments."""
    parts = _SLOT.split(text)  # [literal, name, star, literal, ...]
    out: list[Any] = []
    for i in range(0, len(parts), 3):
        if parts[i]:
            out.append(parts[i])
        if i + 1 < len(parts):
            out.append((parts[i + 1], parts[i + 2] == "*"))
    return out


@dataclass(frozen=True, eq=False)  # compared by identity: comparing tools field by field is slow
class Spec:
    """A tool of the suite with the requests that call it: a value sampler and phrasing templates."""

    tool: Tool
    """The tool, made with `@tool`."""
    domain: str
    """Domain name (weather, money, ...), recorded in task metadata."""
    sample: Callable[[Draw], dict[str, Arg]]
    """Draws a value for every parameter of the tool (and a spelling for every `covers` slot)."""
    templates: tuple[str, ...]
    """Phrasings of one call (at least 4, so that test gets one)."""
    together: tuple[str, ...] = ()
    """Phrasings of several calls in one sentence, with a starred slot (none, or at least 2)."""
    covers: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Slots that spell several parameters at once (`{equation}` states a, b and c)."""
    check: Callable[[dict[str, Arg]], bool] | None = field(default=None, compare=False)
    """Whether drawn arguments make sense together (from and to currencies differ)."""

    def __post_init__(self) -> None:
        name = self.tool.name
        parsed = tuple(Template.parse(f"{name}:{i}", t) for i, t in enumerate(self.templates))
        joint = tuple(Template.parse(f"{name}:together:{i}", t) for i, t in enumerate(self.together))
        object.__setattr__(self, "_parsed", parsed)
        object.__setattr__(self, "_by_split", {s: (part(parsed, s), part(joint, s, 2)) for s in ("train", "test")})
        if len(parsed) < 4 or len(joint) == 1:
            raise ValueError(f"{name}: need >= 4 templates and 0 or >= 2 together templates")
        props = self.tool.parameters["properties"]
        required = set(self.tool.parameters["required"])
        for t in parsed + joint:
            slots = t.plain | set(t.optional)
            if not slots <= props.keys() | self.covers.keys() or required & set(t.optional):
                raise ValueError(f"{t.id} {t.text!r}: unknown slot, or a required parameter in a segment")
            ends = (_SEGMENT.sub("", t.text)[-1], _SEGMENT.sub(r"\1", t.text)[-1])
            if not required <= self.expand(t.plain) or not set(ends) <= set(".?!"):
                raise ValueError(f"{t.id} {t.text!r}: must mention {sorted(required)} and end a sentence")
            if (t.star is None) != (t in parsed):
                raise ValueError(f"{t.id} {t.text!r}: a star belongs in together templates only")

    @property
    def required(self) -> list[str]:
        """Required parameters of the tool."""
        return list(self.tool.parameters["required"])

    def expand(self, slots: frozenset[str]) -> frozenset[str]:
        """The parameters a set of slots states."""
        if not self.covers:
            return slots
        return frozenset(p for s in slots for p in self.covers.get(s, (s,)))

    def valid(self, args: dict[str, Arg]) -> bool:
        """Whether drawn arguments make sense together."""
        return self.check is None or self.check(args)

    def phrasings(self, split: Split) -> tuple[Template, ...]:
        """This split's templates for one call."""
        return self._by_split[split][0]  # type: ignore[attr-defined]

    def joint_phrasings(self, split: Split) -> tuple[Template, ...]:
        """This split's together templates (every 2nd is test-only)."""
        return self._by_split[split][1]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Phrase:
    """A rendered request for one or more calls of one tool."""

    text: str
    """The sentence."""
    mentioned: frozenset[str]
    """Parameters the sentence states."""
    template: str
    """Template id."""
    lowerable: bool
    """Whether the first letter may be lower-cased when the sentence is joined to another."""


def phrase(
    spec: Spec, d: Draw, args: dict[str, Arg], fixed: dict[str, bool], used: frozenset[str] = frozenset()
) -> Phrase | None:
    """Word one call with a template of `d.split`, or None when no template fits.

    `fixed` maps a parameter name to whether it must (True) or must not (False) be mentioned, so that
    sentences joined in one request never leave a reader guessing whether a setting carries over.
    Templates whose id is in `used` are taken only when no other fits (varied wording in one request).
    """
    optional = [p for p in spec.tool.parameters["properties"] if p not in spec.required]
    if any(fixed.get(p) is False for p in spec.required):
        return None
    must = {p for p in optional if fixed.get(p) is True}
    never = {p for p in optional if fixed.get(p) is False}
    fits = [t for t in spec.phrasings(d.split)
            if not spec.expand(t.plain) & never and must <= spec.expand(t.plain) | set(t.optional)]
    if not fits:
        return None
    t = d.choice([t for t in fits if t.id not in used] or fits)
    include = frozenset(p for p in t.optional if p in must or (p not in never and d.rng.random() < 0.5))
    return Phrase(t.render(args, include), spec.expand(t.plain | include), t.id, t.text[0] not in "{[")


def expected_call(tool: Tool, args: dict[str, Arg], mentioned: frozenset[str]) -> ExpectedCall:
    """The acceptable values of each parameter, in BFCL's possible-answer shape."""
    out: dict[str, list[Any]] = {}
    for p, schema in tool.parameters["properties"].items():
        if p not in mentioned:
            out[p] = ["", schema["default"]] if "default" in schema else [""]
            continue
        arg = args[p]
        values = [arg.value, *arg.also]
        if arg.unordered and len(arg.value) <= 3:
            values = [list(v) for v in itertools.permutations(arg.value)]
        out[p] = [_possible(v, schema) for v in values]
        if "default" in schema and arg.value == schema["default"]:
            out[p].append("")
    return ExpectedCall(name=tool.name, arguments=out)


def _possible(value: Any, schema: dict[str, Any]) -> Any:
    """A value in possible-answer form: inside objects, each key maps to its list of acceptable values."""
    if schema.get("type") == "object" and isinstance(value, dict):
        props = schema.get("properties", {})
        sub = schema.get("additionalProperties") or {}
        out = {k: [_possible(v, props.get(k, sub))] for k, v in value.items()}
        out.update({k: [""] for k in props if k not in value})
        return out
    if schema.get("type") == "array" and schema.get("items", {}).get("type") == "object":
        return [_possible(v, schema["items"]) for v in value]
    return value


def _lower(p: Phrase) -> str:
    """The sentence with a lower-case first letter, unless it starts with a value, "I" or an acronym ("GCD")."""
    keep = not p.lowerable or not p.text[1:2].islower()
    return p.text if keep else p.text[0].lower() + p.text[1:]


def _words(n: int) -> str:
    return ("Two", "Three", "Four", "Five")[n - 2]


def _lead(ps: list[Phrase], leads: tuple[str, ...], first: str = "") -> str:
    head = f"{first} {_lower(ps[0])}" if first else ps[0].text
    rest = [f"{leads[min(i, len(leads) - 1)]} {_lower(p)}" for i, p in enumerate(ps[1:])]
    return " ".join([head, *rest])


#: Ways to join several requests into one message; every 3rd is test-only (see `joiners`).
JOINERS: tuple[Callable[[list[Phrase]], str], ...] = (
    lambda ps: " ".join(p.text for p in ps),
    lambda ps: _lead(ps, ("Also,", "Plus,", "And")),
    lambda ps: "Could you take care of these?\n" + "\n".join(f"- {p.text}" for p in ps),
    lambda ps: "I need a few things:\n" + "\n".join(f"{i}. {p.text}" for i, p in enumerate(ps, 1)),
    lambda ps: _lead(ps, ("Then,", "After that,", "Finally,"), first="First,"),
    lambda ps: f"{_words(len(ps))} requests: " + " ".join(f"({i}) {p.text}" for i, p in enumerate(ps, 1)),
    lambda ps: "\n".join(p.text for p in ps),
    lambda ps: "A couple of things. " + _lead(ps, ("On top of that,", "And")),
    lambda ps: _lead(ps, ("Additionally,", "Lastly,")),
)


def joiners(split: Split) -> tuple[Callable[[list[Phrase]], str], ...]:
    """This split's ways of joining requests."""
    return part(JOINERS, split, 3)

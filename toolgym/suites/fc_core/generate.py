"""Generate the fc-core suite: single-turn function-calling tasks in five BFCL-style categories.

* simple: one tool offered, one call;
* multiple: 2-5 tools offered, one call to the right one;
* parallel: one tool, several calls from one request;
* parallel_multiple: several tools, several calls;
* irrelevance: no offered tool can do what is asked, so the right answer is no call.

Generation is a pure function of (seed, sizes): one `random.Random` per split, lists in fixed order,
no global state. Train and test share no phrasing template and no open argument value (`values.py`).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache, lru_cache

from ...errors import UserError
from ...types import Expected, ExpectedCall, Message, Split, Task, Tool
from ..suite import Suite
from . import calendar, files, maps, maths, messaging, money, pools, shopping, travel, units, weather
from .templates import JOINERS, Phrase, Spec, expected_call, joiners, phrase
from .values import Arg, Draw

__all__ = ["CATEGORIES", "SPECS", "TOOLS", "build_fc_core", "fc_core"]

SPECS: tuple[Spec, ...] = tuple(
    s for m in (weather, money, calendar, maps, travel, units, messaging, files, maths, shopping) for s in m.SPECS
)
TOOLS: tuple[Tool, ...] = tuple(s.tool for s in SPECS)

#: Share of each category in a split (irrelevance ~15%).
CATEGORIES: dict[str, float] = {
    "simple": 0.25, "multiple": 0.25, "parallel": 0.175, "parallel_multiple": 0.175, "irrelevance": 0.15,
}

#: Tools one could plausibly call for the other's request: never offered as each other's distractor.
_CONFUSABLE = (
    ("get_current_weather", "get_weather_forecast"), ("convert_currency", "get_exchange_rate"),
    ("get_directions", "calculate_distance"), ("create_event", "set_reminder"),
    ("book_hotel", "find_nearby_places"), ("search_flights", "get_directions"),
    ("search_flights", "calculate_distance"), ("get_flight_status", "track_package"),
    ("search_emails", "search_files"),
)
_NEAR: dict[str, frozenset[str]] = {
    name: frozenset(other for p in _CONFUSABLE if name in p for other in p if other != name)
    for pair in _CONFUSABLE for name in pair
}
#: Domains whose tools are offered with off-topic requests (none of them writes or sends text).
_OFF_TOPIC_DOMAINS = ("weather", "money", "calendar", "maps", "travel", "units", "maths")


def _confusable(a: Spec, b: Spec) -> bool:
    return b.tool.name in _NEAR.get(a.tool.name, ())


@dataclass
class _Draft:
    text: str
    tools: list[Tool]
    calls: list[ExpectedCall]
    domain: str
    template: str


class _Cycle:
    """Specs in shuffled rounds, so every tool gets its share of tasks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.queue: list[Spec] = []

    def next(self) -> Spec:
        if not self.queue:
            self.queue = list(SPECS)
            self.rng.shuffle(self.queue)
        return self.queue.pop()


def _args(spec: Spec, d: Draw) -> dict[str, Arg] | None:
    for _ in range(20):
        args = spec.sample(d)
        if spec.valid(args):
            return args
    return None


def _one(
    spec: Spec, d: Draw, fixed: dict[str, bool], used: set[str] | None = None
) -> tuple[Phrase, ExpectedCall] | None:
    """One call of `spec`, worded consistently with what earlier sentences stated (`fixed`, `used`)."""
    args = _args(spec, d)
    p = phrase(spec, d, args, fixed, frozenset(used or ())) if args else None
    if args is None or p is None:
        return None
    for name in spec.tool.parameters["properties"]:
        fixed.setdefault(name, name in p.mentioned)
    if used is not None:
        used.add(p.template)
    return p, expected_call(spec.tool, args, p.mentioned)


def _distinct(calls: list[ExpectedCall]) -> bool:
    keys = [json.dumps(c.model_dump(), sort_keys=True) for c in calls]
    return len(set(keys)) == len(keys)


@lru_cache(maxsize=4096)
def _distractors(chosen: tuple[Spec, ...], same_domain: bool) -> tuple[list[Spec], list[Spec]]:
    """Specs that may be offered beside `chosen`: (same domain, other domains), in SPECS order."""
    pool = [s for s in SPECS if s not in chosen and not any(_confusable(s, c) for c in chosen)]
    domains = {c.domain for c in chosen}
    near = [s for s in pool if same_domain and s.domain in domains]
    return near, [s for s in pool if s not in near]


def _others(d: Draw, chosen: list[Spec], k: int, same_domain: bool) -> list[Tool]:
    """`k` distractor tools, none of them confusable with a chosen one; some from the same domain."""
    near, far = _distractors(tuple(chosen), same_domain)
    n_near = min(len(near), d.rng.randint(0, k))
    return [s.tool for s in d.rng.sample(near, n_near) + d.rng.sample(far, k - n_near)]


def _offer(d: Draw, tools: list[Tool]) -> list[Tool]:
    d.rng.shuffle(tools)
    return tools


def _joined(d: Draw, phrases: list[Phrase]) -> tuple[str, str]:
    join = d.choice(joiners(d.split))
    return join(phrases), "+".join([f"join:{JOINERS.index(join)}", *(p.template for p in phrases)])


def _simple(d: Draw, cycle: _Cycle) -> _Draft | None:
    spec = cycle.next()
    got = _one(spec, d, {})
    return _Draft(got[0].text, [spec.tool], [got[1]], spec.domain, got[0].template) if got else None


def _multiple(d: Draw, cycle: _Cycle) -> _Draft | None:
    spec = cycle.next()
    got = _one(spec, d, {})
    if got is None:
        return None
    tools = _offer(d, [spec.tool, *_others(d, [spec], d.rng.randint(1, 4), same_domain=True)])
    return _Draft(got[0].text, tools, [got[1]], spec.domain, got[0].template)


def _parallel(d: Draw, cycle: _Cycle) -> _Draft | None:
    spec = cycle.next()
    n = d.choice((2, 2, 2, 3, 3, 4))
    if spec.together and d.rng.random() < 0.5:
        return _together(d, spec, n)
    fixed: dict[str, bool] = {}
    used: set[str] = set()
    got = [_one(spec, d, fixed, used) for _ in range(n)]
    if None in got or not _distinct([g[1] for g in got]):  # type: ignore[index]
        return None
    text, template = _joined(d, [g[0] for g in got])  # type: ignore[index]
    return _Draft(text, [spec.tool], [g[1] for g in got], spec.domain, template)  # type: ignore[index]


def _together(d: Draw, spec: Spec, n: int) -> _Draft | None:
    """Several calls of one tool from one sentence that lists the values of the starred parameter."""
    t = d.choice(spec.joint_phrasings(d.split))
    base = _args(spec, d)
    if base is None or t.star is None:
        return None
    values = [base[t.star]]
    for _ in range(10 * n):
        extra = spec.sample(d)[t.star]
        if len(values) < n and spec.valid({**base, t.star: extra}) and extra.value not in [v.value for v in values]:
            values.append(extra)
    if len(values) < n or any("," in v.text for v in values):  # "1,500, 2,000 and 30" reads ambiguously
        return None
    include = frozenset(p for p in t.optional if d.rng.random() < 0.5)
    mentioned = spec.expand(t.plain | include)
    text = t.render(base, include, d.say_list([v.text for v in values]))
    calls = [expected_call(spec.tool, {**base, t.star: v}, mentioned) for v in values]
    return _Draft(text, [spec.tool], calls, spec.domain, t.id)


def _parallel_multiple(d: Draw, cycle: _Cycle) -> _Draft | None:
    chosen: list[Spec] = []
    k = d.choice((2, 2, 3))
    while len(chosen) < k:
        s = cycle.next()
        if s not in chosen and not any(_confusable(s, c) for c in chosen):
            chosen.append(s)
    entries = list(chosen)
    if len(entries) < 4 and d.rng.random() < 0.35:
        entries.append(d.choice(chosen))
    d.rng.shuffle(entries)
    fixed: dict[str, bool] = {}
    used: set[str] = set()
    got = [_one(s, d, fixed, used) for s in entries]
    if None in got or not _distinct([g[1] for g in got]):  # type: ignore[index]
        return None
    text, template = _joined(d, [g[0] for g in got])  # type: ignore[index]
    tools = _offer(d, [s.tool for s in chosen] + _others(d, chosen, d.rng.randint(0, 2), same_domain=False))
    domains = sorted({s.domain for s in chosen})
    return _Draft(text, tools, [g[1] for g in got], domains[0] if len(domains) == 1 else "mixed", template)  # type: ignore[index]


def _irrelevance(d: Draw, cycle: _Cycle) -> _Draft | None:
    k = d.rng.randint(1, 3)
    if d.rng.random() < 0.6:
        spec = cycle.next()
        got = _one(spec, d, {})
        if got is None:
            return None
        pool = [s for s in SPECS if s.domain != spec.domain and not _confusable(s, spec)]
        return _Draft(got[0].text, [s.tool for s in d.rng.sample(pool, k)], [], spec.domain, got[0].template)
    request = d.pick(pools.OFF_TOPIC)
    pool = [s for s in SPECS if s.domain in _OFF_TOPIC_DOMAINS]
    text = request.format(topic=d.word(), name=d.first())
    tools = [s.tool for s in d.rng.sample(pool, k)]
    return _Draft(text, tools, [], "none", f"offtopic:{pools.OFF_TOPIC.index(request)}")


_MAKERS = {"simple": _simple, "multiple": _multiple, "parallel": _parallel,
           "parallel_multiple": _parallel_multiple, "irrelevance": _irrelevance}


def _counts(n: int) -> list[tuple[str, int]]:
    """Split `n` over the categories by largest remainder."""
    exact = {c: n * share for c, share in CATEGORIES.items()}
    counts = {c: int(x) for c, x in exact.items()}
    for c in sorted(exact, key=lambda c: counts[c] - exact[c])[: n - sum(counts.values())]:
        counts[c] += 1
    return list(counts.items())


def _tasks(split: Split, n: int, rng: random.Random) -> list[Task]:
    d, cycle, out = Draw(rng, split), _Cycle(rng), []
    for category, k in _counts(n):
        for i in range(k):
            draft = next(filter(None, (_MAKERS[category](d, cycle) for _ in range(500))), None)
            if draft is None:  # a draft fails now and then (no template fits); 500 in a row is a bug
                raise RuntimeError(f"fc-core: cannot make a {category} task; check the specs")
            messages = [Message(role="user", content=draft.text)]
            if rng.random() < 0.3:
                messages.insert(0, Message(role="system", content=d.pick(pools.SYSTEM_PROMPTS, period=3)))
            out.append(Task(
                id=f"fc-core/{split}/{category}/{i:04d}", messages=messages, tools=draft.tools, category=category,
                split=split, expected=Expected(calls=draft.calls),
                metadata={"domain": draft.domain, "template": draft.template},
            ))
    return out


def build_fc_core(seed: int = 0, n_train: int = 400, n_test: int = 400) -> Suite:
    """Build the fc-core suite: `n_train` train and `n_test` test tasks, a pure function of the arguments.

    Examples:
        >>> suite = build_fc_core(seed=0, n_train=40, n_test=40)
        >>> len(suite.split("test")), suite.tasks[0].id
        (40, 'fc-core/train/simple/0000')
    """
    if n_train < 0 or n_test < 0:
        raise UserError(f"fc-core: n_train and n_test must be >= 0, got n_train={n_train}, n_test={n_test}")
    tasks: list[Task] = []
    for split, n in (("train", n_train), ("test", n_test)):
        tasks += _tasks(split, n, random.Random(f"fc-core:{seed}:{split}"))  # type: ignore[arg-type]
    return Suite(name="fc-core", tasks=tasks)


@cache
def fc_core() -> Suite:
    """The default fc-core suite (seed 0, 400 train and 400 test tasks), built once per process."""
    return build_fc_core()

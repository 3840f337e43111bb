"""Argument values for fc-core tasks: what a call gets and how the request spells it.

Train and test never share an open value. Two fixed rules cut every source in two:

* a word pool (`pools.py`) gives its items at positions `i % period == period - 1` to test;
* a generated value (a number, a date, a code) goes to test when the CRC-32 of its canonical text
  is divisible by 4, and `Draw` redraws until it lands on its own side.

Closed vocabularies (enums, booleans) are the same on both sides: they are the tools' schema.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ...types import Split
from . import pools

__all__ = ["Arg", "Draw", "part", "side"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve")


@dataclass(frozen=True)
class Arg:
    """One argument of an expected call: its value, how the request says it, and other values that fit."""

    value: Any
    """The canonical value a correct call passes."""
    text: str = ""
    """How the request spells the value (defaults to `str(value)`)."""
    also: tuple[Any, ...] = ()
    """Other acceptable values (another spelling of the same thing)."""
    unordered: bool = False
    """For a list whose order carries no meaning: every order of its items is acceptable."""

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", str(self.value))


@lru_cache(maxsize=512)
def part(items: tuple[Any, ...], split: Split, period: int = 4) -> tuple[Any, ...]:
    """The items of `items` that belong to `split`: every `period`-th one goes to test."""
    return tuple(x for i, x in enumerate(items) if (i % period == period - 1) == (split == "test"))


def side(value: Any) -> Split:
    """The split a generated value belongs to, from its canonical text (2.0 and 2 are one value)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "test" if zlib.crc32(repr(value).encode()) % 4 == 0 else "train"


def _round_amount(x: float, rng: random.Random) -> float:
    """Round a raw draw the way prices and sums look: 37.49, 250, 1,250, 48,000."""
    if x < 100:
        return round(x, 2) if rng.random() < 0.5 else float(round(x))
    step = 1 if x < 1000 else rng.choice((5, 10, 50)) if x < 10000 else rng.choice((100, 500, 1000))
    return float(max(step, round(x / step) * step))


class Draw:
    """Draws values of one split from a seeded RNG (no global random state)."""

    def __init__(self, rng: random.Random, split: Split) -> None:
        self.rng = rng
        self.split: Split = split

    # -- primitives -------------------------------------------------------------------------------

    def choice(self, seq: tuple[Any, ...] | list[Any]) -> Any:
        """One item of `seq`, whatever the split (for closed vocabularies and phrasings)."""
        return seq[self.rng.randrange(len(seq))]

    def pick(self, pool: tuple[Any, ...], period: int = 4) -> Any:
        """One item of this split's part of a pool."""
        return self.choice(part(pool, self.split, period))

    def own(self, make: Any) -> Any:
        """Call `make()` until its value falls on this split's side (see `side`)."""
        for _ in range(200):
            value = make()
            if side(value) == self.split:
                return value
        raise RuntimeError(f"no {self.split} value found; widen the range")  # a bug in a spec, not user input

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi] of this split."""
        return self.own(lambda: self.rng.randint(lo, hi))

    def number(self, lo: float, hi: float, places: int = 2) -> float:
        """A decimal number in [lo, hi] with at most `places` decimals, of this split."""
        return self.own(lambda: round(self.rng.uniform(lo, hi), places))

    def quantity(self, lo: float, hi: float) -> float:
        """A measurement between lo and hi, spread evenly over orders of magnitude, with few decimals."""

        def make() -> float:
            x = self.rng.uniform(lo, hi) if lo <= 0 else lo * (hi / lo) ** self.rng.random()
            places = 0 if abs(x) >= 100 and self.rng.random() < 0.7 else self.choice((0, 1, 1, 2))
            return float(round(x, places)) or 1.0

        return self.own(make)

    def code(self, pattern: str) -> str:
        """A code from a pattern: `#` a digit, `A` an upper-case letter, `*` either; other characters kept."""
        alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

        def make() -> str:
            out = []
            for c in pattern:
                if c == "#":
                    out.append(str(self.rng.randrange(10)))
                elif c == "A":
                    out.append(chr(65 + self.rng.randrange(26)))
                elif c == "*":
                    out.append(self.choice(alnum))
                else:
                    out.append(c)
            return "".join(out)

        return self.own(make)

    # -- entities ---------------------------------------------------------------------------------

    def city(self) -> str:
        """A city name."""
        return self.pick(pools.CITIES)

    def country(self) -> str:
        """A country name as it reads mid-sentence ("the Netherlands")."""
        return self.pick(pools.COUNTRIES)

    def first(self) -> str:
        """A first name."""
        return self.pick(pools.FIRST_NAMES)

    def person(self) -> str:
        """A full name."""
        return f"{self.first()} {self.pick(pools.LAST_NAMES)}"

    def email(self, name: str | None = None) -> str:
        """An e-mail address of an invented person (of `name`, "First Last", when given)."""
        first, last = (name or f"{self.first()} {self.pick(pools.LAST_NAMES)}").lower().split(" ", 1)
        last = last.replace(" ", "")
        local = self.choice((f"{first}.{last}", f"{first}{last[0]}", f"{first[0]}{last}", first))
        return f"{local}@{self.pick(pools.EMAIL_DOMAINS)}"

    def phone(self) -> str:
        """A phone number in international format."""
        return self.code(self.choice(("+1 ### ### ####", "+44 #### ######", "+351 ### ### ###",
                                      "+49 ### #######", "+61 # #### ####", "+33 # ## ## ## ##")))

    def word(self) -> str:
        """A topic noun (lower case)."""
        return self.pick(pools.WORDS)

    def item(self) -> str:
        """A thing people buy (lower case)."""
        return self.pick(pools.ITEMS)

    def street(self) -> str:
        """A street address without the city ("42 Maple Street")."""
        kind = self.pick(pools.STREET_KINDS, period=5)
        return f"{self.integer(1, 480)} {self.pick(pools.STREETS)} {kind}"

    def date(self, first_year: int = 2024, last_year: int = 2027) -> str:
        """An ISO date (YYYY-MM-DD) in the given years."""
        lo, hi = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
        return self.own(lambda: date.fromordinal(self.rng.randint(lo, hi)).isoformat())

    def date_after(self, iso: str, lo: int, hi: int) -> str:
        """An ISO date `lo`..`hi` days after `iso`, of this split."""
        start = date.fromisoformat(iso)
        return self.own(lambda: (start + timedelta(days=self.rng.randint(lo, hi))).isoformat())

    def time(self) -> str:
        """A time of day (HH:MM, 24-hour) on the quarter hour, between 07:00 and 21:45."""
        return self.own(lambda: f"{self.rng.randint(7, 21):02d}:{self.choice((0, 15, 30, 45)):02d}")

    def path(self, ext: str | None = None, user: str | None = None) -> str:
        """A file path such as `/home/ana/reports/budget_2025.xlsx`."""
        user = user or self.first().lower()
        stem = self.choice((self.word(), f"{self.word()}_{self.word()}", f"{self.word()}-{self.word()}",
                            f"{self.word()}_{self.integer(2019, 2027)}", f"{self.word()}_v{self.integer(2, 9)}"))
        ext = ext or self.pick(pools.EXTENSIONS)
        return f"/home/{user}/{self.pick(pools.FOLDERS)}/{stem}.{ext}"

    def folder(self, user: str | None = None) -> str:
        """A directory path such as `/home/ana/reports`."""
        return f"/home/{user or self.first().lower()}/{self.pick(pools.FOLDERS)}"

    # -- arguments: a value with its spelling ------------------------------------------------------

    def int_arg(self, lo: int, hi: int) -> Arg:
        """An integer in [lo, hi], spelled with `say_int`."""
        n = self.integer(lo, hi)
        return Arg(n, self.say_int(n))

    def number_arg(self, lo: float, hi: float) -> Arg:
        """A number with one or two decimals, spelled as written."""
        x = self.number(lo, hi, self.choice((1, 2)))
        return Arg(x, self.say_number(x))

    def money_arg(self, lo: float, hi: float, symbol: bool = True) -> Arg:
        """An amount of money as people write it (cents when small, round when large), maybe after a sign."""
        x = self.own(lambda: _round_amount(lo * (hi / lo) ** self.rng.random(), self.rng))
        sign = self.choice(("$", "€", "£", "")) if symbol else ""
        return Arg(x, sign + self.say_money(x))

    def date_arg(self, first_year: int = 2024, last_year: int = 2027) -> Arg:
        """An ISO date, spelled ISO or in words."""
        iso = self.date(first_year, last_year)
        return Arg(iso, self.say_date(iso))

    def time_arg(self) -> Arg:
        """An HH:MM time, spelled 24-hour or 12-hour."""
        t = self.time()
        return Arg(t, self.say_time(t))

    def emails_arg(self, lo: int, hi: int) -> Arg:
        """Between `lo` and `hi` distinct e-mail addresses, in any order."""
        emails: list[str] = []
        n = self.rng.randint(lo, hi)
        while len(emails) < n:
            e = self.email()
            if e not in emails:
                emails.append(e)
        return Arg(emails, self.say_list(emails), unordered=True)

    # -- spellings --------------------------------------------------------------------------------

    def say_int(self, n: int) -> str:
        """How a request writes an integer: digits, thousands separators, or a word when small."""
        if 2 <= n <= 12 and self.rng.random() < 0.25:
            return _SMALL[n]
        if n >= 1000 and self.rng.random() < 0.5:
            return f"{n:,}"
        return str(n)

    def say_number(self, x: float) -> str:
        """How a request writes a decimal number."""
        if x == int(x):
            return self.say_int(int(x)) if abs(x) < 1e15 and x >= 0 else str(int(x))
        return f"{x:,}" if abs(x) >= 1000 and self.rng.random() < 0.5 else repr(x)

    def say_digits(self, x: float) -> str:
        """A number in digits, sometimes with thousands separators (never as a word)."""
        if x.is_integer():
            return f"{int(x):,}" if abs(x) >= 1000 and self.rng.random() < 0.5 else str(int(x))
        return f"{x:,}" if abs(x) >= 1000 and self.rng.random() < 0.5 else repr(x)

    def say_money(self, x: float) -> str:
        """How a request writes an amount of money (`1,250.50`, `1250.5`, `300`)."""
        if x == int(x):
            return f"{int(x):,}" if x >= 1000 and self.rng.random() < 0.5 else str(int(x))
        return self.choice((f"{x:,.2f}", f"{x:.2f}"))

    def say_date(self, iso: str) -> str:
        """How a request writes a date: ISO, `March 4, 2026` or `4 March 2026`."""
        d = date.fromisoformat(iso)
        return self.choice((iso, iso, f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
                            f"{d.day} {_MONTHS[d.month - 1]} {d.year}"))

    def say_time(self, hhmm: str) -> str:
        """How a request writes a time: `14:30`, `2:30 PM` or `2:30pm`."""
        h, m = int(hhmm[:2]), hhmm[3:]
        twelve = f"{(h - 1) % 12 + 1}:{m}"
        suffix = "AM" if h < 12 else "PM"
        return self.choice((hhmm, hhmm, f"{twelve} {suffix}", f"{twelve}{suffix.lower()}"))

    def say_list(self, texts: list[str]) -> str:
        """`a`, `a and b`, `a, b and c` (sometimes with an Oxford comma)."""
        if len(texts) == 1:
            return texts[0]
        comma = "," if len(texts) > 2 and self.rng.random() < 0.3 else ""
        return f"{', '.join(texts[:-1])}{comma} and {texts[-1]}"

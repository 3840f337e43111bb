"""vision-core task generators: one function per category, each drawing a scene, a request and gold actions.

Train and test are disjoint in wording and in values: each category has its own request templates per
split; merchants, towns, people and series names come from separate lists; amounts have odd cents
(test) or even cents (train) and chart values are odd (test) or even (train). So a model trained on
the train split cannot have seen a test task's request or any value it must read.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...types import ToolCall
from ..gold import call

__all__ = ["GENERATORS", "Draft"]

MERCHANTS = {"train": ("Corner Bakery", "Blue Lagoon Cafe", "Metro Hardware", "Sunny Books", "Fresh Mart"),
             "test": ("Harbor Deli", "Pine Street Pharmacy", "Atlas Outdoor", "Velvet Noodles", "City Florist")}
ITEMS = ("Coffee", "Bagel", "Notebook", "Batteries", "Sandwich", "Tea", "Soap", "Apples", "Pens", "Juice")
TOWNS = {"train": ("Ashford", "Brampton", "Carlow", "Dunmore", "Elgin"),
         "test": ("Fairhaven", "Glenrock", "Hollins", "Ivybridge", "Kestrel")}
PEOPLE = {"train": ("Ana Lima", "Ben Ortiz", "Chen Wei", "Dara Kaye"),
          "test": ("Eli Novak", "Fatma Sen", "Gus Moreau", "Hana Ito")}
SERIES = {"train": ("Visitors", "Orders", "Rainfall mm"), "test": ("Tickets", "Signups", "Sunshine h")}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
CURRENCIES = ("USD", "GBP", "CHF", "CAD")
COLORS = ("blue", "green", "brown", "orange")

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "receipt_convert": {"train": ("Convert the total of this receipt to {target}.",
                                  "How much is this receipt's total in {target}? Use the converter."),
                        "test": ("What is the receipt total worth in {target}? Convert it.",
                                 "Please turn the amount due on this receipt into {target}.")},
    "receipt_expense": {"train": ("File this receipt as an expense.", "Submit an expense claim for this receipt."),
                        "test": ("Please record this receipt in my expenses.",
                                 "I need this purchase reimbursed: log the expense.")},
    "bar_log": {"train": ("Log the {label} value shown in this chart.", "Record the {label} bar of this chart."),
                "test": ("Read the bar for {label} and log it.", "Add the chart's {label} figure to the log.")},
    "line_peak": {"train": ("Log the highest point of this line chart.", "Record the peak of this chart."),
                  "test": ("Which month tops this chart? Log that point.", "Log the maximum shown in the chart.")},
    "table_expense": {"train": ("File an expense for the {item} in this price list.",
                                "Record the {item} from this price table as an expense."),
                      "test": ("I bought the {item} listed here: log it as an expense.",
                               "Claim the {item} price from this list as an expense.")},
    "form_submit": {"train": ("Submit this paper form.", "Enter this form into the system."),
                    "test": ("Please send in the form in this photo.",
                             "Type this scanned form into the office system.")},
    "sign_navigate": {"train": ("Take me to the town this sign points to.", "Navigate to the place on this sign."),
                      "test": ("Drive to the destination written on the sign.", "Set a route to the sign's town.")},
    "zoom_expense": {"train": ("The photo 'receipt' is too small to read. Zoom in on it, then file it as an expense.",
                               "Zoom into 'receipt' to read it, then submit it as an expense."),
                     "test": ("'receipt' is a tiny thumbnail: enlarge it with zoom and record the expense.",
                              "Use zoom on the image 'receipt' and then log that expense.")},
    "crop_expense": {"train": ("Crop the bottom half of 'prices' to read it, then file the {item} as an expense.",
                               "Look at the lower half of 'prices' with crop and claim the {item}."),
                     "test": ("The {item} is near the bottom of 'prices': crop that part and record its expense.",
                              "Crop 'prices' to its bottom half and log the {item} as an expense.")},
    "render_log": {"train": ("Render the '{series}' chart and log its {label} value.",
                             "Draw the series '{series}' and record the {label} point."),
                   "test": ("Show me '{series}' as a chart, then log the {label} figure.",
                            "Plot '{series}' and add its {label} value to the log.")},
    "irrelevance": {"train": ("What is written on the first line of this sign? Just tell me.",
                              "Read me the sign's first line; nothing else is needed."),
                    "test": ("Which word is at the top of this sign? Answer in text.",
                             "Tell me what the sign's top line says.")},
}


@dataclass
class Draft:
    """A generated task before it becomes a Task: its request, pictures, state and gold actions."""

    category: str
    text: str
    shown: list[tuple[str, float]]
    """Images put in the prompt: (scene name, scale)."""
    scenes: dict[str, dict[str, Any]]
    gold: list[ToolCall]
    facts: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    series: dict[str, dict[str, Any]] = field(default_factory=dict)


class Draw:
    """Random draws for one task, kept to its split's values."""

    def __init__(self, rng: random.Random, split: str) -> None:
        self.rng, self.split = rng, split

    def text(self, category: str, **fields: Any) -> str:
        return self.rng.choice(TEMPLATES[category][self.split]).format(**fields)

    def pick(self, pool: dict[str, tuple[str, ...]]) -> str:
        return self.rng.choice(pool[self.split])

    def amount(self, low: int, high: int) -> float:
        """An amount with odd cents (test) or even, non-zero cents (train)."""
        cents = self.rng.randrange(1, 50) * 2 - (1 if self.split == "test" else 0)
        return round(self.rng.randrange(low, high) + cents / 100, 2)

    def value(self, low: int, high: int) -> int:
        """An odd (test) or even (train) whole number in [low, high)."""
        return self.rng.randrange(low // 2, high // 2) * 2 + (1 if self.split == "test" else 0)

    def receipt(self) -> dict[str, Any]:
        items = [[name, self.amount(1, 30)] for name in self.rng.sample(ITEMS, self.rng.randint(2, 4))]
        odd = self.split == "test"
        while (cents := round(sum(price for _, price in items) * 100)) % 2 != odd or cents % 100 == 0:
            items[0][1] = round(items[0][1] + 0.01, 2)  # the total keeps its split's parity too
        return {"kind": "receipt", "merchant": self.pick(MERCHANTS),
                "date": f"2026-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}", "items": items,
                "currency": self.rng.choice(CURRENCIES), "total": round(cents / 100, 2)}

    def chart(self, kind: str) -> dict[str, Any]:
        labels = list(MONTHS[: self.rng.randint(4, 6)])
        values = [v * 2 + (self.split == "test") for v in self.rng.sample(range(5, 50), len(labels))]  # distinct
        return {"kind": kind, "title": self.pick(SERIES), "labels": labels, "values": values}

    def prices(self) -> dict[str, Any]:
        rows = [[name, f"{self.amount(2, 60):.2f}", str(self.rng.randint(1, 40))] for name in self.rng.sample(ITEMS, 6)]
        return {"kind": "table", "title": self.pick(MERCHANTS), "header": ["Item", "Price", "Stock"], "rows": rows,
                "currency": self.rng.choice(CURRENCIES)}


def receipt_convert(d: Draw) -> Draft:
    r, target = d.receipt(), d.rng.choice(("EUR", "JPY"))
    return Draft("receipt_convert", d.text("receipt_convert", target=target), [("receipt", 1.0)], {"receipt": r},
                 [call("convert_currency", amount=r["total"], from_currency=r["currency"], to_currency=target)],
                 required=["convert_currency"])


def _expense(r: dict[str, Any]) -> ToolCall:
    return call("record_expense", merchant=r["merchant"], amount=r["total"], currency=r["currency"])


def receipt_expense(d: Draw) -> Draft:
    r = d.receipt()
    return Draft("receipt_expense", d.text("receipt_expense"), [("receipt", 1.0)], {"receipt": r}, [_expense(r)])


def bar_log(d: Draw) -> Draft:
    c = d.chart("bar")
    i = d.rng.randrange(len(c["labels"]))
    return Draft("bar_log", d.text("bar_log", label=c["labels"][i]), [("chart", 1.0)], {"chart": c},
                 [call("log_value", series=c["title"], label=c["labels"][i], value=c["values"][i])])


def line_peak(d: Draw) -> Draft:
    c = d.chart("line")
    i = c["values"].index(max(c["values"]))
    return Draft("line_peak", d.text("line_peak"), [("chart", 1.0)], {"chart": c},
                 [call("log_value", series=c["title"], label=c["labels"][i], value=c["values"][i])])


def _table_row(d: Draw, t: dict[str, Any], rows: range) -> tuple[str, ToolCall]:
    name, price, _ = t["rows"][d.rng.choice(rows)]
    return name, call("record_expense", merchant=t["title"], amount=float(price), currency=t["currency"])


def table_expense(d: Draw) -> Draft:
    t = d.prices()
    t["title"] = f"{t['title']} ({t['currency']})"
    item, gold = _table_row(d, t, range(6))
    return Draft("table_expense", d.text("table_expense", item=item), [("prices", 1.0)], {"prices": t}, [gold])


def form_submit(d: Draw) -> Draft:
    name, amount = d.pick(PEOPLE), d.amount(50, 900)
    date = f"2026-{d.rng.randint(1, 12):02d}-{d.rng.randint(1, 28):02d}"
    form = {"kind": "form", "title": "Refund request", "fields": [["Name", name], ["Date", date],
                                                                    ["Amount", f"{amount:.2f}"]]}
    return Draft("form_submit", d.text("form_submit"), [("form", 1.0)], {"form": form},
                 [call("submit_form", name=name, date=date, amount=amount)])


def sign_navigate(d: Draw) -> Draft:
    town = d.pick(TOWNS)
    sign = {"kind": "sign", "color": d.rng.choice(COLORS), "lines": [f"{town} {d.rng.randint(2, 60)} km"]}
    return Draft("sign_navigate", d.text("sign_navigate"), [("sign", 1.0)], {"sign": sign},
                 [call("navigate", destination=town)])


def zoom_expense(d: Draw) -> Draft:
    r = d.receipt()
    return Draft("zoom_expense", d.text("zoom_expense"), [("receipt", 0.3)], {"receipt": r},
                 [call("zoom", image="receipt"), _expense(r)], required=["zoom"])


def crop_expense(d: Draw) -> Draft:
    t = d.prices()
    t["title"] = f"{t['title']} ({t['currency']})"
    item, gold = _table_row(d, t, range(4, 6))  # rows 5 and 6 lie in the bottom half
    return Draft("crop_expense", d.text("crop_expense", item=item), [("prices", 0.35)], {"prices": t},
                 [call("crop", image="prices", part="bottom"), gold], required=["crop"])


def render_log(d: Draw) -> Draft:
    c = d.chart("bar")
    i = d.rng.randrange(len(c["labels"]))
    return Draft("render_log", d.text("render_log", series=c["title"], label=c["labels"][i]), [], {},
                 [call("render_chart", series=c["title"]),
                  call("log_value", series=c["title"], label=c["labels"][i], value=c["values"][i])],
                 required=["render_chart"], series={c["title"]: {"labels": c["labels"], "values": c["values"]}})


def irrelevance(d: Draw) -> Draft:
    word = d.pick(TOWNS).upper()
    sign = {"kind": "sign", "color": d.rng.choice(COLORS), "lines": [word, d.rng.choice(("EXIT", "CENTRE", "NORTH"))]}
    return Draft("irrelevance", d.text("irrelevance"), [("sign", 1.0)], {"sign": sign}, [], facts=[word])


GENERATORS: tuple[Callable[[Draw], Draft], ...] = (
    receipt_convert, receipt_expense, bar_log, line_peak, table_expense, form_submit, sign_navigate,
    zoom_expense, crop_expense, render_log, irrelevance,
)

"""A small retail world drawn from a seed: a catalog, a few customers and their orders.

The database is one JSON object::

    {"products":  {"P101": {"product_id", "name", "variants": {"40213": {"item_id", "options", "price",
                                                                         "available"}}}},
     "customers": {"C1024": {"customer_id", "name": {"first", "last"}, "email", "address",
                             "payment_methods": {"credit_card_4412": {"kind", "last4"},
                                                 "gift_card_7781": {"kind", "balance"}},
                             "orders": ["W204817", ...]}},
     "orders":    {"W204817": {"order_id", "customer_id", "status", "items": [{"item_id", "product_id",
                               "name", "options", "price"}], "address", "payment_method_id", "total"}}}

Statuses: `pending` (not yet shipped), `processed` (shipped), `delivered`; the tools add `cancelled`,
`return requested` and `exchange requested`. Prices end in .49 or .99, so no sum of a few of them
ends in 0 and a stated amount reads the same however it is written.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

__all__ = ["CATALOG", "build_world", "describe_item"]

#: product id, name, option dimensions, base price
CATALOG: tuple[tuple[str, str, dict[str, tuple[str, ...]], int], ...] = (
    ("P101", "T-Shirt", {"color": ("black", "white", "navy", "olive"), "size": ("S", "M", "L", "XL")}, 19),
    ("P102", "Running Shoes", {"color": ("black", "grey", "red"), "size": ("8", "9", "10", "11")}, 89),
    ("P103", "Water Bottle", {"capacity": ("500ml", "750ml", "1l"), "color": ("blue", "green", "steel")}, 24),
    ("P104", "Backpack", {"color": ("black", "green", "grey"), "size": ("20L", "30L")}, 59),
    ("P105", "Desk Lamp", {"color": ("black", "white", "brass"), "bulb": ("LED", "halogen")}, 39),
    ("P106", "Headphones", {"color": ("black", "white", "blue"), "connection": ("wired", "wireless")}, 79),
    ("P107", "Coffee Mug", {"color": ("white", "black", "red"), "capacity": ("250ml", "350ml")}, 12),
    ("P108", "Yoga Mat", {"thickness": ("4mm", "6mm", "8mm"), "color": ("purple", "blue", "black")}, 29),
)

FIRST = ("Ava", "Noah", "Mia", "Liam", "Zoe", "Omar", "Lena", "Ravi", "Iris", "Hugo", "Nora", "Theo",
         "Maya", "Ezra", "Lucia", "Kenji", "Amara", "Felix", "Sofia", "Jonah", "Priya", "Mateo", "Elif", "Sven")
LAST = ("Garcia", "Nguyen", "Kowalski", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Haddad",
        "Fischer", "Brennan", "Rossi", "Patel", "Ivanova", "Mensah", "Dubois", "Santos", "Novak", "Sato", "Reyes")
STREETS = ("Oak Street", "Maple Avenue", "Cedar Lane", "Pine Road", "Elm Court", "Birch Way", "Lakeview Drive",
           "Hillcrest Road", "Willow Street", "Park Avenue", "River Road", "Sunset Boulevard", "Chestnut Street")
CITIES = (("Portland", "OR", "972"), ("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Madison", "WI", "537"),
          ("Raleigh", "NC", "276"), ("Boise", "ID", "837"), ("Tucson", "AZ", "857"), ("Albany", "NY", "122"),
          ("Columbus", "OH", "432"), ("Savannah", "GA", "314"), ("Burlington", "VT", "054"), ("Fresno", "CA", "937"))


def address(rng: random.Random) -> dict[str, str]:
    """A random street address."""
    city, state, prefix = rng.choice(CITIES)
    return {"street": f"{rng.randint(2, 998)} {rng.choice(STREETS)}", "city": city, "state": state,
            "zip": f"{prefix}{rng.randint(10, 99)}"}


def describe_item(item: dict[str, Any]) -> str:
    """How a customer names an item: `the navy T-Shirt (size M)`."""
    options = ", ".join(f"{k} {v}" for k, v in item["options"].items())
    return f"the {item['name']} ({options})"


class _Ids:
    """Unique numeric ids with a prefix, drawn from the world's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, prefix: str, digits: int) -> str:
        while True:
            value = f"{prefix}{self.rng.randint(10 ** (digits - 1), 10 ** digits - 1)}"
            if value not in self.used:
                self.used.add(value)
                return value


def _products(rng: random.Random, ids: _Ids) -> dict[str, Any]:
    products = {}
    for pid, name, dims, base in CATALOG:
        combos = list(itertools.product(*dims.values()))
        variants = {}
        for combo in rng.sample(combos, 4):
            item_id = ids.new("", 5)
            price = base + rng.choice((0, 2, 5, 10)) + rng.choice((0.49, 0.99))
            variants[item_id] = {"item_id": item_id, "options": dict(zip(dims, combo, strict=True)),
                                 "price": round(price, 2), "available": rng.random() < 0.75}
        products[pid] = {"product_id": pid, "name": name, "variants": variants}
    return products


def _customer(rng: random.Random, ids: _Ids, first: str, last: str) -> dict[str, Any]:
    cid = ids.new("C", 4)
    methods: dict[str, Any] = {}
    last4 = ids.new("", 4)
    methods[f"credit_card_{last4}"] = {"kind": "credit_card", "last4": last4}
    if rng.random() < 0.5:
        methods[f"gift_card_{ids.new('', 4)}"] = {"kind": "gift_card", "balance": float(rng.randint(2, 30) * 5)}
    if rng.random() < 0.5:
        methods[f"paypal_{ids.new('', 4)}"] = {"kind": "paypal"}
    return {"customer_id": cid, "name": {"first": first, "last": last},
            "email": f"{first}.{last}{rng.randint(10, 99)}@example.com".lower(), "address": address(rng),
            "payment_methods": methods, "orders": []}


def _order(rng: random.Random, ids: _Ids, customer: dict[str, Any], products: dict[str, Any]) -> dict[str, Any]:
    items = []
    for pid in sorted(rng.sample(sorted(products), rng.randint(1, 3))):
        variant = products[pid]["variants"][rng.choice(sorted(products[pid]["variants"]))]
        items.append({"item_id": variant["item_id"], "product_id": pid, "name": products[pid]["name"],
                      "options": dict(variant["options"]), "price": variant["price"]})
    cards = [m for m, v in customer["payment_methods"].items() if v["kind"] != "gift_card"]
    return {"order_id": ids.new("W", 6), "customer_id": customer["customer_id"],
            "status": rng.choice(("pending", "pending", "processed", "delivered", "delivered")),
            "items": items, "address": dict(customer["address"]), "payment_method_id": rng.choice(cards),
            "total": round(sum(round(i["price"] * 100) for i in items) / 100, 2)}


def build_world(seed: int | str, n_customers: int = 4) -> dict[str, Any]:
    """A fresh retail database drawn from `seed`; the same seed always gives the same database."""
    rng = random.Random(f"retail-world:{seed}")
    ids = _Ids(rng)
    products = _products(rng, ids)
    customers, orders = {}, {}
    for first, last in zip(rng.sample(FIRST, n_customers), rng.sample(LAST, n_customers), strict=True):
        customer = _customer(rng, ids, first, last)
        for _ in range(rng.randint(2, 3)):
            order = _order(rng, ids, customer, products)
            orders[order["order_id"]] = order
            customer["orders"].append(order["order_id"])
        customers[customer["customer_id"]] = customer
    return {"products": products, "customers": customers, "orders": orders}

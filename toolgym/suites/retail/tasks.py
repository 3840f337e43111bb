"""Retail task generators: one function per category, each drawing a request and its gold actions.

Every task starts with authentication (by email or by name and zip code) and lists it as a required
action; the categories then range from one call (what is my customer id?) to six or seven (cancel
one order, re-address another and update the profile). Categories ending in `_refused` ask for
something the policy forbids: their gold actions only look things up, so the goal state is the
initial state.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ...types import ToolCall
from ..gold import call
from .world import address, describe_item

__all__ = ["GENERATORS", "Draft", "Scene"]

GO_AHEAD = "Please go ahead, no need to confirm."


@dataclass
class Draft:
    """A generated request before it becomes a Task."""

    category: str
    text: str
    goal: str
    gold: list[ToolCall]
    facts: list[str] = field(default_factory=list)
    auth: Literal["email", "name"] | None = None


class Scene:
    """A world being prepared for one task: picks customers and orders, forcing statuses as needed."""

    def __init__(self, db: dict[str, Any], rng: random.Random) -> None:
        self.db = db
        self.rng = rng
        self.customer = db["customers"][rng.choice(sorted(db["customers"]))]
        self.taken: set[str] = set()

    def order(self, status: str, *, customer: dict[str, Any] | None = None) -> dict[str, Any]:
        """One of the customer's orders not used yet in this task, set to `status`."""
        owner = customer or self.customer
        free = [o for o in owner["orders"] if o not in self.taken]
        if not free:  # every customer has two orders; a third request gets a new one
            raise AssertionError("scene ran out of orders")
        order = self.db["orders"][self.rng.choice(free)]
        self.taken.add(order["order_id"])
        order["status"] = status
        return order

    def other_customer(self) -> dict[str, Any]:
        """A customer other than the one speaking."""
        others = sorted(c for c in self.db["customers"] if c != self.customer["customer_id"])
        return self.db["customers"][self.rng.choice(others)]

    def gift_card(self) -> str | None:
        """The speaking customer's gift card id, if they have one."""
        return next((m for m, v in self.customer["payment_methods"].items() if v["kind"] == "gift_card"), None)

    def swap(self, item: dict[str, Any], available: bool) -> dict[str, Any]:
        """Another variant of the item's product, made available or out of stock as asked."""
        variants = self.db["products"][item["product_id"]]["variants"]
        other = variants[self.rng.choice(sorted(v for v in variants if v != item["item_id"]))]
        other["available"] = available
        return other


def _where(a: dict[str, str]) -> str:
    return f"{a['street']}, {a['city']}, {a['state']} {a['zip']}"


def _second_person(text: str) -> str:
    return text.replace("I want", "You want").replace(" my ", " your ")


def _options(variant: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in variant["options"].items())


def order_status(s: Scene) -> Draft:
    o = s.order(s.rng.choice(("pending", "processed", "delivered")))
    text = s.rng.choice((f"What is the status of my order {o['order_id']}?",
                         f"Could you check order {o['order_id']} and tell me its status?"))
    return Draft("order_status", text, f"You want to know the status of order {o['order_id']}.",
                 [call("get_order", order_id=o["order_id"])], facts=[o["status"]])


def order_total(s: Scene) -> Draft:
    o = s.order(s.rng.choice(("pending", "processed", "delivered")))
    text = f"How much did I pay in total for order {o['order_id']}?"
    return Draft("order_total", text, f"You want to know the total of order {o['order_id']}.",
                 [call("get_order", order_id=o["order_id"])], facts=[f"{o['total']:.2f}"])


def customer_id(s: Scene) -> Draft:
    text = "I need my customer id for a form. What is it?"
    return Draft("customer_id", text, "You want to know your customer id.", [], facts=[s.customer["customer_id"]],
                 auth="name")


def cancel(s: Scene) -> Draft:
    o = s.order("pending")
    said, reason = s.rng.choice((("I no longer need it", "no longer needed"),
                                 ("I ordered it by mistake", "ordered by mistake")))
    text = f"Please cancel order {o['order_id']}, {said}. {GO_AHEAD}"
    return Draft("cancel", text, f"You want order {o['order_id']} cancelled because {said}.",
                 [call("get_order", order_id=o["order_id"]),
                  call("cancel_order", order_id=o["order_id"], reason=reason)])


def cancel_refused(s: Scene) -> Draft:
    o = s.order(s.rng.choice(("processed", "delivered")))
    text = f"Please cancel order {o['order_id']}, I no longer need it. {GO_AHEAD}"
    return Draft("cancel_refused", text, f"You want order {o['order_id']} cancelled because you no longer need it.",
                 [call("get_order", order_id=o["order_id"])])


def order_address(s: Scene) -> Draft:
    o, new = s.order("pending"), address(s.rng)
    text = f"Please ship order {o['order_id']} to {_where(new)} instead. {GO_AHEAD}"
    return Draft("order_address", text, f"You want order {o['order_id']} shipped to {_where(new)}.",
                 [call("get_order", order_id=o["order_id"]),
                  call("modify_order_address", order_id=o["order_id"], **new)])


def address_refused(s: Scene) -> Draft:
    o, new = s.order(s.rng.choice(("processed", "delivered"))), address(s.rng)
    text = f"Please change the shipping address of order {o['order_id']} to {_where(new)}. {GO_AHEAD}"
    return Draft("address_refused", text, f"You want order {o['order_id']} shipped to {_where(new)}.",
                 [call("get_order", order_id=o["order_id"])])


def profile_address(s: Scene) -> Draft:
    new = address(s.rng)
    text = f"I have moved. Please update the default address in my profile to {_where(new)}. {GO_AHEAD}"
    return Draft("profile_address", text, f"You want your profile address changed to {_where(new)}.",
                 [call("update_customer_address", customer_id=s.customer["customer_id"], **new)])


def _return(s: Scene, o: dict[str, Any]) -> tuple[str, list[ToolCall]]:
    items = s.rng.sample(o["items"], s.rng.randint(1, len(o["items"])))
    card = s.gift_card() if s.rng.random() < 0.5 else None
    where = "my gift card" if card else "the original payment method"
    what = " and ".join(describe_item(i) for i in items)
    ids = [i["item_id"] for i in items]
    text = f"I want to return {what} from order {o['order_id']}, with the refund to {where}."
    return text, [call("get_order", order_id=o["order_id"]),
                  call("return_items", order_id=o["order_id"], item_ids=ids,
                       payment_method_id=card or o["payment_method_id"])]


def return_items(s: Scene) -> Draft:
    o = s.order("delivered")
    text, gold = _return(s, o)
    return Draft("return", f"{text} {GO_AHEAD}", _second_person(text), gold)


def return_refused(s: Scene) -> Draft:
    o = s.order(s.rng.choice(("pending", "processed")))
    text = f"I want to return {describe_item(o['items'][0])} from order {o['order_id']}. {GO_AHEAD}"
    return Draft("return_refused", text, f"You want to return an item of order {o['order_id']}.",
                 [call("get_order", order_id=o["order_id"])])


def refund_refused(s: Scene) -> Draft:
    o = s.order("delivered")
    methods = s.customer["payment_methods"]
    o["payment_method_id"] = next(m for m, v in methods.items() if v["kind"] == "credit_card")
    if not any(v["kind"] == "paypal" for v in methods.values()):
        methods[f"paypal_{s.rng.randint(1000, 9999)}"] = {"kind": "paypal"}
    text = (f"I want to return {describe_item(o['items'][0])} from order {o['order_id']}, but only if the "
            "refund goes to my PayPal account, not to the card I paid with. Otherwise leave it as it is.")
    return Draft("refund_refused", text, "You want a refund to your PayPal account, and nothing else.",
                 [call("get_order", order_id=o["order_id"])])


def _exchange(s: Scene, o: dict[str, Any]) -> tuple[str, list[ToolCall]]:
    item = s.rng.choice(o["items"])
    new = s.swap(item, available=True)
    text = (f"I want to exchange {describe_item(item)} from order {o['order_id']} for the one with "
            f"{_options(new)}, settling any price difference with the original payment method.")
    return text, [call("get_order", order_id=o["order_id"]), call("get_product", product_id=item["product_id"]),
                  call("exchange_items", order_id=o["order_id"], item_ids=[item["item_id"]],
                       new_item_ids=[new["item_id"]], payment_method_id=o["payment_method_id"])]


def exchange(s: Scene) -> Draft:
    o = s.order("delivered")
    text, gold = _exchange(s, o)
    return Draft("exchange", f"{text} {GO_AHEAD}", _second_person(text), gold)


def exchange_refused(s: Scene) -> Draft:
    o = s.order("delivered")
    item = s.rng.choice(o["items"])
    new = s.swap(item, available=False)
    text = (f"I want to exchange {describe_item(item)} from order {o['order_id']} for the one with "
            f"{_options(new)}. {GO_AHEAD}")
    return Draft("exchange_refused", text, f"You want the variant with {_options(new)}, which is out of stock.",
                 [call("get_order", order_id=o["order_id"]), call("get_product", product_id=item["product_id"])])


def other_customer(s: Scene) -> Draft:
    o = s.order("pending", customer=s.other_customer())
    text = f"Please cancel order {o['order_id']}, my friend ordered it by mistake. {GO_AHEAD}"
    return Draft("other_customer_refused", text, f"You want your friend's order {o['order_id']} cancelled.",
                 [call("get_order", order_id=o["order_id"])])


def move_house(s: Scene) -> Draft:
    a, b, new = s.order("pending"), s.order("pending"), address(s.rng)
    cid = s.customer["customer_id"]
    text = (f"I am moving to {_where(new)}. Please cancel order {a['order_id']}, I no longer need it; ship "
            f"order {b['order_id']} to the new address; and update my profile address too. {GO_AHEAD}")
    goal = (f"You are moving to {_where(new)}. You want order {a['order_id']} cancelled (you no longer need it), "
            f"order {b['order_id']} shipped to the new address, and your profile address updated.")
    return Draft("move_house", text, goal,
                 [call("get_order", order_id=a["order_id"]),
                  call("cancel_order", order_id=a["order_id"], reason="no longer needed"),
                  call("get_order", order_id=b["order_id"]),
                  call("modify_order_address", order_id=b["order_id"], **new),
                  call("update_customer_address", customer_id=cid, **new)])


def return_and_exchange(s: Scene) -> Draft:
    a, b = s.order("delivered"), s.order("delivered")
    text_a, gold_a = _return(s, a)
    text_b, gold_b = _exchange(s, b)
    text = f"Two things. {text_a} Also, {text_b} {GO_AHEAD}"
    return Draft("return_and_exchange", text, _second_person(f"{text_a} {text_b}"),
                 [call("get_customer", customer_id=s.customer["customer_id"]), *gold_a, *gold_b])


def cancel_two_one_refused(s: Scene) -> Draft:
    a, b = s.order("pending"), s.order(s.rng.choice(("processed", "delivered")))
    text = f"Please cancel orders {a['order_id']} and {b['order_id']}, I ordered them by mistake. {GO_AHEAD}"
    return Draft("cancel_partly_refused", text, f"You want orders {a['order_id']} and {b['order_id']} cancelled.",
                 [call("get_order", order_id=a["order_id"]),
                  call("cancel_order", order_id=a["order_id"], reason="ordered by mistake"),
                  call("get_order", order_id=b["order_id"])])


#: every category's generator, in a fixed order (part of the suite's identity)
GENERATORS: tuple[Callable[[Scene], Draft], ...] = (
    order_status, order_total, customer_id, cancel, cancel_refused, order_address, address_refused,
    profile_address, return_items, return_refused, refund_refused, exchange, exchange_refused, other_customer,
    move_house, return_and_exchange, cancel_two_one_refused,
)

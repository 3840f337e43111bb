"""Shopping tools: product search, orders, package tracking, address changes and returns."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from ...tools import tool
from . import pools
from .fake import rng_for
from .templates import Spec
from .values import Arg, Draw, part


class OrderItem(TypedDict):
    """One line of an order.

    Attributes:
        sku: Product code, e.g. "SKU-48213".
        quantity: Number of units.
    """

    sku: str
    quantity: int


class Address(TypedDict):
    """A postal address.

    Attributes:
        street: House number and street.
        city: City.
        postal_code: Postal or ZIP code.
        country: Country name in English.
    """

    street: str
    city: str
    postal_code: str
    country: str


@tool
def search_products(
    query: str,
    max_price: float | None = None,
    category: Literal["electronics", "home", "clothing", "books", "sports", "toys", "garden"] | None = None,
    sort_by: Literal["relevance", "price_low_to_high", "price_high_to_low", "rating"] = "relevance",
) -> dict[str, Any]:
    """Search the online store's catalog.

    Args:
        query: What to look for, e.g. "wireless headphones".
        max_price: Highest price to include.
        category: Store department to search in; all departments when omitted.
        sort_by: Order of the results.
    """
    r = rng_for(query)
    return {"results": [{"sku": f"SKU-{r.randint(10000, 99999)}", "price": round(r.uniform(5, 400), 2)}
                        for _ in range(3)], "sort_by": sort_by}


@tool
def place_order(
    items: list[OrderItem],
    shipping_method: Literal["standard", "express", "overnight"] = "standard",
    gift_wrap: bool = False,
) -> dict[str, Any]:
    """Place an order for products in the store.

    Args:
        items: The products and quantities to order.
        shipping_method: Delivery speed.
        gift_wrap: Whether to gift-wrap the order.
    """
    return {"order_id": f"ORD-{rng_for(items).randrange(10**6):06d}", "status": "placed"}


@tool
def track_package(tracking_number: str, carrier: Literal["ups", "fedex", "dhl", "usps"]) -> dict[str, Any]:
    """Get the delivery status of a parcel.

    Args:
        tracking_number: The carrier's tracking number.
        carrier: The shipping company.
    """
    return {"tracking_number": tracking_number, "status": rng_for(tracking_number).choice(("in transit", "delivered"))}


@tool
def update_shipping_address(order_id: str, address: Address) -> dict[str, Any]:
    """Change the delivery address of an order that has not shipped yet.

    Args:
        order_id: Order identifier, e.g. "ORD-104233".
        address: The new delivery address.
    """
    return {"order_id": order_id, "status": "updated"}


@tool
def return_item(
    order_id: str,
    sku: str,
    reason: Literal["damaged", "wrong_item", "not_as_described", "no_longer_needed"],
    refund_method: Literal["original_payment", "store_credit"] = "original_payment",
) -> dict[str, Any]:
    """Start a return for one product of an order.

    Args:
        order_id: Order identifier, e.g. "ORD-104233".
        sku: Product code of the item to return.
        reason: Why the item is returned.
        refund_method: Where the refund goes.
    """
    return {"return_id": f"RMA-{rng_for(order_id, sku).randrange(10**5):05d}", "status": "label sent"}


_SORTS = {"price_low_to_high": ("cheapest first", "sorted by price from low to high"),
          "price_high_to_low": ("most expensive first", "sorted by price from high to low"),
          "rating": ("best rated first", "sorted by rating")}


def _search(d: Draw) -> dict[str, Arg]:
    sort = d.choice(tuple(_SORTS))
    category = d.choice(tuple(pools.PRODUCTS))
    adjectives, products = pools.PRODUCTS[category]
    own = part(pools.ITEMS, d.split)  # one split for items everywhere, whatever the department
    item = d.choice([p for p in products if p in own])
    query = item if d.rng.random() < 0.3 else f"{d.pick(adjectives, period=3)} {item}"
    price = float(d.own(lambda: d.rng.randint(2, 120) * 5))
    return {"query": Arg(query), "max_price": Arg(price, d.choice(("$", "€", "£")) + d.say_money(price)),
            "category": Arg(category), "sort_by": Arg(sort, d.choice(_SORTS[sort]))}


def _items(d: Draw) -> Arg:
    items: list[dict[str, Any]] = []
    n = d.rng.randint(1, 3)
    while len(items) < n:
        sku = d.code("SKU-#####")
        if all(sku != i["sku"] for i in items):
            items.append({"sku": sku, "quantity": d.rng.randint(1, 5)})
    said = [d.choice((f"{i['quantity']} x {i['sku']}", f"{d.say_int(i['quantity'])} of {i['sku']}",
                      f"{i['sku']} (quantity {i['quantity']})")) for i in items]
    return Arg(items, d.say_list(said), unordered=True)


_CARRIERS = {"ups": ("UPS", "1Z****************"), "fedex": ("FedEx", "############"),
             "dhl": ("DHL", "##########"), "usps": ("USPS", "9400##################")}


def _tracking(d: Draw) -> dict[str, Arg]:
    carrier = d.choice(tuple(_CARRIERS))
    name, pattern = _CARRIERS[carrier]
    return {"tracking_number": Arg(d.code(pattern)), "carrier": Arg(carrier, name)}


def _same_carrier(args: dict[str, Arg]) -> bool:
    """Whether the tracking number has the stated carrier's format (parallel calls share the carrier)."""
    pattern = _CARRIERS[args["carrier"].value][1]
    number = args["tracking_number"].value
    return len(number) == len(pattern) and number.startswith(pattern.split("#")[0].split("*")[0])


def _address(d: Draw) -> dict[str, Arg]:
    city, country = d.pick(pools.CITY_COUNTRIES)
    value = {"street": d.street(), "city": city, "postal_code": d.code(d.choice(("#####", "####"))),
             "country": country}
    text = d.choice((f"{value['street']}, {value['postal_code']} {value['city']}, {country}",
                     f"{value['street']}, {value['city']} {value['postal_code']}, {country}"))
    return {"order_id": Arg(d.code("ORD-######")), "address": Arg(value, text)}


_REASONS = {"damaged": ("it arrived damaged", "it was broken on arrival"),
            "wrong_item": ("I received the wrong item", "they sent the wrong item"),
            "not_as_described": ("it isn't as described", "it doesn't match the description"),
            "no_longer_needed": ("I no longer need it", "I don't need it anymore")}


def _return(d: Draw) -> dict[str, Arg]:
    reason = d.choice(tuple(_REASONS))
    refund = d.choice((Arg("store_credit", "as store credit"),
                       Arg("original_payment", "to my original payment method")))
    return {"order_id": Arg(d.code("ORD-######")), "sku": Arg(d.code("SKU-#####")),
            "reason": Arg(reason, d.choice(_REASONS[reason])), "refund_method": refund}


SPECS = [
    Spec(search_products, "shopping", _search, (
        "Search the store for \"{query}\"[ under {max_price}][ in the {category} category].",
        "Find me \"{query}\" in the shop[, {sort_by}].",
        "I'm shopping for \"{query}\"[ with a budget of {max_price}]. What's available?",
        "Show me results for \"{query}\" from the store[ in the {category} section][ priced below {max_price}][, "
        "{sort_by}].",
        "Look up \"{query}\" in the store catalog[, {sort_by}].",
        "Does the shop have anything matching \"{query}\" for less than {max_price}?",
        "Browse the store for \"{query}\"[ in the {category} department][, {sort_by}].",
        "Search the catalog for \"{query}\"[ priced at most {max_price}][ in the {category} category].",
    )),
    Spec(place_order, "shopping", lambda d: {
        "items": _items(d), "shipping_method": Arg(d.choice(("express", "overnight", "standard"))),
        "gift_wrap": d.choice((Arg(True, "gift-wrapped"), Arg(True, "with gift wrapping"),
                               Arg(False, "no gift wrap")))}, (
        "Order {items}[ with {shipping_method} shipping].",
        "Place an order for {items}[ via {shipping_method} delivery][, {gift_wrap}].",
        "Please buy {items}[ via {shipping_method} delivery].",
        "I'd like to order {items}[, {gift_wrap}].",
        "Add {items} to an order and check out[ with {shipping_method} shipping].",
        "Purchase {items} for me[, {gift_wrap}][, {shipping_method} shipping].",
        "Can you order {items}[ with {shipping_method} shipping]?",
        "New order: {items}[, {shipping_method} shipping][, {gift_wrap}].",
    )),
    Spec(track_package, "shopping", _tracking, (
        "Where is my {carrier} package {tracking_number}?",
        "Track {carrier} shipment {tracking_number}.",
        "Can you check the status of tracking number {tracking_number} with {carrier}?",
        "My parcel was sent with {carrier}, tracking number {tracking_number}. Where is it now?",
        "Get tracking info for {tracking_number} ({carrier}).",
        "Has the {carrier} delivery {tracking_number} arrived yet?",
        "Look up {carrier} tracking number {tracking_number}.",
        "When will {carrier} package {tracking_number} be delivered?",
    ), (
        "Track these {carrier} packages: {tracking_number*}.",
        "Where are my {carrier} parcels {tracking_number*}?",
    ), check=_same_carrier),
    Spec(update_shipping_address, "shopping", _address, (
        "Change the shipping address of order {order_id} to {address}.",
        "Ship order {order_id} to {address} instead.",
        "Please update the delivery address for {order_id} to {address}.",
        "I moved. Send order {order_id} to {address}.",
        "Update order {order_id} so it goes to {address}.",
        "The new address for order {order_id} is {address}.",
        "Redirect order {order_id} to {address}, please.",
        "Can you set the shipping address on {order_id} to {address}?",
    )),
    Spec(return_item, "shopping", _return, (
        "Return {sku} from order {order_id} because {reason}[ and refund it {refund_method}].",
        "I want to send back item {sku} from order {order_id} because {reason}.[ Refund me {refund_method}.]",
        "Start a return for {sku} on order {order_id}, since {reason}.[ I'd like the refund {refund_method}.]",
        "Please return {sku} (order {order_id}) since {reason}[, refunding {refund_method}].",
        "Order {order_id}: return {sku} because {reason}[, refund {refund_method}].",
        "Process a return of {sku} from order {order_id} because {reason}[, with the refund {refund_method}].",
        "Return item {sku} in order {order_id}, as {reason}[. Refund {refund_method}, please].",
        "I need to return {sku} from order {order_id} because {reason}[; put the refund {refund_method}].",
    )),
]

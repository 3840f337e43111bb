"""The retail tools: look up customers, orders and products; cancel, return, exchange, change addresses.

The database (see `world.py` for its shape) is the first argument of every tool. Tools enforce what
is physically true (an order exists, an item is in it, a variant is in stock, a payment method
belongs to the customer, a finished order cannot change again); they do **not** enforce the written
policy (who may do what, in which order status): following it is the agent's job, and the state
check catches an agent that does not. Money is handled in cents, so sums do not depend on order.
"""

from __future__ import annotations

from typing import Any, Literal

from ...envs import state_tool
from ...errors import ToolError

DB = dict[str, Any]

#: order statuses after which an order cannot change again
FINAL = ("cancelled", "return requested", "exchange requested")


def _cents(amount: float) -> int:
    return round(amount * 100)


def _money(cents: int) -> float:
    return round(cents / 100, 2)


def _order(db: DB, order_id: str) -> dict[str, Any]:
    order = db["orders"].get(order_id.strip().lstrip("#"))
    if order is None:
        raise ToolError(f"order {order_id!r} not found")
    return order


def _customer(db: DB, customer_id: str) -> dict[str, Any]:
    customer = db["customers"].get(customer_id.strip())
    if customer is None:
        raise ToolError(f"customer {customer_id!r} not found")
    return customer


def _open_order(db: DB, order_id: str) -> dict[str, Any]:
    order = _order(db, order_id)
    if order["status"] in FINAL:
        raise ToolError(f"order {order['order_id']} is {order['status']}; it cannot be changed any more")
    return order


def _payment(db: DB, order: dict[str, Any], payment_method_id: str) -> dict[str, Any]:
    methods = db["customers"][order["customer_id"]]["payment_methods"]
    if payment_method_id not in methods:
        raise ToolError(f"payment method {payment_method_id!r} is not one of the customer's: {', '.join(methods)}")
    return methods[payment_method_id]


def _pay_back(method: dict[str, Any], cents: int) -> None:
    """Credit a refund: gift cards immediately; cards and PayPal through the order's record."""
    if method["kind"] == "gift_card":
        method["balance"] = _money(_cents(method["balance"]) + cents)


def _address(street: str, city: str, state: str, zip: str) -> dict[str, str]:
    return {"street": street.strip(), "city": city.strip(), "state": state.strip(), "zip": zip.strip()}


@state_tool
def find_customer_by_email(db: DB, email: str) -> dict[str, str]:
    """Find a customer by email address, to authenticate them.

    Args:
        db: The shop's database, given by the environment.
        email: The customer's email address.
    """
    for customer in db["customers"].values():
        if customer["email"] == email.strip().lower():
            return {"customer_id": customer["customer_id"]}
    raise ToolError(f"no customer with email {email!r}")


@state_tool
def find_customer_by_name_zip(db: DB, first_name: str, last_name: str, zip: str) -> dict[str, str]:
    """Find a customer by full name and zip code, to authenticate them.

    Args:
        db: The shop's database, given by the environment.
        first_name: The customer's first name.
        last_name: The customer's last name.
        zip: The zip code of the customer's address.
    """
    for customer in db["customers"].values():
        name = customer["name"]
        if (name["first"].lower(), name["last"].lower(), customer["address"]["zip"]) == (
            first_name.strip().lower(), last_name.strip().lower(), zip.strip()
        ):
            return {"customer_id": customer["customer_id"]}
    raise ToolError(f"no customer named {first_name} {last_name} with zip code {zip}")


@state_tool
def get_customer(db: DB, customer_id: str) -> dict[str, Any]:
    """Get a customer's profile: name, email, address, payment methods and order ids.

    Args:
        db: The shop's database, given by the environment.
        customer_id: The customer's id, e.g. "C1024".
    """
    return _customer(db, customer_id)


@state_tool
def get_order(db: DB, order_id: str) -> dict[str, Any]:
    """Get an order: its status, items, shipping address, payment method and total.

    Args:
        db: The shop's database, given by the environment.
        order_id: The order id, e.g. "W204817".
    """
    return _order(db, order_id)


@state_tool
def get_product(db: DB, product_id: str) -> dict[str, Any]:
    """Get a product and all its variants (item ids, options, prices, availability).

    Args:
        db: The shop's database, given by the environment.
        product_id: The product id, e.g. "P103".
    """
    product = db["products"].get(product_id.strip())
    if product is None:
        raise ToolError(f"product {product_id!r} not found")
    return product


@state_tool
def list_products(db: DB) -> dict[str, str]:
    """List every product sold, as product name -> product id.

    Args:
        db: The shop's database, given by the environment.
    """
    return {p["name"]: p["product_id"] for p in db["products"].values()}


@state_tool
def cancel_order(db: DB, order_id: str, reason: Literal["no longer needed", "ordered by mistake"]) -> dict[str, Any]:
    """Cancel an order and refund its total to the payment method it was paid with.

    Args:
        db: The shop's database, given by the environment.
        order_id: The order to cancel.
        reason: Why the customer cancels.
    """
    order = _open_order(db, order_id)
    method = _payment(db, order, order["payment_method_id"])
    _pay_back(method, _cents(order["total"]))
    order["status"] = "cancelled"
    order["cancellation"] = {
        "reason": reason, "refund": order["total"], "payment_method_id": order["payment_method_id"]
    }
    return order


@state_tool
def modify_order_address(db: DB, order_id: str, street: str, city: str, state: str, zip: str) -> dict[str, Any]:
    """Change the shipping address of one order.

    Args:
        db: The shop's database, given by the environment.
        order_id: The order whose shipping address changes.
        street: Street and number, e.g. "12 Oak Street".
        city: City.
        state: Two-letter state code, e.g. "OR".
        zip: Five-digit zip code.
    """
    order = _open_order(db, order_id)
    order["address"] = _address(street, city, state, zip)
    return order


@state_tool
def update_customer_address(db: DB, customer_id: str, street: str, city: str, state: str, zip: str) -> dict[str, Any]:
    """Change the default address in a customer's profile (orders already placed keep theirs).

    Args:
        db: The shop's database, given by the environment.
        customer_id: The customer whose profile changes.
        street: Street and number, e.g. "12 Oak Street".
        city: City.
        state: Two-letter state code, e.g. "OR".
        zip: Five-digit zip code.
    """
    customer = _customer(db, customer_id)
    customer["address"] = _address(street, city, state, zip)
    return customer


def _items(order: dict[str, Any], item_ids: list[str]) -> list[dict[str, Any]]:
    if not item_ids:
        raise ToolError("give at least one item id")
    if len(set(item_ids)) != len(item_ids):
        raise ToolError(f"item ids repeat: {item_ids}")
    by_id = {item["item_id"]: item for item in order["items"]}
    missing = [i for i in item_ids if i not in by_id]
    if missing:
        raise ToolError(f"order {order['order_id']} has no item {', '.join(missing)}; its items: {', '.join(by_id)}")
    return [by_id[i] for i in item_ids]


@state_tool
def return_items(db: DB, order_id: str, item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    """Return items of an order; their price is refunded to the given payment method.

    Args:
        db: The shop's database, given by the environment.
        order_id: The order the items come from.
        item_ids: Item ids (from the order) to return.
        payment_method_id: Where the refund goes, e.g. "credit_card_4412" or "gift_card_7781".
    """
    order = _open_order(db, order_id)
    items = _items(order, item_ids)
    method = _payment(db, order, payment_method_id)
    cents = sum(_cents(item["price"]) for item in items)
    _pay_back(method, cents)
    order["status"] = "return requested"
    order["return"] = {"item_ids": sorted(item_ids), "refund": _money(cents), "payment_method_id": payment_method_id}
    return order


@state_tool
def exchange_items(
    db: DB, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> dict[str, Any]:
    """Exchange items of an order for other variants of the same products; the price difference is settled.

    Args:
        db: The shop's database, given by the environment.
        order_id: The order the items come from.
        item_ids: Item ids (from the order) to exchange.
        new_item_ids: The variants wanted instead, in the same order as `item_ids`.
        payment_method_id: Pays a higher price, or receives a lower one.
    """
    order = _open_order(db, order_id)
    items = _items(order, item_ids)
    if len(new_item_ids) != len(item_ids):
        raise ToolError(f"{len(item_ids)} items to exchange but {len(new_item_ids)} new item ids")
    diff = 0
    for item, new_id in zip(items, new_item_ids, strict=True):
        variant = db["products"][item["product_id"]]["variants"].get(new_id)
        if variant is None:
            raise ToolError(f"item {new_id} is not a variant of {item['name']} ({item['product_id']})")
        if not variant["available"]:
            raise ToolError(f"item {new_id} ({item['name']}) is out of stock")
        diff += _cents(variant["price"]) - _cents(item["price"])
    method = _payment(db, order, payment_method_id)
    if method["kind"] == "gift_card" and diff > _cents(method["balance"]):
        raise ToolError(f"gift card {payment_method_id} has {method['balance']:.2f}, less than {_money(diff):.2f}")
    _pay_back(method, -diff)
    order["status"] = "exchange requested"
    order["exchange"] = {
        "pairs": [list(p) for p in sorted(zip(item_ids, new_item_ids, strict=True))],
        "price_difference": _money(diff),
        "payment_method_id": payment_method_id,
    }
    return order


TOOLS = (
    find_customer_by_email, find_customer_by_name_zip, get_customer, get_order, get_product, list_products,
    cancel_order, modify_order_address, update_customer_address, return_items, exchange_items,
)

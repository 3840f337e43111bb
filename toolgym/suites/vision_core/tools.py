"""vision-core's tools: act on what the model read from a picture, or show it a picture.

The state is `{"images": {name: scene}, "series": {name: {"labels": [...], "values": [...]}},
"expenses": [], "log": [], "forms": [], "route": None}`. `zoom`, `crop` and `render_chart` answer
with an image (a tool message with content parts) and change nothing; the other tools record what
the model asked for, which is what verification compares.
"""

from __future__ import annotations

from typing import Any, Literal

from ...envs import state_tool
from ...errors import ToolError
from ...types import ContentPart, ImagePart, TextPart
from .draw import draw, png_url, region

__all__ = ["RATES", "TOOLS"]

State = dict[str, Any]

#: Euros per unit of each currency (fixed: tools are deterministic).
RATES = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.04, "JPY": 0.0062, "CAD": 0.68}

Currency = Literal["EUR", "USD", "GBP", "CHF", "JPY", "CAD"]


def _scene(state: State, image: str) -> dict[str, Any]:
    scene = state["images"].get(image)
    if scene is None:
        raise ToolError(f"no image named {image!r}; the images are: {', '.join(sorted(state['images'])) or 'none'}")
    return scene


def _picture(image: Any, caption: str) -> list[ContentPart]:
    return [ImagePart.of(png_url(image)), TextPart(text=caption)]


@state_tool
def convert_currency(state: State, amount: float, from_currency: Currency, to_currency: Currency) -> str:
    """Convert an amount of money from one currency to another at today's rate.

    Args:
        state: The world, given by the environment.
        amount: The amount to convert, in `from_currency`.
        from_currency: ISO code of the amount's currency.
        to_currency: ISO code of the currency wanted.
    """
    converted = amount * RATES[from_currency] / RATES[to_currency]
    return f"{amount:,.2f} {from_currency} = {converted:,.2f} {to_currency}"


@state_tool
def record_expense(state: State, merchant: str, amount: float, currency: Currency) -> str:
    """File an expense for reimbursement.

    Args:
        state: The world, given by the environment.
        merchant: Where the money was spent, as printed.
        amount: The amount paid.
        currency: ISO code of the amount's currency.
    """
    state["expenses"].append({"merchant": merchant.strip(), "amount": round(float(amount), 2), "currency": currency})
    return f"expense #{len(state['expenses'])} filed: {amount:,.2f} {currency} at {merchant}"


@state_tool
def log_value(state: State, series: str, label: str, value: int) -> str:
    """Log one data point read from a chart or a report.

    Args:
        state: The world, given by the environment.
        series: Name of the chart or series, as titled.
        label: The point's label on the horizontal axis (a month, a weekday, a year).
        value: The point's value.
    """
    state["log"].append({"series": series.strip(), "label": label.strip(), "value": value})
    return f"logged {series} / {label} = {value}"


@state_tool
def submit_form(state: State, name: str, date: str, amount: float) -> str:
    """Submit a paper form's contents to the office system.

    Args:
        state: The world, given by the environment.
        name: The applicant's full name.
        date: The date on the form, as written (YYYY-MM-DD).
        amount: The amount requested.
    """
    state["forms"].append({"name": name.strip(), "date": date.strip(), "amount": round(float(amount), 2)})
    return f"form #{len(state['forms'])} submitted for {name}"


@state_tool
def navigate(state: State, destination: str) -> str:
    """Start navigation to a town.

    Args:
        state: The world, given by the environment.
        destination: Name of the town to drive to.
    """
    state["route"] = destination.strip()
    return f"route set to {destination}"


@state_tool
def zoom(state: State, image: str) -> list[ContentPart]:
    """Show an image of the conversation at a larger, readable size.

    Args:
        state: The world, given by the environment.
        image: Name of the image, as given in the conversation.
    """
    return _picture(draw(_scene(state, image), 1.5), f"{image}, zoomed in")


@state_tool
def crop(state: State, image: str, part: Literal["top", "bottom", "left", "right"]) -> list[ContentPart]:
    """Show one half of an image, enlarged.

    Args:
        state: The world, given by the environment.
        image: Name of the image, as given in the conversation.
        part: Which half to show.
    """
    return _picture(region(draw(_scene(state, image), 2.0), part), f"{part} half of {image}")


@state_tool
def render_chart(state: State, series: str, kind: Literal["bar", "line"] = "bar") -> list[ContentPart]:
    """Draw a stored data series as a chart.

    Args:
        state: The world, given by the environment.
        series: Name of the series.
        kind: Bar or line chart.
    """
    data = state["series"].get(series.strip())
    if data is None:
        raise ToolError(f"no series named {series!r}; the series are: {', '.join(sorted(state['series'])) or 'none'}")
    scene = {"kind": kind, "title": series.strip(), **data}
    return _picture(draw(scene), f"{kind} chart of {series}")


TOOLS = (convert_currency, record_expense, log_value, submit_form, navigate, zoom, crop, render_chart)

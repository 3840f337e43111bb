"""Templates: Jinja2 with autoescaping on everything, and the filters the pages share.

Model output, tool results, task ids and run names are hostile input: every value goes through
autoescaping, nothing is marked safe except the SVG charts of `toolgym.report`, which escape their
own text. No page has inline script (the Content-Security-Policy forbids it anyway).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..images import thumbnail
from ..report import category_chart, rating_chart
from ..stats import Estimate

__all__ = ["page", "templates"]

MAX_TEXT = 20_000
"""Longest message text shown in full; longer text is cut and says how much was left out."""


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def _ci(e: Estimate | None) -> str:
    return "" if e is None or e.method == "none" else f"[{100 * e.low:.1f}, {100 * e.high:.1f}]"


def _pretty(text: str | None) -> str:
    """JSON text re-indented for reading; any other text unchanged."""
    if not text:
        return text or ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _clip(text: str | None) -> str:
    text = text or ""
    if len(text) <= MAX_TEXT:
        return text
    return f"{text[:MAX_TEXT]}\n… ({len(text) - MAX_TEXT:,} more characters not shown)"


def _query(**params: Any) -> str:
    """A query string from the parameters that are set."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _markup_chart(svg: str) -> Markup:
    return Markup(svg)  # report's SVG builders escape every label


templates = Environment(
    loader=PackageLoader("toolgym.view", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(pct=_pct, ci=_ci, pretty=_pretty, clip=_clip, thumbnail=thumbnail,
                         tojson_pretty=lambda v: json.dumps(v, indent=2, ensure_ascii=False, default=str))
templates.globals.update(
    query=_query,
    category_chart=lambda runs: _markup_chart(category_chart(runs)),
    rating_chart=lambda ratings: _markup_chart(rating_chart(ratings)),
)


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render the template `name` into an HTML response."""
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status_code)

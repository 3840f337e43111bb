"""Drawing vision-core's pictures with Pillow: receipts, bar and line charts, tables, forms and signs.

A picture is a *scene*: a small JSON object (`{"kind": "receipt", "merchant": ..., "items": ...}`)
kept in the task's state, so the same scene is drawn for the prompt, by `zoom` and `crop` at other
scales, and by `render_chart`. Drawing is a pure function of (scene, scale): Pillow's bundled font,
no antialiasing choices left to the platform, PNG without timestamps, so the suite's content hash is
stable on one Pillow version.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from ...errors import UserError
from ...images import data_url

__all__ = ["draw", "png_url", "region"]

Scene = dict[str, Any]

_INK, _PAPER, _GRID = (20, 20, 20), (255, 255, 255), (200, 200, 200)
_COLORS = {"blue": (30, 80, 200), "green": (20, 130, 60), "red": (200, 40, 40), "brown": (120, 70, 30),
           "orange": (230, 120, 20)}


def _pil() -> Any:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise UserError("the vision-core suite draws its images with Pillow: pip install 'toolgym[vision]'") from None
    return Image, ImageDraw, ImageFont


@cache
def _font(size: int) -> Any:
    return _pil()[2].load_default(size=max(size, 4))


def draw(scene: Scene, scale: float = 1.0) -> Any:
    """The picture of `scene` as a PIL image, `scale` times its base size."""
    painter = {"receipt": _receipt, "bar": _bar, "line": _line, "table": _table, "form": _form, "sign": _sign}
    return painter[scene["kind"]](scene, scale)


def png_url(image: Any) -> str:
    """A PIL image as a PNG data URL."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return data_url(out.getvalue(), "image/png")


def region(image: Any, part: str) -> Any:
    """The `part` half of `image` (top, bottom, left or right)."""
    w, h = image.size
    box = {"top": (0, 0, w, h // 2), "bottom": (0, h // 2, w, h), "left": (0, 0, w // 2, h),
           "right": (w // 2, 0, w, h)}[part]
    return image.crop(box)


def _canvas(width: int, height: int, scale: float, color: tuple[int, int, int] = _PAPER) -> tuple[Any, Any]:
    image_cls, draw_module, _ = _pil()
    image = image_cls.new("RGB", (max(1, round(width * scale)), max(1, round(height * scale))), color)
    return image, draw_module.Draw(image)


def _text(pen: Any, xy: tuple[float, float], text: str, size: int, scale: float, **kw: Any) -> None:
    pen.text((xy[0] * scale, xy[1] * scale), text, font=_font(round(size * scale)), fill=kw.pop("fill", _INK), **kw)


def _money(value: float, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def _receipt(s: Scene, scale: float) -> Any:
    height = 150 + 22 * len(s["items"])
    image, pen = _canvas(260, height, scale)
    _text(pen, (130, 18), s["merchant"], 18, scale, anchor="mm")
    _text(pen, (130, 40), s["date"], 12, scale, anchor="mm")
    y = 64
    for name, price in s["items"]:
        _text(pen, (16, y), name, 13, scale)
        _text(pen, (244, y), f"{price:,.2f}", 13, scale, anchor="ra")
        y += 22
    pen.line([(16 * scale, (y + 4) * scale), (244 * scale, (y + 4) * scale)], fill=_INK, width=max(1, round(scale)))
    _text(pen, (16, y + 14), "TOTAL", 15, scale)
    _text(pen, (244, y + 14), _money(s["total"], s["currency"]), 15, scale, anchor="ra")
    _text(pen, (130, height - 18), "Thank you!", 11, scale, anchor="mm")
    return image


def _chart_frame(s: Scene, scale: float) -> tuple[Any, Any, float, float, float, float, float]:
    image, pen = _canvas(360, 240, scale)
    _text(pen, (180, 14), s["title"], 15, scale, anchor="mm")
    left, top, right, bottom = 40, 40, 344, 200
    top_value = max(s["values"]) * 1.15
    for k in range(5):
        y = bottom - (bottom - top) * k / 4
        pen.line([(left * scale, y * scale), (right * scale, y * scale)], fill=_GRID, width=1)
    pen.line([(left * scale, top * scale), (left * scale, bottom * scale), (right * scale, bottom * scale)],
             fill=_INK, width=max(1, round(scale)))
    return image, pen, left, top, right, bottom, top_value


def _bar(s: Scene, scale: float) -> Any:
    image, pen, left, top, right, bottom, top_value = _chart_frame(s, scale)
    n = len(s["values"])
    slot = (right - left) / n
    for i, (label, value) in enumerate(zip(s["labels"], s["values"], strict=True)):
        x0, x1 = left + slot * i + slot * 0.2, left + slot * (i + 0.8)
        y = bottom - (bottom - top) * value / top_value
        pen.rectangle([x0 * scale, y * scale, x1 * scale, bottom * scale], fill=_COLORS["blue"])
        _text(pen, ((x0 + x1) / 2, y - 4), str(value), 12, scale, anchor="md")
        _text(pen, ((x0 + x1) / 2, bottom + 6), label, 12, scale, anchor="ma")
    return image


def _line(s: Scene, scale: float) -> Any:
    image, pen, left, top, right, bottom, top_value = _chart_frame(s, scale)
    n = len(s["values"])
    slot = (right - left) / n
    points = [(left + slot * (i + 0.5), bottom - (bottom - top) * v / top_value) for i, v in enumerate(s["values"])]
    pen.line([(x * scale, y * scale) for x, y in points], fill=_COLORS["red"], width=max(1, round(2 * scale)))
    for (x, y), label, value in zip(points, s["labels"], s["values"], strict=True):
        r = 3 * scale
        pen.ellipse([x * scale - r, y * scale - r, x * scale + r, y * scale + r], fill=_COLORS["red"])
        _text(pen, (x, y - 6), str(value), 12, scale, anchor="md")
        _text(pen, (x, bottom + 6), label, 12, scale, anchor="ma")
    return image


def _table(s: Scene, scale: float) -> Any:
    widths = (150, 90, 70)
    height = 60 + 24 * (len(s["rows"]) + 1)
    image, pen = _canvas(sum(widths) + 20, height, scale)
    _text(pen, ((sum(widths) + 20) / 2, 16), s["title"], 15, scale, anchor="mm")
    for r, row in enumerate([s["header"], *s["rows"]]):
        y, x = 36 + 24 * r, 10
        if r:
            pen.line([(10 * scale, y * scale), ((sum(widths) + 10) * scale, y * scale)], fill=_GRID, width=1)
        for width, cell in zip(widths, row, strict=True):
            _text(pen, (x + 6, y + 5), str(cell), 13 if r else 12, scale)
            x += width
    return image


def _form(s: Scene, scale: float) -> Any:
    height = 60 + 40 * len(s["fields"])
    image, pen = _canvas(320, height, scale, (248, 248, 240))
    _text(pen, (160, 18), s["title"], 16, scale, anchor="mm")
    for i, (label, value) in enumerate(s["fields"]):
        y = 48 + 40 * i
        _text(pen, (14, y + 8), f"{label}:", 12, scale)
        pen.rectangle([110 * scale, y * scale, 306 * scale, (y + 28) * scale], outline=_INK, fill=_PAPER)
        _text(pen, (118, y + 7), value, 14, scale)
    return image


def _sign(s: Scene, scale: float) -> Any:
    image, pen = _canvas(280, 60 + 36 * len(s["lines"]), scale, (235, 235, 235))
    w, h = 280, 60 + 36 * len(s["lines"])
    pen.rounded_rectangle([10 * scale, 10 * scale, (w - 10) * scale, (h - 10) * scale], radius=12 * scale,
                          fill=_COLORS[s["color"]], outline=_PAPER, width=max(1, round(3 * scale)))
    for i, line in enumerate(s["lines"]):
        _text(pen, (w / 2, 48 + 36 * i), line, 22, scale, anchor="mm", fill=_PAPER)
    return image

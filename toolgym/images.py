"""Images in messages: reading image files into data URLs, checking them, and naming them by content.

In memory an image part carries its bytes as a `data:` URL (or an `https://` URL a server fetches),
so a message is self-contained for every backend. A suite file may name an image by a path relative
to the file; `resolve_images` reads it once, when the suite loads, and every problem with it is one
`UserError` naming the task and the file. The store keeps each distinct image once, under its
SHA-256 (`image_ref`), and transcripts point at it.

Limits (the same as OpenAI's Chat Completions API, so a suite that loads can be sent anywhere):

* formats: PNG, JPEG, GIF, WebP;
* at most `MAX_IMAGE_BYTES` (20 MiB) per image file;
* at most `MAX_IMAGE_PIXELS` (7680 x 4320, 33 megapixels) per image.

Reading and checking an image file needs Pillow (`pip install 'toolgym[vision]'`); data URLs and
content addressing do not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from pathlib import Path
from typing import Any

from .errors import UserError
from .inputs import check_file
from .types import ImagePart, Message, TextPart

__all__ = [
    "FORMATS",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "REF_PREFIX",
    "check_image",
    "data_url",
    "decode_data_url",
    "image_digest",
    "image_ref",
    "read_image",
    "resolve_images",
    "sniff_mime",
    "thumbnail",
]

#: Pillow format name -> MIME type, for the formats toolgym accepts.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}

#: Largest image file accepted, in bytes (OpenAI's per-image limit).
MAX_IMAGE_BYTES = 20 * 1024 * 1024

#: Largest image accepted, in pixels (width x height of an 8K frame).
MAX_IMAGE_PIXELS = 7680 * 4320

#: How a stored transcript names an image kept once in the store: `toolgym-image:sha256:<hex>`.
REF_PREFIX = "toolgym-image:sha256:"


def data_url(data: bytes, mime: str) -> str:
    """A `data:` URL holding `data` (base64)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def decode_data_url(url: str) -> tuple[str, bytes]:
    """(MIME type, bytes) of a base64 `data:` URL; ValueError when `url` is not one."""
    head, sep, payload = url.partition(",")
    if not (url.startswith("data:") and sep and head.endswith(";base64")):
        raise ValueError(f"not a base64 data URL: {url[:40]!r}")
    try:
        return head[5:-7], base64.b64decode(payload, validate=True)
    except binascii.Error as e:
        raise ValueError(f"data URL with bad base64: {e}") from None


def sniff_mime(data: bytes) -> str:
    """The MIME type of image bytes from their first bytes (PNG, JPEG, GIF, WebP); octet-stream otherwise."""
    for magic, mime in ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif")):
        if data.startswith(magic):
            return mime
    return "image/webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else "application/octet-stream"


def image_digest(data: bytes) -> str:
    """SHA-256 hex digest of an image's bytes: its name in the store."""
    return hashlib.sha256(data).hexdigest()


def image_ref(digest: str) -> str:
    """The URL a stored transcript holds for the image stored under `digest`."""
    return REF_PREFIX + digest


def check_image(data: bytes, shown: str) -> str:
    """The MIME type of the image `data`, checked.

    A UserError naming `shown` when it is unreadable, of another format or over the limits (module docstring).
    """
    if len(data) > MAX_IMAGE_BYTES:
        raise UserError(f"{shown} is {len(data) / 2**20:.1f} MiB, over the limit of {MAX_IMAGE_BYTES // 2**20} MiB "
                        "per image; shrink or recompress it")
    image_module = _pillow(shown)
    try:
        with image_module.open(io.BytesIO(data)) as image:
            width, height, kind = image.width, image.height, image.format
            if width * height > MAX_IMAGE_PIXELS:
                raise UserError(f"{shown} is {width}x{height} pixels, over the limit of {MAX_IMAGE_PIXELS:,} "
                                "pixels per image (7680x4320); scale it down")
            image.verify()
    except image_module.DecompressionBombError:
        raise UserError(f"{shown} is far over the limit of {MAX_IMAGE_PIXELS:,} pixels per image; scale it "
                        "down") from None
    except (OSError, SyntaxError, ValueError) as e:  # what Pillow raises for bytes it cannot decode
        raise UserError(f"{shown} cannot be read as an image ({e}); give a PNG, JPEG, GIF or WebP file") from None
    if kind not in FORMATS:
        raise UserError(f"{shown} is a {kind} image; toolgym takes {', '.join(FORMATS)}: convert it to PNG")
    return FORMATS[kind]


def read_image(path: Path, shown: str) -> str:
    """The image file at `path`, checked, as a data URL; `shown` names it in messages."""
    check_file(path, shown)
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:  # before reading a huge file into memory
        raise UserError(f"{shown} is {size / 2**20:.1f} MiB, over the limit of {MAX_IMAGE_BYTES // 2**20} MiB "
                        "per image; shrink or recompress it")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"{shown} cannot be read: {e.strerror or e}; check the file and its permissions") from None
    return data_url(data, check_image(data, shown))


def thumbnail(url: str, side: int = 240) -> str | None:
    """A small PNG data URL of the image at data URL `url`, at most `side` pixels wide and high.

    For pages that show transcripts (the HTML report, `toolgym view`): a page stays small and never
    fetches anything. None for an http(s) URL or a data URL that does not decode; the original, when
    Pillow is missing.
    """
    try:
        _, data = decode_data_url(url)
    except ValueError:
        return None
    try:
        from PIL import Image
    except ImportError:
        return url
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width <= side and image.height <= side:
                return url
            image.thumbnail((side, side))
            out = io.BytesIO()
            image.save(out, format="PNG")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return data_url(out.getvalue(), "image/png")


def resolve_images(messages: list[Any], base: Path, where: str) -> list[Any]:
    """`messages` (Messages, or their JSON) with every image path read, relative to `base`, into a data URL.

    `where` names the task in messages (`suite.jsonl:3: task 'r-1'`). URLs (`https://`, `data:`) are
    kept as they are; a data URL is checked like a file.
    """
    out = []
    for i, message in enumerate(messages):
        msg = message if isinstance(message, Message) else Message.model_validate(message)
        if msg.images:
            parts = [_resolved(p, base, f"{where}: messages[{i}].content[{j}]")
                     for j, p in enumerate(msg.content or [])]
            msg = msg.model_copy(update={"content": parts})
        out.append(msg)
    return out


def _resolved(part: TextPart | ImagePart, base: Path, where: str) -> TextPart | ImagePart:
    if isinstance(part, TextPart):
        return part
    url = part.image_url.url
    if url.startswith(("http://", "https://")):
        return part
    if url.startswith("data:"):
        try:
            _, data = decode_data_url(url)
        except ValueError as e:
            raise UserError(f"{where}: {e}; write a base64 data URL, an https URL or a file path") from None
        check_image(data, f"{where}: the data URL's image")
        return part
    if "://" in url or url.startswith(REF_PREFIX):
        raise UserError(f"{where}: image URL {url[:60]!r} is neither a file path, data: nor http(s); "
                        "give a path relative to the suite file")
    path = Path(url) if Path(url).is_absolute() else base / url
    new = read_image(path, f"{where}: image file {path}")
    return part.model_copy(update={"image_url": part.image_url.model_copy(update={"url": new})})


def _pillow(shown: str) -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise UserError(f"reading {shown} needs Pillow: pip install 'toolgym[vision]'") from None
    return Image

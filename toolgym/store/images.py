"""Images in stored transcripts: kept once each under their SHA-256, pointed at from the transcript.

Writing, `take_images` swaps every `data:` URL in a transcript's JSON for `toolgym-image:sha256:<hex>`
and hands back the bytes to insert into `images` (a no-op for a digest already there). Reading,
`referenced` lists the digests a batch of transcripts needs (one query for the batch) and `put_images`
swaps them back, so a rollout read from the store equals the one written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, select

from ..errors import UserError
from ..images import REF_PREFIX, data_url, decode_data_url, image_digest, image_ref
from .schema import images

__all__ = ["Blob", "fetch_images", "put_images", "referenced", "take_images"]

Blob = tuple[str, bytes]
"""An image's MIME type and bytes."""


def _image_urls(messages: Any) -> Iterator[dict[str, Any]]:
    """The `image_url` objects of a transcript's JSON (each a dict holding `url`)."""
    for message in messages if isinstance(messages, list) else ():
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else ():
            image = part.get("image_url") if isinstance(part, dict) else None
            if isinstance(image, dict) and isinstance(image.get("url"), str):
                yield image


def take_images(messages: list[dict[str, Any]], found: dict[str, Blob]) -> list[dict[str, Any]]:
    """`messages` with each data URL replaced by its reference; the bytes are added to `found` by digest.

    The JSON is changed in place (it is a fresh dump made for the row).
    """
    for image in _image_urls(messages):
        if not image["url"].startswith("data:"):
            continue  # https URLs stay as they are: the server fetches them
        mime, data = decode_data_url(image["url"])
        digest = image_digest(data)
        found.setdefault(digest, (mime, data))
        image["url"] = image_ref(digest)
    return messages


def referenced(transcripts: Iterable[Any]) -> set[str]:
    """Digests of the stored images these transcripts point at."""
    return {image["url"][len(REF_PREFIX):] for messages in transcripts for image in _image_urls(messages)
            if image["url"].startswith(REF_PREFIX)}


def put_images(messages: Any, blobs: Mapping[str, Blob], where: str) -> Any:
    """`messages` with each reference replaced by the image's data URL; a missing image is a UserError."""
    for image in _image_urls(messages):
        if image["url"].startswith(REF_PREFIX):
            digest = image["url"][len(REF_PREFIX):]
            if digest not in blobs:
                raise UserError(f"{where}: the transcript points at image {digest[:12]}..., which the database does "
                                "not hold (edited by hand?); re-run that rollout, or delete the run")
            image["url"] = data_url(blobs[digest][1], blobs[digest][0])
    return messages


def fetch_images(conn: Connection, digests: set[str]) -> dict[str, Blob]:
    """The stored images with these digests, in one query."""
    if not digests:
        return {}
    found = conn.execute(select(images.c.digest, images.c.mime, images.c.data).where(images.c.digest.in_(digests)))
    return {digest: (mime, bytes(data)) for digest, mime, data in found}

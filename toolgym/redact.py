"""Secrets kept out of everything toolgym shows or stores: the credentials and query values of URLs.

A base URL may carry a password (`http://user:pass@host/v1`) or a key in its query string
(`https://host/v1?api_key=...`). The requests need them; error messages, the database, manifests,
reports, exports and logs never do. `redact_url` hides them in one URL (`http://***@host/v1?api_key=***`),
`redact_text` in every URL inside a text, such as an error message that quotes the URL it failed on.
Query *names* stay visible, so a message still says which parameter was sent.

Examples:
    >>> redact_url("http://me:s3cret@localhost:8000/v1?api_key=k&x=1")
    'http://***@localhost:8000/v1?api_key=***&x=***'
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["MASK", "RedactingFilter", "redact_json", "redact_text", "redact_url"]

MASK = "***"

_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>`]+")
_VALUE = re.compile(r"=[^&;]*")


def redact_url(url: str) -> str:
    """`url` with its user, password and every query value replaced by `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not parseable as a URL: hide everything after the scheme rather than guess
        scheme, sep, _ = url.partition("://")
        return f"{scheme}{sep}{MASK}" if sep else MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rpartition('@')[2]}"
    query = _VALUE.sub("=" + MASK, parts.query)
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str) -> str:
    """`text` with every URL in it redacted (`redact_url`)."""
    if "://" not in text:
        return text
    return _URL.sub(_redact_match, text)


def _redact_match(match: re.Match[str]) -> str:
    url = match.group(0)
    core = url.rstrip(".,;:)]}")  # punctuation after a URL in prose is not part of it
    return redact_url(core) + url[len(core):]


def redact_json(value: Any) -> Any:
    """A JSON value (a manifest) with every URL in its strings redacted."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """A logging filter that redacts URLs in each record (httpx logs every request's full URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with its URLs redacted; never drops a record."""
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

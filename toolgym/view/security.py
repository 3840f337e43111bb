"""Safe by default: security headers on every response, and an access token off loopback.

* Every response says: no inline script, no external anything (Content-Security-Policy), no
  framing, no MIME sniffing, no referrer. With autoescaping this makes model output inert twice.
* On loopback, only loopback Host headers are served, so a web page elsewhere cannot reach the
  view through DNS rebinding.
* With an access token (required off loopback) every request must carry it: `?token=` once, which
  sets an HttpOnly cookie and redirects to the same URL without it, then the cookie; or an
  `Authorization: Bearer` header.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

__all__ = ["ACCESS_COOKIE", "LOOPBACK_HOSTS", "SecurityHeaders", "TokenGate"]

ACCESS_COOKIE = "toolgym_view_access"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the headers above to every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Serve the request, then add the headers."""
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class TokenGate(BaseHTTPMiddleware):
    """Refuses requests that do not carry the access token (constant-time comparison)."""

    def __init__(self, app: object, token: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self._token = token.encode()

    def _ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self._token)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Let the request through with a valid token; trade a `?token=` for a cookie; refuse the rest."""
        given = request.query_params.get("token")
        if given is not None and self._ok(given):
            rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
            response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
            response.set_cookie(ACCESS_COOKIE, given, httponly=True, samesite="strict")
            return response
        bearer = request.headers.get("authorization", "")
        if self._ok(request.cookies.get(ACCESS_COOKIE)) or (
            bearer.startswith("Bearer ") and self._ok(bearer.removeprefix("Bearer "))
        ):
            return await call_next(request)
        return PlainTextResponse(
            "toolgym view: this server needs its access token; open the URL it printed at start "
            "(…/?token=TOKEN)", status_code=401)

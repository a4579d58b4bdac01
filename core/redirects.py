"""The one safe-redirect helper: every view that redirects to a URL taken from the request (a
`next` or `back` field, a query argument) passes it through safe_target, so it can only lead to a
page of this site. tests/test_redirects.py checks every redirect( in the code for it."""

from urllib.parse import urlsplit

from core.inputs import _UNSAFE_TEXT


def safe_target(value, fallback: str, *, prefix: str = "/") -> str:
    """`value` when it is a path on this site starting with `prefix`, else `fallback`.

    Refused: anything with a scheme or host (https://evil.example/), protocol-relative and
    backslash forms that browsers read as another host (//evil, /\\evil, \\\\evil), and control
    characters or whitespace, which browsers strip (/\\t/evil.example → //evil.example)."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return fallback
    if "\\" in value or _UNSAFE_TEXT.search(value) or any(ch.isspace() for ch in value):
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith(prefix) or value.startswith("//"):
        return fallback
    return value

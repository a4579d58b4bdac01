"""Session sign-in secrets: the rotating six-digit code and the short-lived QR token. Pure.

The code is TOTP-like: HMAC-SHA256 of the session id and the current time window under the
session's own secret, truncated to six digits. A window lasts STUDY_SIGNIN_CODE_SECONDS; the code
of the previous window is still accepted for PREVIOUS_CODE_GRACE seconds after it changes, so an
officer typing as the code turns over is not refused. The QR code carries a token signed with the
app's secret key that names the session and expires after QR_TOKEN_SECONDS: a forwarded photo
soon stops working, and no reusable secret ever leaves the server.
"""

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from core import clock

PREVIOUS_CODE_GRACE = 10
QR_TOKEN_SECONDS = 120
TOKEN_SALT = "study-session-signin"  # noqa: S105 (a salt naming the token's purpose, not a secret)


def window_of(now: datetime, step: int) -> int:
    return int(now.timestamp()) // step


def code_for(secret: str, session_id: int, window: int) -> str:
    digest = hmac.new(secret.encode(), f"{session_id}:{window}".encode(), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def current_code(secret: str, session_id: int, now: datetime, step: int) -> tuple[str, int]:
    """(the code now, seconds until it changes)."""
    window = window_of(now, step)
    seconds_left = (window + 1) * step - now.timestamp()
    return code_for(secret, session_id, window), max(1, int(seconds_left + 0.999))


def code_matches(secret: str, session_id: int, code: str, now: datetime, step: int) -> bool:
    """True for the current code, or the previous one within PREVIOUS_CODE_GRACE of the change."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return False
    window = window_of(now, step)
    if hmac.compare_digest(code, code_for(secret, session_id, window)):
        return True
    since_change = now.timestamp() - window * step
    return since_change < min(PREVIOUS_CODE_GRACE, step) and hmac.compare_digest(
        code, code_for(secret, session_id, window - 1)
    )


class _ClockSigner(TimestampSigner):
    """Token ages are measured on core.clock, so tests can move time."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT, signer=_ClockSigner)


def make_token(session_id: int) -> str:
    """A token for the QR code of a session, valid QR_TOKEN_SECONDS from now."""
    return _serializer().dumps({"s": session_id})


def token_session_id(token: str) -> int | None:
    """The session id a token names, or None if it is forged, malformed or expired."""
    try:
        data = _serializer().loads(token or "", max_age=QR_TOKEN_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    return data.get("s") if isinstance(data, dict) and isinstance(data.get("s"), int) else None

"""Password policy, hashing and one-time passwords."""

import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from core.errors import ValidationFailed

MAX_LENGTH = 256
# Unambiguous characters for passwords read off a printed sheet: no 0/O, 1/l/I.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12  # 12 of 55 characters: about 69 bits, beyond guessing however it is stored
# A one-time password is a random secret the server made, not a person's choice: a memory-hard
# hash adds nothing to its 69 bits, and at 0.1 s an account it made a roster of 300 people outlast
# the web worker's timeout. The password its holder chooses at first sign-in gets the slow hash,
# and a sign-in with a one-time password spends a slow check's time too (services.authenticate).
ONE_TIME_HASH_METHOD = "pbkdf2:sha256:1000"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text("utf-8").splitlines() if line.strip())


def check_policy(password: str, username: str | None = None) -> None:
    """Raise ValidationFailed unless the password is acceptable: 8-256 characters of any kind,
    not a well-known password, not the account name."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ValidationFailed(_l("The password must have at least %(n)d characters.", n=minimum), field="password")
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(_l("The password may have at most %(n)d characters.", n=MAX_LENGTH), field="password")
    lowered = password.lower()
    if lowered in _common_passwords() or (username and lowered == username.lower()):
        raise ValidationFailed(_l("This password is too easy to guess. Choose another."), field="password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def hash_one_time(password: str) -> str:
    return generate_password_hash(password, method=ONE_TIME_HASH_METHOD)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such account", method=method)


def verify_dummy(password: str) -> None:
    """Spend the time of a real check when the account does not exist."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


def one_time_password() -> str:
    """A random 12-character password to hand out once; the holder must change it at sign-in."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))

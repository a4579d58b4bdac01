"""Locale choice: the user's saved language, then the language cookie, then Chinese."""

from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "yingzhi_lang"


def select_locale() -> str:
    languages = current_app.config["YINGZHI_LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["YINGZHI_TIMEZONE"]


def template_context():
    """`current_locale` for templates: the language code chosen for this request."""
    return {"current_locale": select_locale()}


def N_(message: str) -> str:
    """Mark an English msgid for extraction without translating it now: notices store msgids and
    are translated when shown, in their reader's language."""
    return message

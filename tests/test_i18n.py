"""O2: Chinese by default, English on request, and no message left untranslated."""

import json
import os
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "accounts",
    "core",
    "demo",
    "home",
    "notices",
    "question_bank",
    "quiz",
    "study",
    "reports",
    "scheduler",
    "templates",
]


def test_login_page_is_chinese_without_accept_language(client):
    body = client.get("/login").get_data(as_text=True)
    assert "警号/工号" in body  # msgstr of "Badge or staff number"
    assert "Badge or staff number" not in body


def test_wtforms_required_error_is_chinese(client):
    body = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "该字段是必填字段" in body


def test_switching_to_english_and_back(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302
    assert "Badge or staff number" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "zh_CN", "next": "/login"})
    assert "警号/工号" in client.get("/login").get_data(as_text=True)


def test_english_choice_is_remembered_for_a_signed_in_user(world, login_as, app):
    client = login_as(world["east_officer"])
    client.post("/language", data={"lang": "en", "next": "/"})
    fresh = app.test_client()  # another device: no cookie, but the account remembers
    fresh.post("/login", data={"username": "off-east", "password": "correct-horse-battery-2026"})
    assert "My study" in fresh.get("/").get_data(as_text=True)


def extracted_msgids():
    """The msgids in the code and templates, extracted as bin/i18n does."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]

    def keep(path):
        name = os.path.basename(path)
        return not name.startswith(".") and name != "__pycache__"

    found = set()
    for package in PACKAGES:
        if (ROOT / package).is_dir():
            for *_, message, _comments, _context in extract_from_dir(
                ROOT / package, method_map, keywords=keywords, directory_filter=keep
            ):
                found.add(message if isinstance(message, str) else message[0])
    for _line, message, _comments, _context in extract_from_file("python", ROOT / "app.py", keywords=keywords):
        found.add(message)
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    with open(ROOT / "translations/zh/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = {m.id: m.string for m in read_po(fh) if m.id}
    missing = sorted(msgid for msgid in extracted_msgids() if not catalog.get(msgid))
    assert missing == [], "untranslated (run bin/i18n update, then bin/po-fill):\n" + json.dumps(
        missing, ensure_ascii=False, indent=1
    )

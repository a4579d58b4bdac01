"""O2: Chinese by default, English on request, and no message left untranslated."""

import json
import os
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "accounts",
    "appraisal",
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


# What bin/i18n extracts besides Babel's defaults (gettext, ngettext, pgettext, npgettext…).
KEYWORDS = {"_l": None, "N_": None, "lazy_pgettext": ((1, "c"), 2)}

# English words that mean different things on different pages, so one Chinese word cannot
# translate them all: every use must say which meaning it has, with pgettext / lazy_pgettext.
AMBIGUOUS = {
    "How": "a check-in's way of study (集中学习/自学/线上) vs. what triggered a job run (schedule, catch-up)",
    "Open": "a button that opens something (查看) vs. the state of a test one may take now (进行中)",
    "People": "the people pages in the menu (人员管理) vs. a number of people in a table (人数)",
    "Withdraw": "taking a reading off the list (撤下) vs. calling back a published test (撤回)",
    "Withdrawn": "a reading taken off the list (已撤下) vs. a test called back (已撤回)",
}


def extracted_messages():
    """[(where, context, msgid)] of every translatable string in the code and templates, extracted
    as bin/i18n does (a plural message by its singular msgid)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]

    def keep(path):
        name = os.path.basename(path)
        return not name.startswith(".") and name != "__pycache__"

    found = []
    for package in PACKAGES:
        if (ROOT / package).is_dir():
            for filename, line, message, _comments, context in extract_from_dir(
                ROOT / package, method_map, keywords=keywords, directory_filter=keep
            ):
                msgid = message if isinstance(message, str) else message[0]
                found.append((f"{package}/{filename}:{line}", context, msgid))
    for line, message, _comments, context in extract_from_file("python", ROOT / "app.py", keywords=keywords):
        found.append((f"app.py:{line}", context, message))
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    with open(ROOT / "translations/zh/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = {}
        for m in read_po(fh):
            if m.id:
                msgid = m.id[0] if isinstance(m.id, tuple) else m.id
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                catalog[(m.context, msgid)] = all(strings)  # every plural form filled
    used = {(context, msgid) for _where, context, msgid in extracted_messages()}
    missing = sorted(
        f"{context}\u0004{msgid}" if context else msgid for context, msgid in used if not catalog.get((context, msgid))
    )
    assert missing == [], "untranslated (run bin/i18n update, then bin/po-fill):\n" + json.dumps(
        missing, ensure_ascii=False, indent=1
    )


def test_a_msgid_with_two_meanings_always_carries_its_context():
    """One English msgid has one Chinese translation: where a word means two things (触发方式 on a
    check-in form), each use must name its context. A msgid listed in AMBIGUOUS, or one used
    both with and without a context, fails wherever it is used bare."""
    messages = extracted_messages()
    with_context = {msgid for _where, context, msgid in messages if context}
    bare = [
        f"{where}: {msgid!r} needs pgettext (" + AMBIGUOUS.get(msgid, "it has a context elsewhere") + ")"
        for where, context, msgid in messages
        if context is None and (msgid in AMBIGUOUS or msgid in with_context)
    ]
    assert bare == []
    assert set(AMBIGUOUS) <= with_context, "each listed word is still used, in its contexts"


def test_the_context_check_catches_a_bare_use(tmp_path, monkeypatch):
    """The check above fails for the 触发方式 case: a check-in form labelled with a bare "How"."""
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "forms.py").write_text('method = RadioField(_l("How"))\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ["study"])
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    with pytest.raises(AssertionError, match="study/forms.py:1: 'How' needs pgettext"):
        test_a_msgid_with_two_meanings_always_carries_its_context()

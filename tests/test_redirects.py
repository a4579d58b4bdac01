"""One safe-redirect helper (issue 15): every redirect to a URL from the request goes through
core.redirects.safe_target, and none of them leads off the site."""

import ast
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core import clock
from core.extensions import db
from core.redirects import safe_target
from study import leave
from tests.factories import TEST_PASSWORD
from tests.study.factories import StudySessionFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "core", "home", "notices", "question_bank", "quiz", "reports", "scheduler", "study")

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    " https://evil.example/",
    "javascript:alert(1)",
    "http:/evil.example",
]


def _redirect_arguments():
    """(file:line, argument source) of every redirect(...) call whose argument is not url_for(...)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                guarded = {
                    target.id
                    for node in ast.walk(function)
                    if isinstance(node, ast.Assign) and _calls(node.value, "safe_target")
                    for target in node.targets
                    if isinstance(target, ast.Name)
                }
                for node in ast.walk(function):
                    if _calls(node, "redirect") and node.args and not _calls(node.args[0], "url_for"):
                        argument = node.args[0]
                        safe = _calls(argument, "safe_target") or (
                            isinstance(argument, ast.Name) and argument.id in guarded
                        )
                        found.append((f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(argument), safe))
    return found


def _calls(node, name) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (isinstance(func, ast.Attribute) and func.attr == name)


def test_every_redirect_to_a_request_value_goes_through_safe_target():
    """The redirects that do not go to a url_for(...) — sign-in and language `next`, the bank's
    `back`, the leave decision's `next`, a notice's stored link — each through safe_target."""
    found = _redirect_arguments()
    assert [entry for entry in found if not entry[2]] == []
    places = {place.split(":")[0] for place, _arg, _safe in found}
    assert places == {"accounts/auth_views.py", "question_bank/views.py", "study/manage_views.py", "notices/views.py"}


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_target_refuses_other_hosts(target):
    assert safe_target(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/bank/?q=x&page=2", "/manage/study/sessions/3", "/"])
def test_safe_target_keeps_paths_of_this_site(target):
    assert safe_target(target, "/home") == target


def _location(response):
    assert response.status_code in (301, 302, 303), response.status_code
    return urlsplit(response.headers["Location"])


def _on_site(location):
    return location.netloc in ("", "localhost") and not location.path.startswith("//") and "\\" not in location.path


@pytest.mark.parametrize("target", HOSTILE)
def test_the_leave_decision_never_redirects_off_site(world, login_as, frozen_clock, target):
    """It did: POST /manage/study/leave/<id> with next=https://evil.example/ went there."""
    session = StudySessionFactory(unit=world["east_station"], starts_at=clock.now() + timedelta(days=1))
    request_ = leave.request_leave(world["east_officer"], session, "家中有事，申请请假。", clock.now())
    db.session.commit()
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        f"/manage/study/leave/{request_.id}", data={"decision": "approve", "note": "", "next": target}
    )
    location = _location(response)
    assert _on_site(location) and location.path == "/manage/study/sessions"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_redirects_off_site(world, client, target):
    response = client.post("/login", data={"username": "off-east", "password": TEST_PASSWORD, "next": target})
    location = _location(response)
    assert _on_site(location) and location.path == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_redirects_off_site(client, target):
    location = _location(client.post("/language", data={"lang": "en", "next": target}))
    assert _on_site(location) and location.path == "/"


@pytest.mark.parametrize("target", [*HOSTILE, "/admin/people/"])
def test_the_bank_bulk_action_returns_only_to_the_bank(world, login_as, target):
    response = login_as(world["admin"]).post("/bank/bulk", data={"action": "retire", "back": target})
    location = _location(response)
    assert _on_site(location) and location.path == "/bank/"


def test_a_path_of_this_site_is_followed(world, client):
    response = client.post("/login", data={"username": "off-east", "password": TEST_PASSWORD, "next": "/exams"})
    assert _location(response).path == "/exams"

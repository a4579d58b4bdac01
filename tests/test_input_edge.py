"""One edge for input (issue 15): ids past the database's range are 404, every JSON body is
checked against its endpoint's schema before a service sees it (types, ranges, lengths, nesting,
finite numbers), and text with control characters or lone surrogates is refused in one place for
forms, query strings and JSON — each with a Chinese message, never a 500."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import PaperItem
from study.models import CheckIn, LeaveRequest
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import start
from tests.study.factories import NOTES, StudySessionFactory
from tests.test_access_control import routes

TOO_BIG = str(2**64)  # past 2^63−1, the largest integer SQLite holds
PAST_INT32 = str(2**31)  # past 2^31−1, the largest id PostgreSQL's INTEGER columns hold
TODAY = date(2026, 11, 23)


def _chinese_400(response):
    body = response.get_json()
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    return body


@pytest.mark.parametrize("too_big", [TOO_BIG, PAST_INT32])
def test_every_route_answers_404_for_an_id_past_the_largest_one(app, world, login_as, too_big):
    """Every <int:…> argument of every route, as an admin (who may open every page): 404, never 500."""
    admin = login_as(world["admin"])
    checked = 0
    for endpoint, rule, methods in routes(app):
        if "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[^>]+>", too_big, rule.rule).replace("<day>", "2026-11-23").replace("<job_name>", "x")
        for method in methods:
            response = admin.open(url, method=method, json={} if url.startswith("/api/") else None)
            assert response.status_code == 404, (endpoint, method, url, response.status_code)
            checked += 1
    assert checked > 40


QUERY_IDS = [
    ("admin", f"/reports/board?unit={TOO_BIG}"),
    ("admin", f"/reports/board.xlsx?unit={TOO_BIG}"),
    ("admin", f"/api/v1/reports/summary?unit={TOO_BIG}"),
    ("admin", f"/api/v1/reports/summary?unit={PAST_INT32}"),
    ("admin", f"/reports/board?unit={PAST_INT32}"),
    ("admin", "/reports/board?unit=abc"),
    ("admin", "/reports/board?unit=0"),
    ("east_officer", f"/practice/cards?category={TOO_BIG}"),
    ("east_officer", f"/practice/category?category={TOO_BIG}"),
    ("east_officer", f"/practice/category/question?category={TOO_BIG}&seed=1&count=10"),
    ("east_officer", f"/practice/wrong/next?after={TOO_BIG}"),
    ("east_officer", f"/practice/cards?category={PAST_INT32}"),
    ("east_officer", f"/practice/wrong/next?after={PAST_INT32}"),
    ("east_officer", "/practice/category/question?category=1&seed=%C2%B2&count=10&i=%C2%B2"),
]


# Found by the route fuzzer (tests/test_route_fuzz.py) on PostgreSQL.
QUERY_IDS += [
    ("admin", f"/manage/study/checkins?unit={PAST_INT32}"),
    ("admin", f"/manage/study/checkins?unit={TOO_BIG}"),
]

EDGE_DAYS = [
    "/manage/study/checkins?day=9999-12-31&period=week",
    "/reports/board?from=9999-12-31",
    "/reports/board?from=0001-01-01",
    "/api/v1/checkins?from=0001-01-01&to=0001-01-02",
    "/api/v1/checkins?to=9999-12-31",
    "/study/checkin?month=9999-12",
    "/study/checkin?day=0001-01-01",
    "/admin/audit?from=0001-01-01&to=9999-12-31",
    f"/admin/people/?unit={PAST_INT32}",
    "/admin/people/?role=0",
]


@pytest.mark.parametrize("path", EDGE_DAYS)
def test_days_at_the_ends_of_the_calendar_and_odd_filters_are_not_server_errors(world, login_as, frozen_clock, path):
    """9999-12-31 plus a week, or 0001-01-01 in UTC, overflowed (a 500); now such days are refused
    like any bad date, or ignored as filters."""
    for user in ("admin", "east_officer"):
        assert login_as(world[user]).get(path).status_code in (200, 302, 400, 403, 404), (user, path)


def test_a_question_posted_without_its_fields_is_refused_on_the_form(world, login_as):
    """The editor took a true/false question's stored answer (True) for a missing field: a 500."""
    from tests.question_bank.factories import QuestionFactory

    question = QuestionFactory(type=QuestionType.TRUE_FALSE, options=[], answer=True)
    response = login_as(world["admin"]).post(f"/bank/{question.id}/edit", data={})
    assert response.status_code == 200 and "该字段是必填字段" in response.get_data(as_text=True)


@pytest.mark.parametrize("user, path", QUERY_IDS)
def test_query_string_ids_out_of_range_are_404(world, login_as, user, path):
    assert login_as(world[user]).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/bank/?q=%23{TOO_BIG}",
        f"/bank/?q=%23{PAST_INT32}",
        "/bank/?q=%23%C2%B2",
        f"/bank/?category={TOO_BIG}",
        f"/admin/audit?page={TOO_BIG}",
    ],
)
def test_searches_and_pages_with_huge_numbers_do_not_break(world, login_as, path):
    assert login_as(world["admin"]).get(path).status_code in (200, 404)


@pytest.fixture
def attempt(world, login_as, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    return client, start(client, exam)


def _item(state, qtype):
    return next(i for i in state["items"] if i["type"] == qtype)


@pytest.mark.parametrize(
    "body",
    [
        {"response": "A", "version": 2**70},
        {"response": "A", "version": -1},
        {"response": "A", "version": 1.5},
        {"response": "A", "marked": "yes"},
        {"response": {"a": 1}},
        {"response": "A" * 201},
    ],
)
def test_a_save_with_a_body_out_of_shape_is_refused_before_the_service(attempt, body):
    client, state = attempt
    item = _item(state, "single")
    _chinese_400(client.put(f"/api/v1/attempts/{state['id']}/answers/{item['id']}", json=body))
    db.session.rollback()
    assert db.session.get(PaperItem, item["id"]).version == 0


def test_a_body_nested_100000_deep_is_refused(attempt):
    client, state = attempt
    item = _item(state, "single")
    deep = "[" * 100_000 + "]" * 100_000
    response = client.put(
        f"/api/v1/attempts/{state['id']}/answers/{item['id']}", data=deep, content_type="application/json"
    )
    _chinese_400(response)


@pytest.mark.parametrize("raw", ['{"seconds": NaN}', '{"seconds": Infinity}', '{"seconds": 1e999}', '{"seconds": -1}'])
def test_leaving_the_page_refuses_numbers_that_are_not_finite_or_negative(attempt, raw):
    client, state = attempt
    response = client.post(f"/api/v1/attempts/{state['id']}/leave", data=raw, content_type="application/json")
    _chinese_400(response)


def test_a_lone_surrogate_in_a_fill_answer_is_refused_and_nothing_is_stored(attempt, world, login_as):
    """Stored, it broke the supervisor's attempt page and the officer's review with a 500."""
    client, state = attempt
    item = _item(state, "fill")
    raw = '{"response": [' + ", ".join(['"\\ud800"'] * item["blanks"]) + "]}"
    response = client.put(
        f"/api/v1/attempts/{state['id']}/answers/{item['id']}", data=raw, content_type="application/json"
    )
    assert _chinese_400(response)["error"] == "unsafe_text"
    db.session.rollback()
    assert db.session.get(PaperItem, item["id"]).response is None
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.get(f"/manage/quiz/attempts/{state['id']}").status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"minutes": "30"},
        {"minutes": 30.7},
        {"minutes": True},
        {"minutes": 30.0},
        {"readings": "1"},
        {"readings": [2**70]},
        {"readings": [2**31]},
        {"readings": [True]},
        {"notes": 12345},
        {"notes": ["a"]},
        {"method": ["self"]},
        {"notes": NOTES + "\x00"},
        {"notes": NOTES + "\x1b[31m"},
    ],
)
def test_a_checkin_out_of_shape_is_refused_and_nothing_saved(world, login_as, frozen_clock, changes):
    body = {"minutes": 90, "method": "self", "readings": [], "notes": NOTES, **changes}
    _chinese_400(login_as(world["east_officer"]).put(f"/api/v1/checkins/{TODAY}", json=body))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_a_checkin_with_line_breaks_and_tabs_in_its_notes_is_kept(world, login_as, frozen_clock):
    body = {"minutes": 90, "method": "self", "readings": [], "notes": NOTES + "\r\n\t第二段。"}
    assert login_as(world["east_officer"]).put(f"/api/v1/checkins/{TODAY}", json=body).status_code == 200


@pytest.fixture
def session_tomorrow(world, frozen_clock):
    start_at = frozen_clock.now + timedelta(days=1)
    return StudySessionFactory(unit=world["east_police"], starts_at=start_at, ends_at=start_at + timedelta(hours=2))


@pytest.mark.parametrize("body", [{"token": 5}, {"code": 123456}, {"code": ["123456"]}, {"token": None}])
def test_a_session_sign_in_out_of_shape_is_refused(world, login_as, session_tomorrow, body):
    client = login_as(world["east_officer"])
    _chinese_400(client.post(f"/api/v1/sessions/{session_tomorrow.id}/signin", json=body))


@pytest.mark.parametrize("reason", [["家中有事"], {"text": "家中有事"}, 5, None, "家中有事\x07"])
def test_a_leave_reason_that_is_not_text_is_refused_not_stored_as_its_repr(world, login_as, session_tomorrow, reason):
    client = login_as(world["east_officer"])
    _chinese_400(client.post(f"/api/v1/sessions/{session_tomorrow.id}/leave", json={"reason": reason}))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeaveRequest)) == 0


@pytest.mark.parametrize("body", ["[]", '"text"', "5", "{", '{"reason": "a"} trailing'])
def test_a_body_that_is_not_one_json_object_is_refused(world, login_as, session_tomorrow, body):
    client = login_as(world["east_officer"])
    response = client.post(f"/api/v1/sessions/{session_tomorrow.id}/leave", data=body, content_type="application/json")
    _chinese_400(response)


def test_control_characters_in_a_form_are_refused_with_a_chinese_page(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    response = client.post(
        "/study/checkin", data={"day": TODAY.isoformat(), "minutes": "90", "method": "self", "notes": NOTES + "\x00"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "无法保存的字符" in page and "notes" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


@pytest.mark.parametrize("path", ["/bank/?q=%00", "/api/v1/checkins?from=%1b", "/reports/board?from=%7f"])
def test_control_characters_in_a_query_string_are_refused(world, login_as, path):
    response = login_as(world["admin"]).get(path)
    assert response.status_code == 400
    message = response.get_json()["message"] if path.startswith("/api/") else response.get_data(as_text=True)
    assert "无法保存的字符" in message


def test_the_api_document_has_request_and_response_schemas_for_every_endpoint(app, client):
    """Generated from the views' own declarations: every /api/ route and method is in it, each
    write with a body has the schema the edge checks, each operation a success schema."""
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for _endpoint, rule, methods in routes(app):
        if not rule.rule.startswith("/api/"):
            continue
        template = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in methods:
            operation = document["paths"][template][method.lower()]
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success and all(
                "schema" in operation["responses"][c]["content"]["application/json"] for c in success
            )
            spec = app.view_functions[rule.endpoint].openapi
            if spec["body"] is not None:
                assert operation["requestBody"]["content"]["application/json"]["schema"]["properties"]

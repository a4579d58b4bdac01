"""E20, E21: closed book. While an officer has an attempt in progress, every route that can show an
answer key or an explanation refuses with a Chinese message; the attempt's own page still opens.

Every route of app.url_map is classified: marked with core.closed_book.shows_answer_keys, or named
in KEY_FREE below with the reason it shows no key. A new route that is neither fails
test_every_route_is_classified, and a key-free one that leaks fails the walk of every page.
"""

import json

import sqlalchemy as sa

from core import clock
from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import Exam, FinishReason
from quiz.results import finish_attempt
from tests import id_providers
from tests.question_bank.factories import CategoryFactory, QuestionFactory
from tests.quiz.factories import make_template, publish, sit_paper
from tests.test_access_control import PUBLIC_ENDPOINTS, build_url, call, routes

SECRET = "闭卷测试专用解析：此文字只能在考试结束后看到。"

# Routes that show no answer key and no explanation, by group.
KEY_FREE = {
    *PUBLIC_ENDPOINTS,
    # home, notices, own account
    "home.index", "notices.index", "notices.read", "notices.read_all", "auth.change_password",
    "devices.index", "devices.revoke", "devices.revoke_all",
    # taking a test: the paper without keys; submit answers score and pass/fail only (E1, E2)
    "quiz.my_exams", "quiz.take", "quiz_api.list_exams", "quiz_api.start_attempt", "quiz_api.save_answer",
    "quiz_api.submit", "quiz_api.record_leave",
    # study: check-ins, readings (required texts, not questions), sessions and leave
    "study.checkin", "study.save_checkin", "study.readings", "study.reading", "study.reading_pdf", "study.mark_read",
    "study.sessions", "study.session_detail", "study.signin", "study.ask_leave",
    # make-up study: what remains (the stems of the questions got wrong, reading titles), no key
    "study.makeup_page",
    "study_api.list_checkins", "study_api.put_checkin", "study_api.list_sessions", "study_api.signin",
    "study_api.ask_leave", "study_api.host_code",
    # reports: figures, scores and names; the exam report shows facility and the most chosen wrong
    # answer per question, never the key (supervisors only)
    "reports.board", "reports.board_export", "reports.exam", "reports.exam_export", "reports.my_record",
    "reports.my_record_export", "reports.person_record", "reports.person_record_export", "reports.bulletins",
    "reports.bulletin", "reports.bulletin_draft", "reports.bulletin_edit", "reports.bulletin_publish",
    "reports.bulletin_docx",
    "reports_api.summary", "reports.bulletins_export", "reports.outstanding_page", "reports.outstanding_export",
    # the appraisal: figures per officer and unit, and inspections with their findings (supervisors only)
    "appraisal.sheet", "appraisal.sheet_export", "appraisal.inspection_list", "appraisal.inspection_export",
    "appraisal.new_inspection", "appraisal.inspection", "appraisal.rectify",
    # supervisors: tests (templates, exams, results and exceptions, the contest leaderboard), study management
    "quiz_manage.templates", "quiz_manage.template", "quiz_manage.new_template", "quiz_manage.edit_template",
    "quiz_manage.exams", "quiz_manage.exam", "quiz_manage.close", "quiz_manage.exceptions", "quiz_manage.leaderboard",
    "quiz_manage.leaderboard_export", "quiz_manage.set_template_active", "quiz_manage.withdraw", "quiz.leaderboard",
    "study_manage.checkins", "study_manage.decide_leave", "study_manage.draw_spotcheck", "study_manage.spotchecks",
    "study_manage.spotcheck", "study_manage.mark_sample", "study_manage.readings", "study_manage.reading",
    "study_manage.new_reading", "study_manage.edit_reading", "study_manage.set_reading_active",
    "study_manage.sessions", "study_manage.session", "study_manage.new_session", "study_manage.edit_session",
    "study_manage.mark_present", "study_manage.projector", "study_manage.warnings", "study_exports.attendance",
    "study_exports.checkins_overview", "study_exports.reading", "study_exports.readings_list",
    "study_exports.sessions_list", "study_exports.spotcheck", "study_exports.spotchecks_list",
    "study_exports.warnings_list",
    # the bank's writes that only redirect, its category tree, and the import (the uploaded file's own rows)
    "bank.bulk", "bank.set_active", "bank_categories.index", "bank_categories.create",
    "bank_categories.create_defaults", "bank_categories.rename", "bank_categories.set_active", "bank_import.upload",
    "bank_import.confirm", "bank_import.template", "bank_import.check",
    # administration
    "admin.settings", "audit.log", "audit.export", "jobs.index", "jobs.run_now", "units.index", "units.create",
    "units.edit", "units.move", "units.set_active", "people.index", "people.create", "people.edit",
    "people.reset_password", "people.set_active", "people.revoke_device", "people.revoke_devices",
    "people_import.upload", "people_import.confirm",
    "people_import.template", "people.export", "jobs.publish_missed", "jobs.dismiss_missed",
}  # fmt: skip


SIGNS_OUT = {"auth.logout", "auth.login", "static"}


def text_of(response) -> str:
    """The body as a reader sees it (JSON with its Chinese unescaped)."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data().decode("utf-8", errors="replace")  # exports are binary


def _marked(app, endpoint) -> bool:
    return getattr(app.view_functions[endpoint], "shows_answer_keys", False)


def test_every_route_is_classified(app):
    """A route is either marked as showing keys or listed here as key-free, never both or neither."""
    endpoints = {endpoint for endpoint, _rule, _methods in routes(app)}
    unclassified = sorted(e for e in endpoints if not _marked(app, e) and e not in KEY_FREE)
    both = sorted(e for e in endpoints if _marked(app, e) and e in KEY_FREE)
    stale = sorted(KEY_FREE - endpoints - {"static"})
    assert (unclassified, both, stale) == ([], [], [])
    assert {"quiz.attempt_result", "quiz_api.attempt_detail", "practice.wrong_book", "practice.cards"} <= {
        e for e in endpoints if _marked(app, e)
    }


def _earlier_reviewed_attempt(world):
    """A test the officer sat last week, closed for everyone: its review shows keys and SECRET."""
    category = CategoryFactory(name="闭卷测试分类")
    for n in range(2):
        QuestionFactory(category=category, stem=f"闭卷单选{n}", options=["甲", "乙", "丙", "丁"], answer="A",
                        explanation=SECRET)  # fmt: skip
    template = make_template(world["east"], category, title="上周周测", rules=[(QuestionType.SINGLE, 2, 50)])
    exam = publish(template)
    attempt = sit_paper(exam, world["east_officer"])
    finish_attempt(attempt, finished_at=clock.now(), reason=FinishReason.SUBMITTED)
    db.session.execute(sa.update(Exam).where(Exam.id == exam.id).values(closed_at=clock.now()))
    db.session.commit()
    return attempt.id


def test_nothing_shows_a_key_while_an_attempt_is_in_progress(app, world, login_as, frozen_clock):
    """E21: as the officer with a test in progress, every marked route refuses (the attempt's own
    page and state aside), and no page at all carries an explanation of a past test. After the
    submit, the past review shows it again."""
    earlier = _earlier_reviewed_attempt(world)
    officer = login_as(world["east_officer"])
    assert SECRET in text_of(officer.get(f"/api/v1/attempts/{earlier}"))  # before the test: the review opens

    ids = id_providers.east_ids(world)  # holds the officer's attempt in progress, ids["attempt_id"]
    refused = opened = 0
    for endpoint, rule, methods in routes(app):
        roles = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if endpoint in SIGNS_OUT or (roles is not None and world["east_officer"].role not in roles):
            continue
        urls = [build_url(rule, ids)]
        if "attempt_id" in rule.arguments:
            urls.append(build_url(rule, {**ids, "attempt_id": earlier}))
        for url in urls:
            for method in methods:
                if method != "GET" and not _marked(app, endpoint):
                    continue  # a key-free write (a submit) could end the attempt in progress
                response = call(officer, method, url)
                body = text_of(response)
                assert SECRET not in body, (method, url)
                own_attempt = f"/{ids['attempt_id']}" in url and "attempt_id" in rule.arguments
                if _marked(app, endpoint) and not own_attempt:
                    assert response.status_code == 403, (method, url, response.status_code)
                    assert "正在进行的考试" in body
                    refused += 1
                elif _marked(app, endpoint):
                    assert response.status_code == 200, (method, url)
                    opened += 1
    assert refused >= 12 and opened == 2

    assert officer.post(f"/api/v1/attempts/{ids['attempt_id']}/submit").status_code == 200
    review = officer.get(f"/api/v1/attempts/{earlier}")
    assert review.status_code == 200 and SECRET in text_of(review)
    assert SECRET in text_of(officer.get(f"/attempts/{earlier}"))


def test_the_refusal_is_in_chinese_and_names_the_way_out(world, login_as, frozen_clock):
    earlier = _earlier_reviewed_attempt(world)
    ids = id_providers.east_ids(world)
    officer = login_as(world["east_officer"])
    refused = officer.get(f"/api/v1/attempts/{earlier}")
    assert refused.status_code == 403 and refused.get_json()["error"] == "closed_book"
    assert "交卷后" in refused.get_json()["message"]
    page = officer.get(f"/attempts/{earlier}")
    assert page.status_code == 403 and "交卷后" in page.get_data(as_text=True)
    own = officer.get(f"/api/v1/attempts/{ids['attempt_id']}").get_json()
    assert own["review"] is False and all("explanation" not in item for item in own["items"])


def test_two_tests_in_progress_each_open_their_own_paper_and_nothing_else(world, login_as, frozen_clock):
    """An officer who started the weekly test and then a second one (a retake, a contest) can go
    back to either paper: an attempt being taken shows no key. A past review stays shut. (Before,
    only one of the two opened: the other answered 403 closed_book.)"""
    earlier = _earlier_reviewed_attempt(world)
    category = CategoryFactory(name="两场同时进行")
    for n in range(2):
        QuestionFactory(category=category, stem=f"同时单选{n}", options=["甲", "乙", "丙", "丁"], answer="A",
                        explanation=SECRET)  # fmt: skip
    exams = [
        publish(make_template(world["east"], category, title=title, rules=[(QuestionType.SINGLE, 2, 50)]))
        for title in ("本周周测", "知识竞赛")
    ]
    officer = login_as(world["east_officer"])
    started = [officer.post(f"/api/v1/exams/{exam.id}/attempts") for exam in exams]
    assert [response.status_code for response in started] == [201, 201]
    for attempt_id in [response.get_json()["id"] for response in started]:
        for url in (f"/api/v1/attempts/{attempt_id}", f"/attempts/{attempt_id}"):
            response = officer.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert SECRET not in text_of(response)
        paper = officer.get(f"/api/v1/attempts/{attempt_id}").get_json()
        assert paper["review"] is False and len(paper["items"]) == 2 and "同时单选" in paper["items"][0]["stem"]
    refused = officer.get(f"/api/v1/attempts/{earlier}")
    assert refused.status_code == 403 and refused.get_json()["error"] == "closed_book"

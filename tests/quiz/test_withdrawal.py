"""Withdrawing a published test before anyone starts it (it disappears for its officers and from
every report, and its period is not published again), refused once someone has started; and
pausing and resuming a template. Supervisors of the whole scope only, with CSRF, audited."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.audit import AuditEvent
from core import clock
from core.extensions import db
from notices.models import Notice
from quiz.models import Exam, ExamAssignment, ExamKind, ExamTemplate
from quiz.schedule import publish_due_exams
from reports.summaries import refresh_summaries
from scheduler import runner
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.quiz.test_schedule import MONDAY_0800, exams_of, weekly_template


def _exam(world, **kwargs):
    category, _ = small_bank()
    return publish(make_template(world["east"], category, **kwargs))


def _withdraw(client, exam):
    return client.post(f"/manage/quiz/exams/{exam.id}/withdraw", follow_redirects=True)


def test_a_test_nobody_started_is_withdrawn_for_everyone_and_from_every_report(world, login_as, frozen_clock):
    exam = _exam(world)
    officer = login_as(world["east_officer"])
    assert exam.title in officer.get("/exams").get_data(as_text=True)
    supervisor = login_as(world["east_supervisor"])
    assert "撤回本次测试？" in supervisor.get(f"/manage/quiz/exams/{exam.id}").get_data(as_text=True)
    assert exam.title in supervisor.get("/").get_data(as_text=True)

    page = _withdraw(supervisor, exam).get_data(as_text=True)
    assert "测试已撤回：原定参考的 2 名干警不再看到这次测试。" in page
    assert "已于" in page and "撤回本次测试？" not in page  # no button any more
    db.session.rollback()
    exam = db.session.get(Exam, exam.id)
    assert exam.withdrawn_at == clock.now() and exam.closed_at == clock.now()
    assert exam.withdrawn_by_id == world["east_supervisor"].id
    assert ExamAssignment.query.filter_by(exam_id=exam.id).count() == 0
    assert exam.title not in officer.get("/exams").get_data(as_text=True)
    assert officer.get(f"/exams/{exam.id}/take").status_code == 404
    notice = Notice.query.filter_by(user_id=world["east_officer"].id, kind="quiz.withdrawn").one()
    assert notice.params == {"title": exam.title}
    (event,) = AuditEvent.query.filter_by(action="quiz.exam_withdrawn").all()
    assert event.actor_id == world["east_supervisor"].id and event.detail["assigned"] == 2
    listed = supervisor.get("/manage/quiz/exams").get_data(as_text=True)
    assert '<span class="badge bad">已撤回</span>' in listed
    assert exam.title not in supervisor.get("/").get_data(as_text=True)  # not this week's test on the workbench

    refresh_summaries(clock.now() + timedelta(minutes=5))
    db.session.commit()
    week = {"from": "2026-11-23", "to": "2026-11-23", "unit": world["east"].id}
    summary = supervisor.get("/api/v1/reports/summary", query_string=week).get_json()
    assert summary["total"]["tests"] == 0 and summary["total"]["assigned"] == 0


def test_a_withdrawn_recurring_period_is_not_published_again(world, login_as, frozen_clock):
    template = weekly_template(world)
    runner.run_due(MONDAY_0800, trigger="schedule")
    (exam,) = exams_of(template)
    frozen_clock.set(MONDAY_0800 + timedelta(minutes=10))
    _withdraw(login_as(world["east_supervisor"]), exam)
    for minutes in (11, 12, 60):
        publish_due_exams(MONDAY_0800 + timedelta(minutes=minutes))
        db.session.commit()
    assert [e.id for e in exams_of(template)] == [exam.id]
    runner.run_due(MONDAY_0800 + timedelta(days=7), trigger="schedule")  # the week closes: no retake, no absentees
    assert [e.retake_round for e in exams_of(template, retakes=True)] == [0, 0]


def test_once_anyone_has_started_the_test_cannot_be_withdrawn(world, login_as, frozen_clock):
    exam = _exam(world)
    sit_paper(exam, world["east_officer"])
    page = _withdraw(login_as(world["east_supervisor"]), exam).get_data(as_text=True)
    assert "已有 1 名干警开始作答，本次测试不能再撤回。" in page
    db.session.rollback()
    assert db.session.get(Exam, exam.id).withdrawn_at is None and db.session.get(Exam, exam.id).closed_at is None
    assert ExamAssignment.query.filter_by(exam_id=exam.id).count() == 2
    assert AuditEvent.query.filter_by(action="quiz.exam_withdrawn").count() == 0


def test_only_the_supervisors_of_the_whole_scope_withdraw_with_a_csrf_token(world, login_as, frozen_clock):
    category, _ = small_bank()
    city_exam = publish(make_template(world["city"], category))
    east_exam = publish(make_template(world["east"], category))
    assert login_as(world["east_officer"]).post(f"/manage/quiz/exams/{east_exam.id}/withdraw").status_code == 403
    assert login_as(world["west_supervisor"]).post(f"/manage/quiz/exams/{east_exam.id}/withdraw").status_code == 403
    assert login_as(world["east_supervisor"]).post(f"/manage/quiz/exams/{city_exam.id}/withdraw").status_code == 403
    no_token = login_as(world["east_supervisor"])
    no_token.csrf = False
    assert no_token.post(f"/manage/quiz/exams/{east_exam.id}/withdraw").status_code == 400
    db.session.rollback()
    assert db.session.get(Exam, east_exam.id).withdrawn_at is None
    assert login_as(world["admin"]).post(f"/manage/quiz/exams/{city_exam.id}/withdraw").status_code == 302
    db.session.rollback()
    assert db.session.get(Exam, city_exam.id).withdrawn_at is not None


def test_a_retake_or_a_closed_test_is_not_withdrawn(world, login_as, frozen_clock):
    exam = _exam(world, kind=ExamKind.ONE_OFF)
    frozen_clock.advance(timedelta(minutes=1))  # a test cannot be closed in the instant it is published
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.post(f"/manage/quiz/exams/{exam.id}/close").status_code == 302
    page = _withdraw(supervisor, exam).get_data(as_text=True)
    assert "本次测试已结束或已撤回。" in page
    db.session.rollback()
    retake = Exam.query.filter_by(retake_of_id=exam.id).one()
    assert "补考不能撤回" in _withdraw(supervisor, retake).get_data(as_text=True)
    assert db.session.get(Exam, retake.id).withdrawn_at is None


def _set_active(client, template, active):
    return client.post(f"/manage/quiz/templates/{template.id}/active", data={"active": active}, follow_redirects=True)


def test_a_paused_template_publishes_nothing_and_resumes_from_now(world, login_as, frozen_clock):
    template = weekly_template(world)
    supervisor = login_as(world["east_supervisor"])
    frozen_clock.set(MONDAY_0800 - timedelta(hours=2))
    page = _set_active(supervisor, template, "0").get_data(as_text=True)
    assert "模板已暂停" in page and "已暂停：恢复之前，此模板不发布任何测试。" in page
    assert _set_active(supervisor, template, "0").status_code == 200  # again: nothing changes
    runner.run_due(MONDAY_0800 + timedelta(minutes=1), trigger="schedule")
    runner.run_due(MONDAY_0800 + timedelta(days=8), trigger="schedule")  # W48 passes, W49 opens: paused
    assert exams_of(template) == []
    assert "已暂停" in supervisor.get("/manage/quiz/templates").get_data(as_text=True)

    frozen_clock.set(MONDAY_0800 + timedelta(days=8, hours=1))  # Tuesday of W49
    supervisor = login_as(world["east_supervisor"])  # a week later: a new sign-in
    assert "模板已恢复" in _set_active(supervisor, template, "1").get_data(as_text=True)
    runner.run_due(MONDAY_0800 + timedelta(days=8, hours=1, minutes=1), trigger="schedule")
    assert [e.period_key for e in exams_of(template)] == ["2026-W49"]  # W48 passed while paused: not published
    db.session.rollback()
    assert db.session.get(ExamTemplate, template.id).recurs_from == clock.now()
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("quiz.template_%"))).all()
    assert sorted(actions) == ["quiz.template_paused", "quiz.template_resumed"]


def test_pausing_is_for_the_template_s_supervisors(world, login_as, frozen_clock):
    template = weekly_template(world)
    assert login_as(world["west_supervisor"]).post(
        f"/manage/quiz/templates/{template.id}/active", data={"active": "0"}
    ).status_code in (403, 404)
    assert (
        login_as(world["east_officer"])
        .post(f"/manage/quiz/templates/{template.id}/active", data={"active": "0"})
        .status_code
        == 403
    )
    db.session.rollback()
    assert db.session.get(ExamTemplate, template.id).active

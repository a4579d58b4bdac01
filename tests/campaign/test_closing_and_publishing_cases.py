"""Issue 13, cases 1–3: one officer's extension holds no one else (S9); catch-up never publishes a
window that is over, and a partly over one only with enough time left (S3); a hand publish and
the schedule give one exam per period, in either order (S10). Through the pages, the API and the
scheduler's own entry points."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from core import clock
from core.extensions import db
from notices.models import Notice
from quiz.closing import close_due_exams
from quiz.missed_models import MissedPeriod, MissedReason
from quiz.models import AssignmentStatus, Exam, ExamAssignment, Recurrence
from quiz.schedule import publish_due_exams
from scheduler import runner
from tests.question_bank.factories import CategoryFactory
from tests.quiz.closing_helpers import answer, assignment_of
from tests.quiz.factories import make_template, publish, sit_paper, small_bank

GRACE = timedelta(seconds=30)
MONDAY_0800 = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # Monday 08:00 in Asia/Shanghai


def _weekly(world, category=None, **fields):
    category = category or small_bank()[0]
    return make_template(
        world["east"],
        category,
        recurrence=Recurrence.WEEKLY,
        open_weekday=0,
        open_time="08:00",
        close_weekday=6,
        close_time="20:00",
        recurs_from=MONDAY_0800 - timedelta(hours=1),
        **{"title": "应知应会周测", **fields},
    )


def _exams(template):
    db.session.rollback()
    return db.session.scalars(
        sa.select(Exam).where(Exam.template_id == template.id, Exam.retake_round == 0).order_by(Exam.id)
    ).all()


def test_case_1_one_officers_extension_holds_no_one_else(world, frozen_clock, login_as):
    """S9. officer2 is given a day more; at the exam's close everyone else is graded, marked 缺考,
    flagged and in the retake; officer2 is closed at the end of their own window and joins the
    retake then, with the full retake days; nobody sees the key until that last window ends."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category, retake_days=2), open_for=timedelta(hours=2))
    failer = sit_paper(exam, world["east_officer"])
    answer(failer, wrong_positions=(1, 2, 3))
    supervisor = login_as(world["east_supervisor"])
    extended_until = clock.local(exam.closes_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    reply = supervisor.post(
        f"/manage/quiz/exams/{exam.id}/exceptions",
        data={
            "assignment_id": [assignment_of(exam, world["east_officer2"]).id],
            "closes_at": extended_until,
            "reason": "病假，延后一天",
        },
    )
    assert reply.status_code == 302

    frozen_clock.set(exam.closes_at + GRACE)
    runner.run_due(clock.now(), trigger="schedule")
    failed = assignment_of(exam, world["east_officer"])
    assert (failed.status, failed.flagged, failed.closed_at) == (AssignmentStatus.FAILED, True, clock.now())
    retake = Exam.query.filter_by(retake_of_id=exam.id).one()
    assert retake.closes_at == clock.parse_local(extended_until) + timedelta(days=2)  # after the last window
    assert {a.user_id for a in ExamAssignment.query.filter_by(exam_id=retake.id)} == {world["east_officer"].id}
    assert Notice.query.filter_by(user_id=world["east_officer"].id, kind="retake_assigned").count() == 1
    extended = assignment_of(exam, world["east_officer2"])
    assert (extended.status, extended.closed_at) == (AssignmentStatus.ASSIGNED, None)
    assert db.session.get(Exam, exam.id).closed_at is None
    officer = login_as(world["east_officer"])
    review = officer.get(f"/api/v1/attempts/{failer.id}").get_json()
    assert review["review"] is False and "answer" not in review["items"][0]
    assert officer.get("/practice/wrong").status_code == 200
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Exam).where(Exam.closed_at.is_not(None)))

    # The extended officer's own window ends: absent, flagged, in the same retake with their own days.
    frozen_clock.set(clock.parse_local(extended_until) + GRACE)
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["officers_closed"] == 1 and counts["exams_closed"] == 1
    late = assignment_of(exam, world["east_officer2"])
    assert (late.status, late.flagged) == (AssignmentStatus.ABSENT, True)
    joined = ExamAssignment.query.filter_by(exam_id=retake.id, user_id=world["east_officer2"].id).one()
    assert (joined.closes_at or retake.closes_at) >= clock.now() + timedelta(days=2)
    review = login_as(world["east_officer"]).get(f"/api/v1/attempts/{failer.id}").get_json()
    assert review["review"] is True and "answer" in review["items"][0]


def test_case_2_catch_up_never_publishes_a_window_already_over(world, frozen_clock, login_as):
    """S3. The scheduler down from Monday 07:00 to Sunday 09:00: with 11 hours of the week's
    window left (under the 24-hour setting) the week is held, the admins told; the admin
    publishes it from the jobs page with a new window; the next tick publishes nothing more. A
    scheduler back on Saturday 10:00 (34 hours left) publishes the week with the time it has."""
    template = _weekly(world)
    sunday_0900 = MONDAY_0800 + timedelta(days=6, hours=1)
    assert publish_due_exams(sunday_0900) == {"published": 0, "missed": 1, "bank_short": 0}
    db.session.commit()
    missed = MissedPeriod.query.filter_by(template_id=template.id).one()
    assert (missed.period_key, missed.reason) == ("2026-W48", MissedReason.TOO_LITTLE_TIME)
    assert ExamAssignment.query.count() == 0
    notice = Notice.query.filter_by(user_id=world["admin"].id, kind="exam_missed").one()
    assert notice.link == "/admin/jobs/"

    frozen_clock.set(sunday_0900)
    admin = login_as(world["admin"])
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert "2026年第48周应知应会周测" in page and "计划任务发现时，剩余答题时间过短" in page
    reply = admin.post(
        f"/admin/jobs/missed/{missed.id}/publish",
        data={f"missed{missed.id}-opens_at": "2026-11-30T08:00", f"missed{missed.id}-closes_at": "2026-12-03T20:00"},
    )
    assert reply.status_code == 302
    (exam,) = _exams(template)
    assert (exam.period_key, exam.opens_at) == ("2026-W48", clock.parse_local("2026-11-30T08:00"))
    assert {a.user_id for a in ExamAssignment.query.filter_by(exam_id=exam.id)} == {
        world["east_officer"].id,
        world["east_officer2"].id,
    }
    assert db.session.get(MissedPeriod, missed.id).exam_id == exam.id
    assert publish_due_exams(sunday_0900 + timedelta(minutes=1))["published"] == 0
    assert 'id="missed"' not in admin.get("/admin/jobs/").get_data(as_text=True)  # nothing left to decide

    other = _weekly(world, category=small_bank(category=CategoryFactory())[0], title="第二套周测")
    saturday_1000 = MONDAY_0800 + timedelta(days=5, hours=2)
    db.session.execute(sa.delete(MissedPeriod).where(MissedPeriod.template_id == other.id))
    counts = publish_due_exams(saturday_1000)
    db.session.commit()
    assert counts["published"] == 1
    (week,) = _exams(other)
    assert week.opens_at == MONDAY_0800 and week.closes_at - saturday_1000 == timedelta(hours=34)


def test_case_2_a_missed_test_can_be_let_go_and_nobody_is_absent_for_it(world, frozen_clock, login_as):
    template = _weekly(world)
    publish_due_exams(MONDAY_0800 + timedelta(weeks=1, hours=1))  # W48's whole window has passed
    db.session.commit()
    missed = MissedPeriod.query.filter_by(template_id=template.id, period_key="2026-W48").one()
    assert missed.reason == MissedReason.WINDOW_PASSED
    frozen_clock.set(MONDAY_0800 + timedelta(weeks=1, hours=2))
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.post(f"/admin/jobs/missed/{missed.id}/dismiss").status_code == 403
    admin = login_as(world["admin"])
    assert admin.post(f"/admin/jobs/missed/{missed.id}/dismiss").status_code == 302
    db.session.rollback()
    assert db.session.get(MissedPeriod, missed.id).dismissed
    assert [e.period_key for e in _exams(template)] == ["2026-W49"]
    assert ExamAssignment.query.filter_by(status=AssignmentStatus.ABSENT).count() == 0


def test_case_3_a_hand_publish_then_the_schedule_make_one_exam(world, frozen_clock, runner):
    """S10: `publish-exam --template` for the week of 12-07, then the Monday job: one exam."""
    template = _weekly(world)
    frozen_clock.set(datetime(2026, 12, 4, 1, 0, tzinfo=UTC))
    result = runner.invoke(
        args=[
            "publish-exam",
            "--template",
            str(template.id),
            "--opens",
            "2026-12-07T08:00",
            "--closes",
            "2026-12-13T20:00",
        ]
    )
    assert result.exit_code == 0, result.output
    monday_job = runner_run("publish_exams", datetime(2026, 12, 7, 0, 1, tzinfo=UTC))
    assert monday_job.counts["published"] == 0
    exams = [e for e in _exams(template) if e.period_key == "2026-W50"]
    assert len(exams) == 1 and exams[0].title == "2026年第50周应知应会周测"
    again = runner.invoke(
        args=[
            "publish-exam",
            "--template",
            str(template.id),
            "--opens",
            "2026-12-08T08:00",
            "--closes",
            "2026-12-13T20:00",
        ]
    )
    assert again.exit_code != 0 and "本期测试已经发布" in again.output and f"测试编号 {exams[0].id}" in again.output


def test_case_3_the_schedule_then_a_hand_publish_make_one_exam(world, frozen_clock, login_as):
    """S10, the other order: the supervisor's publish form for the same week says it is published."""
    template = _weekly(world)
    runner_run("publish_exams", MONDAY_0800 + timedelta(minutes=1))
    frozen_clock.set(MONDAY_0800 + timedelta(hours=2))
    page = login_as(world["east_supervisor"]).post(
        f"/manage/quiz/templates/{template.id}",
        data={"opens_at": "2026-11-24T08:00", "closes_at": "2026-11-26T20:00", "title": ""},
    )
    assert page.status_code == 200 and "本期测试已经发布" in page.get_data(as_text=True)
    assert len(_exams(template)) == 1


def runner_run(job, at):
    return runner.run_job(job, at, trigger="schedule")


def test_case_1_a_test_closed_the_instant_it_is_published_marks_nobody_absent(world, frozen_clock, login_as):
    """Found by the simulation with new campaigns: a supervisor closing a test in the same instant
    it was published (a late period the scheduler just published, or a hand publish) marked every
    officer 缺考 for a window of no length. The close is refused, in Chinese; a minute later it is
    an ordinary early close."""
    frozen_clock.set(MONDAY_0800)
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category), opens_in=timedelta(hours=-3))  # published late
    supervisor = login_as(world["east_supervisor"])
    refused = supervisor.post(f"/manage/quiz/exams/{exam.id}/close", follow_redirects=True)
    assert refused.status_code == 409 and "测试尚未开始，不能结束。" in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Exam, exam.id).closed_at is None
    assert ExamAssignment.query.filter_by(exam_id=exam.id, status=AssignmentStatus.ABSENT).count() == 0

    frozen_clock.advance(timedelta(minutes=1))
    assert login_as(world["east_supervisor"]).post(f"/manage/quiz/exams/{exam.id}/close").status_code == 302
    db.session.rollback()
    assert db.session.get(Exam, exam.id).closed_at is not None

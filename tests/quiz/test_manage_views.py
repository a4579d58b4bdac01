"""The supervisor's test pages through HTTP: templates with blueprint rows, publishing (the bank
check names the short row), an exam's results per officer with retake chains, exceptions
recorded with a reason and audited, closing now, an officer's attempt, contest leaderboards,
the workbench panel and the CLI."""

from datetime import timedelta

from accounts.audit import AuditEvent
from core import clock
from core.extensions import db
from question_bank.models import QuestionType
from quiz import closing
from quiz.closing import close_due_exams
from quiz.models import AssignmentStatus, Exam, ExamKind, ExamTemplate, Recurrence
from quiz.results import finish_attempt
from tests.quiz.closing_helpers import answer, assignment_of
from tests.quiz.factories import make_template, publish, sit_paper, small_bank

SAVE_GRACE_SECONDS = 30  # the default save grace (config.py)

TEMPLATE_FORM = {
    "title": "东区第48周应知应会周测",
    "kind": "weekly",
    "duration_minutes": "20",
    "pass_mark_percent": "60",
    "attempts_allowed": "1",
    "attempt_policy": "highest",
    "shuffle_questions": "y",
    "shuffle_options": "y",
    "retake_days": "3",
    "recurrence": "weekly",
    "open_weekday": "0",
    "close_weekday": "6",
    "open_day": "",
    "close_day": "",
    "open_time": "08:00",
    "close_time": "20:00",
}


def _rows(category, *rows):
    data = {}
    for i, (qtype, count, points) in enumerate(rows):
        data.update(
            {
                f"rules-{i}-category_id": str(category.id),
                f"rules-{i}-type": qtype,
                f"rules-{i}-count": str(count),
                f"rules-{i}-points": str(points),
            }
        )
    return data


def test_a_supervisor_creates_a_template_with_two_rows_and_publishes_it(world, frozen_clock, login_as):
    category, _ = small_bank()
    client = login_as(world["east_supervisor"])
    form = client.get("/manage/quiz/templates/new")
    assert form.status_code == 200 and "组卷规则" in form.get_data(as_text=True)
    # "Add a row" re-renders the form with one more row and saves nothing.
    added = client.post(
        "/manage/quiz/templates/new",
        data={**TEMPLATE_FORM, "scope_unit_id": world["east"].id, **_rows(category, ("single", 2, 20)), "add_row": "1"},
    )
    assert "rules-1-category_id" in added.get_data(as_text=True) and ExamTemplate.query.count() == 0
    data = {
        **TEMPLATE_FORM,
        "scope_unit_id": world["east"].id,
        **_rows(category, ("single", 3, 20), ("true_false", 2, 20)),
    }
    saved = client.post("/manage/quiz/templates/new", data=data)
    assert saved.status_code == 302
    template = ExamTemplate.query.one()
    assert [(r.type, r.count, r.points) for r in template.rules] == [
        (QuestionType.SINGLE, 3, 20),
        (QuestionType.TRUE_FALSE, 2, 20),
    ]
    assert (template.recurrence, template.open_weekday, template.close_time) == (Recurrence.WEEKLY, 0, "20:00")
    assert template.open_day is None

    page = client.get(saved.headers["Location"])
    assert page.status_code == 200 and "东区第48周应知应会周测" in page.get_data(as_text=True)
    published = client.post(
        f"/manage/quiz/templates/{template.id}",
        data={"opens_at": "2026-11-23T09:00", "closes_at": "2026-11-23T21:00", "title": ""},
    )
    assert published.status_code == 302
    exam = Exam.query.one()
    assert exam.closes_at == clock.parse_local("2026-11-23T21:00")
    detail = client.get(published.headers["Location"]).get_data(as_text=True)
    assert world["east_officer"].full_name in detail and world["east_officer2"].full_name in detail
    assert world["west_officer"].full_name not in detail


def test_removing_a_row_and_the_bank_check_naming_the_short_row(world, frozen_clock, login_as):
    category, _ = small_bank(per_type=2)
    template = make_template(world["east"], category)
    client = login_as(world["east_supervisor"])
    data = {
        **TEMPLATE_FORM,
        "scope_unit_id": world["east"].id,
        **_rows(category, ("single", 1, 50), ("fill", 5, 10)),
        "rules-0-remove": "",
    }
    assert client.post(f"/manage/quiz/templates/{template.id}/edit", data=data).status_code == 302
    db.session.rollback()
    assert [(r.type, r.count) for r in db.session.get(ExamTemplate, template.id).rules] == [
        (QuestionType.SINGLE, 1),
        (QuestionType.FILL, 5),
    ]
    reply = client.post(
        f"/manage/quiz/templates/{template.id}",
        data={"opens_at": "2026-11-23T09:00", "closes_at": "2026-11-23T21:00"},
    )
    text = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "第2行" in text and "需要 5 道题，题库中只有 2 道" in text
    assert Exam.query.count() == 0
    data["rules-1-remove"] = "y"
    client.post(f"/manage/quiz/templates/{template.id}/edit", data=data)
    db.session.rollback()
    assert len(db.session.get(ExamTemplate, template.id).rules) == 1


def test_a_supervisor_cannot_scope_a_template_outside_their_subtree(world, frozen_clock, login_as):
    category, _ = small_bank(per_type=1)
    client = login_as(world["east_supervisor"])
    data = {**TEMPLATE_FORM, "scope_unit_id": world["west"].id, **_rows(category, ("single", 1, 100))}
    reply = client.post("/manage/quiz/templates/new", data=data)
    assert reply.status_code in (200, 403) and ExamTemplate.query.count() == 0


def test_the_exam_page_shows_passed_failed_absent_and_the_retake_chain(world, frozen_clock, login_as):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category), open_for=timedelta(hours=1))
    failed = sit_paper(exam, world["east_officer"])
    answer(failed, wrong_positions=(1, 2, 3))
    failed.leave_count = 4
    db.session.commit()
    frozen_clock.set(exam.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS))
    close_due_exams(clock.now())
    db.session.commit()
    retake = Exam.query.filter_by(retake_of_id=exam.id).one()
    # Both fail the retake: escalated, highlighted on the first exam's page.
    frozen_clock.set(retake.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS))
    close_due_exams(clock.now())
    db.session.commit()
    client = login_as(world["east_supervisor"])
    page = client.get(f"/manage/quiz/exams/{exam.id}").get_data(as_text=True)
    assert "不合格" in page and "缺考" in page and "已上报" in page and 'class="escalated"' in page
    assert f"/manage/quiz/attempts/{failed.id}" in page
    paper = client.get(f"/manage/quiz/attempts/{failed.id}")
    text = paper.get_data(as_text=True)
    assert paper.status_code == 200 and "4 次" in text and "答错了" in text
    # The home panel counts the results not yet passed (across all tests), and says so.
    assert "2 项结果尚未过关" in client.get("/").get_data(as_text=True)
    # The west supervisor sees none of it.
    west = login_as(world["west_supervisor"])
    assert west.get(f"/manage/quiz/exams/{exam.id}").status_code == 403
    assert west.get(f"/manage/quiz/attempts/{failed.id}").status_code == 403


def test_a_district_supervisor_sees_their_part_of_a_city_wide_exam_but_cannot_close_it(world, frozen_clock, login_as):
    category, _ = small_bank()
    exam = publish(make_template(world["city"], category))
    east = login_as(world["east_supervisor"])
    page = east.get(f"/manage/quiz/exams/{exam.id}").get_data(as_text=True)
    assert world["east_officer"].full_name in page and world["west_officer"].full_name not in page
    assert east.post(f"/manage/quiz/exams/{exam.id}/close").status_code == 403
    assert db.session.get(Exam, exam.id).closed_at is None
    assert exam.title in east.get("/manage/quiz/exams").get_data(as_text=True)


def test_an_exception_is_recorded_with_its_reason_and_audited(world, frozen_clock, login_as):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    mine = assignment_of(exam, world["east_officer"])
    other = assignment_of(exam, world["east_officer2"])
    client = login_as(world["east_supervisor"])
    refused = client.post(
        f"/manage/quiz/exams/{exam.id}/exceptions",
        data={"assignment_id": [mine.id], "extra_minutes": "15", "reason": ""},
    )
    assert refused.status_code == 302 and assignment_of(exam, world["east_officer"]).extra_minutes == 0
    reply = client.post(
        f"/manage/quiz/exams/{exam.id}/exceptions",
        data={
            "assignment_id": [mine.id, other.id],
            "closes_at": "2026-11-26T20:00",
            "extra_minutes": "15",
            "extra_attempts": "1",
            "reason": "值班备勤，延后参考",
        },
    )
    assert reply.status_code == 302
    for user in (world["east_officer"], world["east_officer2"]):
        row = assignment_of(exam, user)
        assert (row.closes_at, row.extra_minutes, row.extra_attempts, row.exception_reason) == (
            clock.parse_local("2026-11-26T20:00"),
            15,
            1,
            "值班备勤，延后参考",
        )
        assert row.exception_by_id == world["east_supervisor"].id
    events = AuditEvent.query.filter_by(action="quiz.exception_granted").all()
    assert len(events) == 2 and events[0].detail["reason"] == "值班备勤，延后参考"
    # The exam is not due until the latest extended close has passed.
    frozen_clock.set(exam.closes_at + timedelta(minutes=5))
    assert close_due_exams(clock.now()) == {}


def test_closing_now_finishes_open_papers_and_a_second_press_changes_nothing(world, frozen_clock, login_as):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt)
    client = login_as(world["east_supervisor"])
    frozen_clock.advance(timedelta(minutes=10))
    assert client.post(f"/manage/quiz/exams/{exam.id}/close").status_code == 302
    assert assignment_of(exam, world["east_officer"]).status == AssignmentStatus.PASSED
    assert assignment_of(exam, world["east_officer2"]).status == AssignmentStatus.ABSENT
    client.post(f"/manage/quiz/exams/{exam.id}/close")
    assert Exam.query.filter_by(retake_of_id=exam.id).count() == 1
    assert AuditEvent.query.filter_by(action="quiz.exam_closed").count() == 1


def test_a_contest_leaderboard_ranks_by_score_then_time(world, frozen_clock, login_as):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category, kind=ExamKind.CONTEST))
    fast = sit_paper(exam, world["east_officer"])
    slow = sit_paper(exam, world["east_officer2"])
    answer(fast)
    answer(slow)
    finish_attempt(fast, finished_at=clock.now() + timedelta(minutes=5), reason=closing.FinishReason.SUBMITTED)
    finish_attempt(slow, finished_at=clock.now() + timedelta(minutes=9), reason=closing.FinishReason.SUBMITTED)
    db.session.commit()
    page = login_as(world["east_supervisor"]).get(f"/manage/quiz/exams/{exam.id}/leaderboard").get_data(as_text=True)
    assert page.index(world["east_officer"].full_name) < page.index(world["east_officer2"].full_name)
    assert "5:00" in page and "9:00" in page
    weekly = publish(make_template(world["east"], category))
    assert login_as(world["east_supervisor"]).get(f"/manage/quiz/exams/{weekly.id}/leaderboard").status_code == 404


def test_the_cli_publishes_and_closes(world, frozen_clock, runner):
    category, _ = small_bank()
    template = make_template(world["east"], category)
    result = runner.invoke(
        args=[
            "publish-exam",
            "--template",
            str(template.id),
            "--opens",
            "2026-11-23T09:00",
            "--closes",
            "2026-11-23T12:00",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "2 officers assigned" in result.output
    result = runner.invoke(args=["close-exams", "--at", "2026-11-23T12:01"])
    assert result.exit_code == 0 and "exams_closed 1" in result.output and "retake_added 2" in result.output
    short = make_template(world["east"], category, rules=[(QuestionType.FILL, 50, 2)])
    result = runner.invoke(
        args=[
            "publish-exam",
            "--template",
            str(short.id),
            "--opens",
            "2026-11-23T09:00",
            "--closes",
            "2026-11-23T12:00",
        ]
    )
    assert result.exit_code != 0 and "第1行" in result.output


def test_a_template_without_rows_or_with_a_bad_row_is_refused_with_a_message(world, frozen_clock, login_as):
    category, _ = small_bank(per_type=1)
    client = login_as(world["east_supervisor"])
    base = {**TEMPLATE_FORM, "scope_unit_id": world["east"].id}
    every_row_removed = {**base, **_rows(category, ("single", 1, 100)), "rules-0-remove": "y"}
    text = client.post("/manage/quiz/templates/new", data=every_row_removed).get_data(as_text=True)
    assert "组卷规则为空，请至少添加一行。" in text and "{}" not in text
    zero_count = {**base, **_rows(category, ("single", 0, 100))}
    text = client.post("/manage/quiz/templates/new", data=zero_count).get_data(as_text=True)
    assert "请填写 1 到 200 之间的整数。" in text
    bad_time = {**base, **_rows(category, ("single", 1, 100)), "open_time": "8点"}
    assert "时间格式为 时:分" in client.post("/manage/quiz/templates/new", data=bad_time).get_data(as_text=True)
    assert ExamTemplate.query.count() == 0

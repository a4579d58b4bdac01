"""Issue 13, cases 6–10: past figures use the roster of their time; item analysis by the question
version on the papers; bulletins from fresh sums that say "all met" only when all are met;
attendance credit for time present, granted at the end; titles and labels; an officer who leaves
mid-week is withdrawn from the open test, one who failed keeps the result (case 11)."""

import io
import re
from datetime import UTC, date, datetime, time, timedelta

import openpyxl
import pytest

from accounts import services as accounts
from accounts.models import Role, Unit, User
from core import clock
from core.extensions import db
from notices.models import Notice
from question_bank import services as bank
from question_bank.models import QuestionType
from quiz.closing import close_due_exams
from quiz.models import AssignmentStatus, Exam, ExamAssignment, PaperItem
from reports import bulletins, exam_report
from reports.board import build_board, figure_values
from study import checkins, leave, sessions
from study.reminders import post_checkin_reminders
from tests.campaign.recompute import compare, exam_units, figures
from tests.factories import TEST_PASSWORD, UserFactory
from tests.question_bank.factories import CategoryFactory, QuestionFactory
from tests.quiz.closing_helpers import assignment_of
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.quiz.helpers import answer_all, start
from tests.study.factories import CheckInFactory, StudySessionFactory

MONDAY = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 of week 48
W47 = date(2026, 11, 16)
W48 = date(2026, 11, 23)


def _summary(client, unit, week):
    return client.get(f"/api/v1/reports/summary?unit={unit.id}&from={week}&to={week}").get_json()


def test_case_6_past_figures_use_the_roster_of_their_time(world, frozen_clock, login_as):
    """Adding officers today leaves last week's 打卡率 as it was; a new officer is neither reminded
    of nor allowed to back-fill days before their account; an officer who moved keeps last week's
    study in the unit they were in then."""
    for offset in range(7):
        frozen_clock.set(clock.local_datetime(W47 + timedelta(days=offset), time(20, 0)))
        CheckInFactory(user=world["east_officer"], day=W47 + timedelta(days=offset), minutes=120)
        if offset < 3:
            CheckInFactory(user=world["east_officer2"], day=W47 + timedelta(days=offset), minutes=60)
    frozen_clock.set(MONDAY)
    supervisor = login_as(world["east_supervisor"])
    before = _summary(supervisor, world["east"], W47)
    assert before["total"]["checkin_rate"] == round(10 / 14 * 100, 1)

    newcomers = [
        accounts.create_user(
            None,
            username=f"new{n}",
            full_name=f"新警{n}",
            unit=world["east_station"],
            role=Role.OFFICER,
            now=MONDAY,
            password=TEST_PASSWORD,
        )[0]
        for n in range(3)
    ]
    # The move: east_officer leaves the station for the court today.
    accounts.update_user(
        None,
        world["east_officer"],
        full_name=world["east_officer"].full_name,
        unit=world["east_court"],
        role=Role.OFFICER,
        phone=None,
        now=MONDAY,
    )
    db.session.commit()
    after = _summary(supervisor, world["east"], W47)
    assert after["total"] == before["total"]
    rows = {row["unit"]["id"]: row for row in after["rows"]}
    assert rows[world["east_police"].id]["checkin_rate"] == 100.0  # east_officer's week, still the station's
    assert rows[world["east_court"].id]["checkin_rate"] == round(3 / 7 * 100, 1)
    this_week = _summary(supervisor, world["east"], W48)["total"]
    assert this_week["checkin_rate"] == 0.0 and this_week["average_minutes"] == 0.0  # 5 officers, today

    newcomer = login_as(newcomers[0])
    yesterday = (W48 - timedelta(days=1)).isoformat()
    refused = newcomer.put(f"/api/v1/checkins/{yesterday}", json={"minutes": 60, "method": "self", "notes": "学" * 30})
    assert refused.status_code == 400 and "账号开通之前的日期不能打卡" in refused.get_json()["message"]
    frozen_clock.set(MONDAY + timedelta(hours=1))
    post_checkin_reminders(clock.now())
    db.session.commit()
    reminded = {n.user_id for n in Notice.query.filter_by(kind="study.checkin_missing")}
    assert not reminded & {person.id for person in newcomers}
    for problem in compare(world["east"].id, W47, W48, clock.today(), build_board(world["east"], W47, W48)):
        pytest.fail(problem)


def test_case_7_item_analysis_groups_by_the_question_version_on_the_papers(world, frozen_clock, login_as):
    """A question edited mid-exam (its key changed from A to B): the exam report shows each version
    with its own text, and B is the most chosen wrong answer only on the version where it was
    wrong, not as the new correct one."""
    category = CategoryFactory(name="版本测试")
    question = QuestionFactory(
        category=category, stem="旧题干：哪项正确？", options=["甲", "乙", "丙", "丁"], answer="A"
    )
    exam = publish(make_template(world["east"], category, rules=[(QuestionType.SINGLE, 1, 100)]))
    early = sit_paper(exam, world["east_officer"])
    bank.edit_question(None, question, stem="新题干：哪项正确？", answer="B", now=clock.now())
    db.session.commit()
    late = sit_paper(exam, world["east_officer2"])  # the exam's pool is frozen: the same version
    for attempt in (early, late):
        item = PaperItem.query.filter_by(attempt_id=attempt.id).one()
        item.response = "B"  # in the question's own letters: wrong on the papers' key (A)
        item.version = 1
    db.session.commit()
    frozen_clock.set(exam.closes_at + timedelta(seconds=30))
    close_due_exams(clock.now())
    db.session.commit()
    page = login_as(world["east_supervisor"]).get(f"/reports/exams/{exam.id}").get_data(as_text=True)
    assert "新题干" not in page  # the text on the papers, not today's
    row = page.split("旧题干")[1].split("</tr>")[0]
    assert "0%" in row and "B <small" in row  # both chose B, wrong on the papers' key


@pytest.mark.parametrize("app", [{"REPORTS_BOARD_CACHE_SECONDS": 60}], indirect=True)
def test_case_8_a_bulletin_is_drafted_from_fresh_sums_and_all_met_only_when_met(app, world, frozen_clock, login_as):
    """A board kept by the server, then results change: the bulletin drafted next has the fresh
    figures. A unit at 83.3 % against a 90 % target is named with its figure and target, and
    "各单位均达到目标" is printed only for a week where every unit met every target."""
    category, _ = small_bank(per_type=6)
    frozen_clock.set(datetime(2026, 11, 17, 1, 0, tzinfo=UTC))
    station = [world["east_officer"], *[UserFactory(unit=world["east_station"]) for _ in range(5)]]
    exam = publish(make_template(world["east_station"], category), open_for=timedelta(hours=3))
    for number, officer in enumerate(station):
        attempt = sit_paper(exam, officer)
        from tests.quiz.closing_helpers import answer

        answer(attempt, wrong_positions=(1, 2, 3) if number == 0 else ())  # 5 of 6 pass: 83.3 %
    build_board(world["east"], W47, W47)  # the server keeps this week's board (nothing closed yet)
    frozen_clock.set(exam.closes_at + timedelta(seconds=30))
    close_due_exams(clock.now())
    db.session.commit()
    frozen_clock.set(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    bulletin = bulletins.draft_bulletin(None, world["east"], W47, clock.now())
    db.session.commit()
    assert "一次合格5人次，合格率83.3%" in bulletin.body.replace(" ", "")
    named = next(line for line in bulletin.body.splitlines() if "东区公安分局：" in line)
    assert "一次合格率 83.3%（目标 90%）；合格率（含补考） 83.3%（目标 90%）" in named
    assert "各单位均达到目标" not in bulletin.body
    board = figure_values(build_board(world["east"], W47, W47).total)
    assert board["pass_rate_first"] == 83.3

    # A week where the only unit with figures met every target (and nobody had to check in).
    settings_row = {"REPORTS_PASS_RATE_TARGET": "80", "REPORTS_CHECKIN_TARGET": "0"}
    from core.settings import set_setting
    from reports.settings import SETTING_SPECS

    for key, value in settings_row.items():
        set_setting(next(s for s in SETTING_SPECS if s.key == key), value, None)
    db.session.commit()
    met = bulletins.compose(world["east"], W47, True)[1]
    assert "各单位均达到目标" in met or "各单位均已达到目标" in met


def test_case_9_attendance_credit_is_the_time_present_granted_when_the_session_ends(world, frozen_clock):
    """10:00–12:00: on time (09:55) earns 120 minutes, a late arrival (10:40) earns 80, leave and
    absence nothing; before the session is closed nobody has credit."""
    frozen_clock.set(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))  # Tuesday 08:00
    session = StudySessionFactory(
        unit=world["east"],
        starts_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 24, 4, 0, tzinfo=UTC),
    )
    on_leave = UserFactory(unit=world["east_station"])
    request = leave.request_leave(on_leave, session, "出差，申请请假。", clock.now())
    leave.decide_leave(world["east_supervisor"], request, approve=True, note="同意", now=clock.now())
    db.session.commit()
    from study import codes

    def sign(officer, at):
        frozen_clock.set(at)
        code, _ = codes.current_code(session.secret, session.id, at, 30)
        sessions.sign_in(officer, session, code=code, now=at)
        db.session.commit()

    sign(world["east_officer"], datetime(2026, 11, 24, 1, 55, tzinfo=UTC))
    sign(world["east_officer2"], datetime(2026, 11, 24, 2, 40, tzinfo=UTC))
    day = date(2026, 11, 24)
    everyone = [world["east_officer"].id, world["east_officer2"].id, on_leave.id, world["west_officer"].id]
    assert checkins.daily_minutes(everyone, day, day) == {}  # not granted before the end
    frozen_clock.set(session.ends_at + timedelta(minutes=1))
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    assert checkins.daily_minutes(everyone, day, day) == {
        (world["east_officer"].id, day): 120,
        (world["east_officer2"].id, day): 80,
    }


def test_the_personal_record_counts_session_credit_like_every_other_figure(world, frozen_clock, login_as):
    """A session attended without a check-in counts on the personal record (page and .xlsx) as on
    the board: 120 minutes at the session on Tuesday plus a 30-minute check-in on Wednesday."""
    officer = world["east_officer"]
    frozen_clock.set(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))  # Tuesday 08:00
    session = StudySessionFactory(
        unit=world["east"],
        starts_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 24, 4, 0, tzinfo=UTC),
    )
    db.session.commit()
    from study import codes

    at = datetime(2026, 11, 24, 1, 55, tzinfo=UTC)
    frozen_clock.set(at)
    code, _ = codes.current_code(session.secret, session.id, at, 30)
    sessions.sign_in(officer, session, code=code, now=at)
    frozen_clock.set(session.ends_at + timedelta(minutes=1))
    sessions.close_due_sessions(clock.now())
    frozen_clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))  # Wednesday 10:00
    CheckInFactory(user=officer, minutes=30)
    db.session.commit()

    from reports.record import build_record

    record = build_record(officer, clock.today())
    assert (record.checkin_days, record.minutes) == (1, 150)
    assert (W48, 1, 150) in record.weeks
    raw = sum(checkins.daily_minutes([officer.id], W48, W48 + timedelta(days=6)).values())
    assert raw == 150
    client = login_as(world["east_supervisor"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/people/{officer.id}.xlsx").data))
    weeks = {row[0]: row[1:] for row in book.worksheets[-1].iter_rows(values_only=True)}
    assert weeks[W48.isoformat()] == (1, 150)


def test_case_10_titles_and_labels(world, frozen_clock, login_as):
    """Auto-published titles read 2026年第49周应知应会周测; the sessions API says 待审批 for leave
    awaiting approval and 未签到 for a session not signed in."""
    from quiz.recurrence import period_title

    template = make_template(world["east"], small_bank()[0], title="应知应会周测")
    assert period_title(template, "2026-W49") == "2026年第49周应知应会周测"
    assert period_title(template, "2026-12") == "2026年12月应知应会周测"
    frozen_clock.set(MONDAY)
    session = StudySessionFactory(unit=world["east"], starts_at=MONDAY + timedelta(days=1))
    leave.request_leave(world["east_officer"], session, "值班，申请请假。", clock.now())
    db.session.commit()
    frozen_clock.set(session.starts_at + timedelta(minutes=1))
    sessions.close_due_sessions(clock.now())  # the expected list is fixed at the start: everyone pending
    db.session.commit()
    rows = {
        person: next(
            s for s in login_as(world[person]).get("/api/v1/sessions").get_json()["sessions"] if s["id"] == session.id
        )
        for person in ("east_officer", "east_officer2")
    }
    assert (rows["east_officer"]["my_leave_label"], rows["east_officer"]["my_status_label"]) == ("待审批", "未签到")
    assert (rows["east_officer2"]["my_leave_label"], rows["east_officer2"]["my_status_label"]) == (None, "未签到")


def _unit_table(page: str) -> dict[str, list[str]]:
    """The exam page's by-unit table: unit name → the cells' data-value (the figure it sorts by),
    in column order."""
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in table.split("<tr>")[1:]:
        name = row.split('<th scope="row">', 1)[1].split("</th>", 1)[0]
        rows[name] = re.findall(r'data-value="([^"]*)"', row)
    return rows


def _exam_figures_match_the_rows(exam, viewer, client):
    """The exam report's by-unit figures, from the service and on the page, are the raw rows'."""
    expected = exam_units(exam.id)
    got = {
        result.unit.id: {name: getattr(result, name) for name in expected[result.unit.id]}
        for result in exam_report.unit_results(exam, viewer)
    }
    assert got == expected
    page = _unit_table(client.get(f"/reports/exams/{exam.id}").get_data(as_text=True))
    units = {unit.id: unit.name for unit in Unit.query.filter(Unit.id.in_(expected))}
    for unit_id, want in expected.items():
        shares = [want[name] / want["assigned"] for name in ("took", "passed_first", "passed_after")]
        shown = [want["assigned"], *shares, want["absent"], want["outstanding"], want["average_score"] or 0]
        assert [float(value) for value in page[units[unit_id]]] == shown, units[unit_id]
    assert len(page) == len(expected)


@pytest.mark.parametrize("app", [{"REPORTS_BOARD_CACHE_SECONDS": 60}], indirect=True)
def test_case_11_an_officer_who_leaves_mid_week_is_withdrawn_and_one_who_failed_keeps_the_result(
    app, world, frozen_clock, login_as
):
    """An officer deactivated on Wednesday while the week's test is open, not yet started, is
    taken off it: not 缺考, not counted. One who failed it and leaves the next week is taken off
    the retake they had not started, but the failed result stays in last week's figures (and
    stays outstanding: it was never cleared). The board, the summary JSON and the exam report
    (service and page) equal the plain recomputation from the raw rows throughout."""
    frozen_clock.set(datetime(2026, 11, 17, 1, 0, tzinfo=UTC))  # Tuesday 09:00 of week 47
    category, _ = small_bank()
    passer = UserFactory(unit=world["east_station"])
    failer, leaver = world["east_officer"], world["east_officer2"]
    exam = publish(make_template(world["east"], category, retake_days=3), open_for=timedelta(days=3))
    for officer, wrong in ((failer, (1, 2, 3)), (passer, ())):
        client = login_as(officer)
        state = start(client, exam)
        answer_all(client, state, wrong_positions=wrong)
        assert client.post(f"/api/v1/attempts/{state['id']}/submit").status_code == 200

    def figures_match(today):
        supervisor = login_as(world["east_supervisor"])
        for problem in compare(world["east"].id, W47, W47, today, build_board(world["east"], W47, W47)):
            pytest.fail(problem)
        summary = _summary(supervisor, world["east"], W47)["total"]
        want = figures(world["east"].id, W47, W47, today)["total"]
        assert {name: summary[name] for name in want} == want
        _exam_figures_match_the_rows(db.session.get(Exam, exam.id), world["east_supervisor"], supervisor)
        return want

    frozen_clock.set(datetime(2026, 11, 18, 2, 0, tzinfo=UTC))  # Wednesday 10:00: the leaver leaves
    assert figures_match(clock.today())["assigned"] == 3  # boards kept by the server from here on
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.post(f"/admin/people/{leaver.id}/active").status_code == 302
    db.session.rollback()
    assert not db.session.get(User, leaver.id).active
    assert ExamAssignment.query.filter_by(exam_id=exam.id, user_id=leaver.id).count() == 0
    assert figures_match(clock.today())["assigned"] == 2

    frozen_clock.set(exam.closes_at + timedelta(seconds=30))
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["officers_closed"] == 2 and counts.get("absent", 0) == 0
    assert ExamAssignment.query.filter_by(status=AssignmentStatus.ABSENT).count() == 0
    retake = Exam.query.filter_by(retake_of_id=exam.id).one()
    assert [a.user_id for a in ExamAssignment.query.filter_by(exam_id=retake.id)] == [failer.id]

    week = figures_match(clock.today())
    page = login_as(world["east_supervisor"]).get(f"/reports/exams/{exam.id}").get_data(as_text=True)
    assert failer.full_name in page and leaver.full_name not in page  # failed, listed; withdrawn, not 缺考
    assert (week["assigned"], week["took"], week["passed_first"], week["absent"]) == (2, 2, 1, 0)
    assert (week["participation"], week["pass_rate_first"], week["outstanding"]) == (100.0, 50.0, 1)

    # Monday of week 48: the officer who failed leaves before starting the retake.
    frozen_clock.set(MONDAY)
    assert login_as(world["east_supervisor"]).post(f"/admin/people/{failer.id}/active").status_code == 302
    db.session.rollback()
    assert ExamAssignment.query.filter_by(exam_id=retake.id, user_id=failer.id).count() == 0
    kept = assignment_of(exam, failer)
    assert (kept.status, kept.score, kept.flagged, kept.cleared_at) == (AssignmentStatus.FAILED, 40.0, True, None)
    assert figures_match(clock.today()) == week
    frozen_clock.set(db.session.get(Exam, retake.id).closes_at + timedelta(seconds=30))
    close_due_exams(clock.now())  # the retake closes with nobody in it: no 缺考 for the leaver
    db.session.commit()
    assert ExamAssignment.query.filter_by(status=AssignmentStatus.ABSENT).count() == 0
    assert figures_match(clock.today()) == week


def test_case_12_an_officer_who_arrives_while_a_test_is_open_takes_it_if_time_is_left(
    app, world, frozen_clock, login_as
):
    """A new officer, one moved in and one restored while the week's test is open are assigned it
    from the moment they arrive (in the unit they arrive in) when at least as much time is left as
    a late publish needs (QUIZ_CATCH_UP_MIN_HOURS, or half the window); one who arrives later is
    not, and is not 缺考. An officer moved out of the test's scope before starting it is taken off
    it and given the open test of their new district. Figures equal the recomputation throughout."""
    frozen_clock.set(datetime(2026, 11, 17, 1, 0, tzinfo=UTC))  # Tuesday 09:00 of week 47
    category, _ = small_bank()
    east = publish(make_template(world["east"], category), open_for=timedelta(days=3))  # to Friday 09:00
    west = publish(make_template(world["west"], category), open_for=timedelta(days=3))
    restored = world["east_officer2"]
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.post(f"/admin/people/{restored.id}/active").status_code == 302  # leaves Tuesday
    db.session.rollback()
    assert _assignment(east, restored) is None

    def assigned(exam):
        return sorted(a.user_id for a in ExamAssignment.query.filter_by(exam_id=exam.id))

    def move(person, unit):
        fields = {"full_name": person.full_name, "role": Role.OFFICER, "phone": None}
        accounts.update_user(world["admin"], person, unit=unit, now=clock.now(), **fields)

    def figures_match(today):
        for problem in compare(world["east"].id, W47, W47, today, build_board(world["east"], W47, W47)):
            pytest.fail(problem)
        _exam_figures_match_the_rows(
            db.session.get(Exam, east.id), world["east_supervisor"], login_as(world["east_supervisor"])
        )

    # Wednesday 10:00, 47 h left: a new officer through the people page, a restored one, and a
    # west officer moved into east's station.
    frozen_clock.set(datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
    supervisor = login_as(world["east_supervisor"])
    created = supervisor.post(
        "/admin/people/new",
        data={"username": "330101", "full_name": "新调入", "unit_id": world["east_station"].id, "role": "officer"},
    )
    assert created.status_code == 200
    newcomer = db.session.query(User).filter_by(username="330101").one()
    assert supervisor.post(f"/admin/people/{restored.id}/active").status_code == 302
    mover = world["west_officer"]
    move(mover, world["east_station"])
    db.session.commit()
    db.session.rollback()
    assert set(assigned(east)) == {world["east_officer"].id, newcomer.id, restored.id, mover.id}
    assert assigned(west) == []  # the mover had not started west's test: taken off it
    joined = _assignment(east, newcomer)
    assert joined.unit_id == world["east_station"].id
    assert joined.opens_at.replace(tzinfo=None) == clock.now().replace(tzinfo=None)  # their window opens now
    figures_match(clock.today())

    # The newcomer (with a password of their own by now) takes it at once.
    accounts.change_password(newcomer, current=one_time_password(created), new=TEST_PASSWORD, now=clock.now())
    db.session.commit()
    client = login_as(newcomer)
    state = start(client, east)
    answer_all(client, state)
    assert client.post(f"/api/v1/attempts/{state['id']}/submit").status_code == 200

    # Thursday 20:00, 13 h left (less than 24 h): a second newcomer is not given this week's test.
    frozen_clock.set(datetime(2026, 11, 19, 12, 0, tzinfo=UTC))
    late, _ = accounts.create_user(
        None, username="330102", full_name="晚到", unit=world["east_station"], role=Role.OFFICER, now=clock.now()
    )
    db.session.commit()
    assert _assignment(east, late) is None

    # Back west on Thursday 20:00: too late for west's test, and east's unstarted one is taken off.
    move(mover, world["west_police"])
    db.session.commit()
    assert mover.id not in assigned(east) and assigned(west) == []

    frozen_clock.set(east.closes_at + timedelta(seconds=30))
    close_due_exams(clock.now())
    db.session.commit()
    statuses = {a.user_id: a.status for a in ExamAssignment.query.filter_by(exam_id=east.id)}
    assert statuses[newcomer.id] == AssignmentStatus.PASSED
    assert statuses[restored.id] == AssignmentStatus.ABSENT  # had two days and did not take it
    assert late.id not in statuses and mover.id not in statuses
    figures_match(clock.today())


def one_time_password(page):
    return re.search(r"<code[^>]*>([A-Za-z0-9]{12})</code>", page.get_data(as_text=True)).group(1)


def _assignment(exam, user):
    db.session.rollback()
    return ExamAssignment.query.filter_by(exam_id=exam.id, user_id=user.id).one_or_none()

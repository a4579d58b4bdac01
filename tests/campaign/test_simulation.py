"""S12: a campaign simulated for twelve weeks and more, by Hypothesis's stateful testing.

A fake clock moves on in hours and days; officers sit the weekly test (and retakes) right or
wrong, hand it in or leave it; the scheduler goes down for hours or weeks and comes back; an
admin publishes by hand; supervisors give extensions, close tests early, run study sessions
that officers sign in to on time or late or ask leave from; questions are edited mid-test;
officers join, leave and move units, check in, and do their make-up study. After every step the
invariants below are checked against the raw rows (tests/campaign/recompute.py counts those
without the reports' code):

1. one exam per (template, period, round), and a held period is never also published, unless
   an admin published it;
2. nobody is 缺考 for a window they could not take, and the scheduler never published a window
   with too little left;
3. every failed or absent officer is flagged, and is in the next retake while they are an
   officer; their flag is cleared exactly when they have passed a retake of the chain;
4. no key is visible while any window of the exam (or of the exam it retakes) is open: an exam is
   closed for everyone only when every window is, and the wrong-answer book holds only questions
   of exams closed for everyone;
5. every figure of the board (a district and the city, each week and in all) equals the
   recomputation, and so does every bulletin drafted.

Size: YINGZHI_SIMULATION_EXAMPLES (default 3) runs of YINGZHI_SIMULATION_STEPS (default 75)
steps on each database; the long run is e.g. YINGZHI_SIMULATION_EXAMPLES=30
YINGZHI_SIMULATION_STEPS=400.
"""

import os
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts import passwords
from accounts import services as accounts
from accounts.models import Role, Unit, UnitKind, User
from accounts.units import create_unit
from core import clock
from core.errors import DomainError
from core.extensions import db
from question_bank import services as bank
from question_bank.models import Question, QuestionType
from quiz import attempts as quiz_attempts
from quiz import authoring, exam_list
from quiz.closing import close_due_exams, close_exam
from quiz.missed_models import MissedPeriod
from quiz.models import (
    AssignmentStatus,
    Exam,
    ExamAssignment,
    ExamKind,
    ExamTemplate,
    PaperItem,
    PaperRule,
    Recurrence,
    WrongAnswer,
)
from quiz.papers import to_displayed
from quiz.schedule import (
    default_new_window,
    dismiss_missed,
    least_time_left,
    publish_by_hand,
    publish_due_exams,
    publish_missed,
)
from reports import bulletins
from reports.board import build_board, figure_values
from reports.models import Bulletin
from reports.outstanding import board_outstanding, outstanding
from scheduler import runner
from study import checkins, codes, leave, makeup, practice, readings, sessions
from study.makeup_models import MakeupItemKind
from study.models import CheckIn, StudySession
from study.practice_models import PracticeMode
from tests.campaign.recompute import compare, figures, outstanding_assignments
from tests.conftest import _empty_tables

EXAMPLES = int(os.environ.get("YINGZHI_SIMULATION_EXAMPLES", "3"))
STEPS = int(os.environ.get("YINGZHI_SIMULATION_STEPS", "75"))
START = datetime(2026, 9, 6, 23, 0, tzinfo=UTC)  # Monday 2026-09-07 07:00 in Asia/Shanghai
TICK = timedelta(hours=3)  # a running scheduler is seen this often (its jobs run every minute)
NOTES = "学习笔记：坚持党的绝对领导，坚持以人民为中心，严格规范公正文明执法。"
HASH = None
RUNS: list[dict] = []
# Each of these happened in at least one run (the size above is chosen so).
COVERED = {
    "sat",
    "retake_sat",
    "handed_in",
    "hand_publish",
    "hand_publish_refused",
    "dismissed",
    "extension",
    "closed_early",
    "edit",
    "join",
    "leave",
    "move",
    "checkin",
    "session",
    "signin",
    "leave_request",
    "makeup_step",
    "bulletin",
    "downtime",
    "held",
    "passed retakes",
}


def _hash():
    global HASH
    if HASH is None:
        HASH = passwords.hash_password("correct-horse-battery-2026")
    return HASH


# What can happen at a step, with how often (an event listed twice is drawn twice as often).
ACTIONS = (
    "days_pass",
    "days_pass",
    "scheduler_down",
    "scheduler_down",
    "the_test_evening",
    "officer_sits",
    "officer_sits",
    "admin_publishes_by_hand",
    "supervisor_extends",
    "supervisor_closes_early",
    "question_edited",
    "officer_joins",
    "officer_leaves",
    "officer_moves",
    "officer_checks_in",
    "officer_checks_in",
    "supervisor_schedules_a_session",
    "supervisor_schedules_a_session",
    "officer_does_makeup",
    "officer_does_makeup",
    "bulletins_are_drafted",
)


class Campaign(RuleBasedStateMachine):
    def __init__(self, database_url):
        super().__init__()
        db.session.rollback()
        _empty_tables(database_url)
        for kept in ("yingzhi_board_sums", "yingzhi_board_outstanding"):  # of an earlier run's ids
            current_app.extensions.pop(kept, None)
        clock.freeze(START)
        self.now = START
        self.scheduler_up = True
        self.serial = 0
        self.closed_by_hand: set[int] = set()
        self.steps = 0
        self.did = Counter()  # what the run went through, for the coverage check
        self._build_world()

    # ---- the world --------------------------------------------------------------------------

    def _build_world(self):
        now = self.now - timedelta(days=30)
        city = create_unit(None, name="模拟市委政法委", kind=UnitKind.COMMITTEE, parent=None, now=now)
        east = create_unit(None, name="东区政法委", kind=UnitKind.COMMITTEE, parent=city, now=now)
        west = create_unit(None, name="西区政法委", kind=UnitKind.COMMITTEE, parent=city, now=now)
        stations = [
            create_unit(None, name="东区派出所", kind=UnitKind.POLICE, parent=east, now=now),
            create_unit(None, name="西区派出所", kind=UnitKind.POLICE, parent=west, now=now),
        ]
        self.city, self.east = city, east
        self.units = [east, west, *stations]
        self.admin = self._person(city, Role.ADMIN, now)
        self.supervisors = {
            east.id: self._person(east, Role.SUPERVISOR, now),
            west.id: self._person(west, Role.SUPERVISOR, now),
        }
        for unit, count in ((stations[0], 3), (east, 1), (stations[1], 3)):
            for _ in range(count):
                self._person(unit, Role.OFFICER, now)
        category = bank.create_category(None, name="应知应会模拟", now=now)
        self.questions = [
            bank.create_question(
                None,
                category=category,
                type=QuestionType.SINGLE,
                stem=f"模拟题{n}：政法队伍的根本政治属性是什么？",
                options=["对党忠诚", "甲", "乙", "丙"],
                answer="A",
                now=now,
            )
            for n in range(4)
        ]
        readings.create_reading(
            None, title="必学篇目：应知应会手册", unit=city, category=category, body="第一章。", now=now
        )
        template = ExamTemplate(
            title="应知应会周测",
            kind=ExamKind.WEEKLY,
            scope_unit_id=city.id,
            duration_minutes=30,
            pass_mark_percent=60,
            attempts_allowed=1,
            retake_days=2,
            recurrence=Recurrence.WEEKLY,
            open_weekday=0,
            open_time="08:00",
            close_weekday=6,
            close_time="20:00",
            recurs_from=self.now,
            created_at=now,
            updated_at=now,
        )
        template.rules = [PaperRule(position=0, category_id=category.id, type=QuestionType.SINGLE, count=2, points=50)]
        db.session.add(template)
        db.session.commit()
        self.template = template

    def _person(self, unit, role, now):
        self.serial += 1
        user, _ = accounts.create_user(
            None,
            username=f"sim{self.serial:03d}",
            full_name=f"模拟{self.serial}",
            unit=unit,
            role=role,
            now=now,
            password_hash=_hash(),
        )
        return user

    def _officers(self, active=True):
        query = sa.select(User).where(User.role == Role.OFFICER).order_by(User.id)
        if active:
            query = query.where(User.active.is_(True))
        return db.session.scalars(query).all()

    def _attendees(self, session):
        """The officers a session is for (an officer of another unit is refused, which the unit
        tests show; here the point is that sign-ins and leave happen)."""
        if session is None:
            return []
        return [officer for officer in self._officers() if sessions.in_scope(session, officer)]

    def _pick(self, items, index):
        return items[index % len(items)] if items else None

    def _move_clock(self, to):
        """Time passes; a running scheduler acts every TICK on the way (the every-minute jobs) and
        runs its whole table once a day."""
        while self.now < to:
            step = min(TICK, to - self.now)
            self.now += step
            clock.freeze(self.now)
            if self.scheduler_up:
                publish_due_exams(self.now)
                close_due_exams(self.now)
                sessions.close_due_sessions(self.now)
                db.session.commit()
                if clock.local(self.now).hour < 3:  # once a day, the rest of the table
                    runner.run_due(self.now, trigger="schedule")
        db.session.commit()

    # ---- rules --------------------------------------------------------------------------------

    @rule(later=st.integers(0, 30), action=st.sampled_from(ACTIONS), data=st.data())
    def step(self, later, action, data):
        """Some hours pass (0 to 30), then one thing happens. One rule for every kind of event, so
        that each run has all of them (Hypothesis switches rules off at random in each run)."""
        self._move_clock(self.now + timedelta(hours=later))
        getattr(self, action)(data)

    # ---- what can happen ----------------------------------------------------------------------

    def days_pass(self, data):
        self._move_clock(self.now + timedelta(hours=data.draw(st.integers(24, 120), label="hours")))

    def scheduler_down(self, data):
        """The scheduler stops for hours, days or weeks, then starts again and catches up."""
        hours = data.draw(st.sampled_from([3, 10, 30, 80, 200, 500]), label="down for hours")
        self.scheduler_up = False
        self._move_clock(self.now + timedelta(hours=hours))
        self.scheduler_up = True
        runner.run_due(self.now, trigger="catch-up")  # what `flask scheduler` does on start
        db.session.commit()
        self.did["downtime"] += 1
        # The jobs page lists the periods held meanwhile: the admin publishes each with a new
        # window or lets it go.
        held = sa.select(MissedPeriod).where(MissedPeriod.resolved_at.is_(None)).order_by(MissedPeriod.id)
        for missed in db.session.scalars(held).all():
            if data.draw(st.integers(0, 2), label="lets the held period go") < 2:
                opens, closes = default_new_window(missed, self.now)
                publish_missed(self.admin, missed, opens_at=opens, closes_at=closes, now=self.now)
                self.did["hand_publish"] += 1
            else:
                dismiss_missed(self.admin, missed, self.now)
                self.did["dismissed"] += 1
            db.session.commit()

    def the_test_evening(self, data):
        """Most officers with a test open sit it tonight: each answers 0, 1 or 2 right; a few
        leave it open (the close grades what they saved)."""
        for officer in self._officers():
            if data.draw(st.integers(0, 9), label="stays away") == 0:
                continue
            self._sit(
                officer,
                right=data.draw(st.integers(0, 2), label="right"),
                hand_in=data.draw(st.integers(0, 9), label="leaves it open") > 0,
            )

    def officer_sits(self, data):
        """An officer opens their first test they can start (a retake first), answers `right` of
        the two questions right, and hands it in, or leaves it (the close grades what was saved)."""
        who = data.draw(st.integers(0, 50), label="who")
        right = data.draw(st.integers(0, 2), label="right")
        hand_in = data.draw(st.booleans(), label="hand_in")
        minutes = data.draw(st.integers(0, 40), label="minutes")
        officer = self._pick(self._officers(), who)
        if officer is not None:
            self._sit(officer, right=right, hand_in=hand_in, minutes=minutes)

    def _sit(self, officer, *, right, hand_in, minutes=15):
        rows = [r for r in exam_list.my_exams(officer, self.now) if r.state in ("open", "in_progress")]
        if not rows:
            return
        self.did["retake_sat" if rows[0].is_retake else "sat"] += 1
        try:
            attempt, _created = quiz_attempts.start_or_resume(officer, rows[0].exam.id, self.now)
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        items = db.session.scalars(
            sa.select(PaperItem).where(PaperItem.attempt_id == attempt.id).order_by(PaperItem.position)
        ).all()
        for position, item in enumerate(items):
            shown = to_displayed(item.option_order, item.question_version.answer)
            response = shown if position < right else next(letter for letter in "ABCD" if letter != shown)
            try:
                quiz_attempts.save_answer(officer, attempt.id, item.id, {"response": response}, self.now)
                db.session.commit()
            except DomainError:
                db.session.rollback()
        self._move_clock(self.now + timedelta(minutes=minutes))
        if hand_in:
            quiz_attempts.submit(officer, attempt.id, self.now)
            db.session.commit()
            self.did["handed_in"] += 1

    def admin_publishes_by_hand(self, data):
        try:
            publish_by_hand(
                self.admin, self.template, opens_at=self.now, closes_at=self.now + timedelta(days=2), now=self.now
            )
        except DomainError:
            db.session.rollback()
            self.did["hand_publish_refused"] += 1
            return
        db.session.commit()
        self.did["hand_publish"] += 1

    def supervisor_extends(self, data):
        who = data.draw(st.integers(0, 50), label="who")
        hours = data.draw(st.integers(2, 60), label="hours")
        officer = self._pick(self._officers(), who)
        if officer is None:
            return
        open_seat = db.session.scalar(
            sa.select(ExamAssignment)
            .join(Exam, Exam.id == ExamAssignment.exam_id)
            .where(ExamAssignment.user_id == officer.id, ExamAssignment.closed_at.is_(None), Exam.closed_at.is_(None))
            .order_by(Exam.id.desc())
            .limit(1)
        )
        if open_seat is None:
            return
        exam = db.session.get(Exam, open_seat.exam_id)
        try:
            authoring.grant_exception(
                self.admin,
                exam,
                [open_seat],
                opens_at=None,
                closes_at=max(exam.closes_at, self.now) + timedelta(hours=hours),
                extra_minutes=0,
                extra_attempts=0,
                reason="值班，延后参考",
                now=self.now,
            )
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        self.did["extension"] += 1

    def supervisor_closes_early(self, data):
        exam = db.session.scalar(
            sa.select(Exam).where(Exam.closed_at.is_(None), Exam.retake_round == 0, Exam.opens_at <= self.now).limit(1)
        )
        if exam is None:
            return
        if max(exam.opens_at, exam.published_at) >= self.now:
            # Published this instant: the close is refused (nobody has had a moment of it).
            with pytest.raises(DomainError):
                close_exam(exam, self.now)
            db.session.rollback()
            return
        if close_exam(exam, self.now):
            self.closed_by_hand.add(exam.id)
            self.did["closed_early"] += 1
        db.session.commit()

    def question_edited(self, data):
        which = data.draw(st.integers(0, 3), label="which")
        question = self.questions[which]
        question = db.session.get(Question, question.id)
        bank.edit_question(None, question, stem=question.stem + "（修订）", now=self.now)
        db.session.commit()
        self.did["edit"] += 1

    def officer_joins(self, data):
        where = data.draw(st.integers(0, 3), label="where")
        if len(self._officers()) >= 15:
            return
        self._person(self._pick(self.units, where), Role.OFFICER, self.now)
        db.session.commit()
        self.did["join"] += 1

    def officer_leaves(self, data):
        who = data.draw(st.integers(0, 50), label="who")
        officers = self._officers()
        if len(officers) <= 4:
            return
        accounts.set_user_active(self.admin, self._pick(officers, who), False, self.now)
        db.session.commit()
        self.did["leave"] += 1

    def officer_moves(self, data):
        who = data.draw(st.integers(0, 50), label="who")
        where = data.draw(st.integers(0, 3), label="where")
        officer = self._pick(self._officers(), who)
        unit = self._pick(self.units, where)
        if officer is None or officer.unit_id == unit.id:
            return
        accounts.update_user(
            self.admin, officer, full_name=officer.full_name, unit=unit, role=Role.OFFICER, phone=None, now=self.now
        )
        db.session.commit()
        self.did["move"] += 1

    def officer_checks_in(self, data):
        who = data.draw(st.integers(0, 50), label="who")
        minutes = data.draw(st.integers(10, 240), label="minutes")
        method = data.draw(st.sampled_from(["self", "online", "centralized"]), label="method")
        back = data.draw(st.integers(0, 2), label="back")
        officer = self._pick(self._officers(), who)
        if officer is None:
            return
        try:
            checkins.save_checkin(
                officer,
                day=clock.today() - timedelta(days=back),
                minutes=minutes,
                method=method,
                notes=NOTES,
                now=self.now,
            )
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        self.did["checkin"] += 1

    def supervisor_schedules_a_session(self, data):
        """A supervisor schedules a session a few hours ahead; some officers it is for ask leave
        (approved or not) before it starts; at the start some sign in, on time or late."""
        where = data.draw(st.integers(0, 3), label="where")
        hours = data.draw(st.integers(1, 30), label="hours")
        unit = self._pick(self.units, where)
        starts = self.now + timedelta(hours=hours)
        session = sessions.schedule_session(
            self.admin,
            kind="centralized",
            title="集中学习",
            unit=unit,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            now=self.now,
        )
        db.session.commit()
        self.did["session"] += 1
        attendees = self._attendees(session)
        for officer in attendees:
            if data.draw(st.integers(0, 4), label="asks leave") == 0:
                self._ask_leave(officer, session, approve=data.draw(st.booleans(), label="approve"))
        arrivals = sorted(
            (data.draw(st.integers(-5, 70), label="arrives (minutes after the start)"), officer.id)
            for officer in attendees
            if data.draw(st.integers(0, 3), label="comes") > 0
        )
        for minutes, officer_id in arrivals:
            self._move_clock(max(self.now, starts + timedelta(minutes=minutes)))
            self._sign_in(db.session.get(User, officer_id), session)

    def _ask_leave(self, officer, session, *, approve):
        try:
            request = leave.request_leave(officer, session, "出差，申请请假。", self.now)
            leave.decide_leave(self.admin, request, approve=approve, note="", now=self.now)
        except DomainError:
            db.session.rollback()
            return
        db.session.commit()
        self.did["leave_request"] += 1

    def _sign_in(self, officer, session):
        session = db.session.get(StudySession, session.id)
        code, _ = codes.current_code(session.secret, session.id, self.now, 30)
        try:
            sessions.sign_in(officer, session, code=code, now=self.now)
        except DomainError:  # too late, on leave, or already in: the unit tests show each message
            db.session.rollback()
            return
        db.session.commit()
        self.did["signin"] += 1

    def officer_does_makeup(self, data):
        who = data.draw(st.integers(0, 50), label="who")
        officer = self._pick(self._officers(), who)
        if officer is None:
            return
        for item_makeup in makeup.open_makeups(officer.id):
            for item in item_makeup.items:
                if item.done_at is not None:
                    continue
                if item.kind == MakeupItemKind.READING:
                    reading = db.session.get(readings.Reading, item.ref_id)
                    makeup.mark_studied(officer, reading, self.now)
                elif db.session.scalar(
                    sa.select(WrongAnswer.id).where(
                        WrongAnswer.user_id == officer.id, WrongAnswer.question_id == item.ref_id
                    )
                ):
                    question = db.session.get(Question, item.ref_id)
                    practice.record_answer(
                        officer,
                        question,
                        question.answer,
                        mode=PracticeMode.WRONG_BOOK,
                        day=clock.today(),
                        now=self.now,
                    )
            self._study_the_minutes(officer, item_makeup)
        db.session.commit()
        self.did["makeup_step"] += 1
        if data.draw(st.integers(0, 3), label="then sits the retake") > 0:
            self._sit(officer, right=data.draw(st.integers(0, 2), label="right"), hand_in=True)

    def _study_the_minutes(self, officer, item_makeup):
        """The make-up's study minutes, checked in today (a check-in already made today grows)."""
        left = makeup.progress(item_makeup, clock.today())["minutes_left"]
        if not left:
            return
        today = db.session.scalar(
            sa.select(CheckIn.minutes).where(CheckIn.user_id == officer.id, CheckIn.day == clock.today())
        )
        try:
            checkins.save_checkin(
                officer,
                day=clock.today(),
                minutes=min((today or 0) + left, 600),
                method="self",
                notes=NOTES,
                now=self.now,
            )
            db.session.commit()
        except DomainError:
            db.session.rollback()

    def bulletins_are_drafted(self, data):
        """A supervisor drafts last week's bulletin now: its figures are the raw rows'."""
        monday = clock.week_start(clock.today()) - timedelta(days=7)
        db.session.execute(sa.delete(Bulletin).where(Bulletin.week_start == monday))
        bulletin = bulletins.draft_bulletin(None, self.city, monday, self.now)
        db.session.commit()
        self.did["bulletin"] += 1
        raw = figures(self.city.id, monday, monday, clock.today())["total"]
        first = bulletin.body.splitlines()[0].replace(" ", "")
        for name in ("assigned", "took", "outstanding", "passed_first"):
            expected = {"assigned": "应考", "took": "实考", "outstanding": "尚有", "passed_first": "一次合格"}[name]
            assert f"{expected}{raw[name]}人次" in first, (name, raw[name], first)
        if raw["pass_rate_first"] is not None:
            assert f"合格率{raw['pass_rate_first']}%" in first, first

    # ---- invariants -----------------------------------------------------------------------------

    @invariant()
    def one_exam_per_period(self):
        self.steps += 1
        duplicates = db.session.execute(
            sa.select(Exam.template_id, Exam.period_key, Exam.retake_round, sa.func.count())
            .where(Exam.period_key.is_not(None))
            .group_by(Exam.template_id, Exam.period_key, Exam.retake_round)
            .having(sa.func.count() > 1)
        ).all()
        assert not duplicates, duplicates
        for missed in db.session.scalars(sa.select(MissedPeriod)):
            exam = db.session.scalar(
                sa.select(Exam).where(
                    Exam.template_id == missed.template_id, Exam.period_key == missed.period_key, Exam.retake_round == 0
                )
            )
            if exam is not None:
                assert exam.published_by_id is not None, "a held period was published by the scheduler"
                assert missed.resolved_at is not None and not missed.dismissed

    @invariant()
    def nobody_absent_for_a_window_they_could_not_take(self):
        parent = sa.orm.aliased(Exam)
        a = ExamAssignment
        for row in db.session.execute(
            sa.select(
                a.opens_at,
                a.closes_at,
                a.closed_at,
                Exam.id,
                Exam.opens_at.label("exam_opens"),
                Exam.closes_at.label("exam_closes"),
                Exam.published_at,
                Exam.retake_round,
                parent.closed_at.label("key_opened"),
            )
            .join(Exam, Exam.id == a.exam_id)
            .outerjoin(parent, parent.id == Exam.retake_of_id)
            .where(a.status == AssignmentStatus.ABSENT)
        ):
            own_close = row.closes_at or row.exam_closes
            opens = max(row.opens_at or row.exam_opens, row.published_at)
            assert min(own_close, row.closed_at) > opens, f"absent from exam {row.id} with no window"
            if row.retake_round and row.id not in self.closed_by_hand:
                # Make-up study needs the key of the round failed: the retake outlasted it.
                assert row.key_opened is not None and row.key_opened < own_close, (
                    f"absent from retake {row.id}, whose window ended before the key it needs opened"
                )
        for exam in db.session.scalars(
            sa.select(Exam).where(Exam.published_by_id.is_(None), Exam.retake_round == 0, Exam.period_key.is_not(None))
        ):
            window = type("P", (), {"opens_at": exam.opens_at, "closes_at": exam.closes_at})
            assert exam.closes_at - exam.published_at >= least_time_left(window), f"exam {exam.id} published too late"
        departed = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(a)
            .join(User, User.id == a.user_id)
            .where(User.active.is_(False), a.closed_at.is_(None), a.status == AssignmentStatus.ASSIGNED)
        )
        assert departed == 0, "a departed officer is still expected at an open test"

    @invariant()
    def failures_are_flagged_until_passed(self):
        a = ExamAssignment
        rows = db.session.execute(
            sa.select(
                a.exam_id,
                a.user_id,
                a.status,
                a.passed,
                a.flagged,
                a.cleared_at,
                a.closed_at,
                Exam.retake_round,
                Exam.root_exam_id,
                Exam.retake_of_id,
            ).join(Exam, Exam.id == a.exam_id)
        ).all()
        passed_retake = {(r.root_exam_id, r.user_id) for r in rows if r.retake_round and r.passed is True}
        active = set(db.session.scalars(sa.select(User.id).where(User.active.is_(True))))
        retake_of = {r.retake_of_id: r.exam_id for r in rows if r.retake_of_id}
        seats = {(r.exam_id, r.user_id) for r in rows}
        for r in rows:
            if r.closed_at is None:
                assert not r.flagged, f"flagged before their window closed (exam {r.exam_id})"
                continue
            failed = r.status in (AssignmentStatus.FAILED, AssignmentStatus.ABSENT)
            assert r.flagged == failed, f"exam {r.exam_id}: {r.status} but flagged={r.flagged}"
            cleared = (r.root_exam_id or r.exam_id, r.user_id) in passed_retake
            if r.flagged:
                assert (r.cleared_at is not None) == cleared, f"exam {r.exam_id}: cleared={r.cleared_at}"
                if not cleared and r.user_id in active:
                    retake = retake_of.get(r.exam_id)
                    assert retake is not None and (retake, r.user_id) in seats, (
                        f"officer {r.user_id} failed exam {r.exam_id} and has no retake"
                    )

    @invariant()
    def no_key_while_a_window_is_open(self):
        parent = sa.orm.aliased(Exam)
        showing_early = db.session.execute(
            sa.select(Exam.id)
            .join(ExamAssignment, ExamAssignment.exam_id == Exam.id)
            .where(Exam.closed_at.is_not(None), ExamAssignment.closed_at.is_(None))
            .limit(1)
        ).first()
        assert showing_early is None, f"exam {showing_early} shows its key while a window is open"
        before_its_parent = db.session.execute(
            sa.select(Exam.id)
            .join(parent, parent.id == Exam.retake_of_id)
            .where(Exam.closed_at.is_not(None), sa.or_(parent.closed_at.is_(None), parent.closed_at > Exam.closed_at))
            .limit(1)
        ).first()
        assert before_its_parent is None, f"retake {before_its_parent} shows its key before the exam it retakes"
        open_exam_questions = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(WrongAnswer)
            .join(Exam, Exam.id == WrongAnswer.exam_id)
            .where(Exam.closed_at.is_(None))
        )
        assert open_exam_questions == 0, "the wrong-answer book shows an exam still open"

    @invariant()
    def every_figure_equals_the_raw_rows(self):
        """The city's board over every week so far, after every step; a district's (its child
        rows are units of another level) every few steps."""
        today = clock.today()
        first, last = clock.week_start(clock.local(START).date()), clock.week_start(today)
        units = (self.city, self.east) if self.steps % 4 == 0 else (self.city,)
        for unit in units:
            unit = db.session.get(Unit, unit.id)
            problems = compare(unit.id, first, last, today, build_board(unit, first, last))
            assert not problems, "\n".join(problems[:20])

    @invariant()
    def what_a_server_keeps_follows_every_change(self):
        """What a report server keeps for REPORTS_BOARD_CACHE_SECONDS (the board's sums, and which
        of everyone not yet 过关 the board lists) is kept across the steps here and must follow
        every change on the very next board: the kept board equals the board summed afresh, and
        the kept list equals the list read afresh and the raw rows."""
        today, now = clock.today(), clock.now()
        first, last = clock.week_start(clock.local(START).date()), clock.week_start(today)
        for unit in (self.city, self.east):
            unit = db.session.get(Unit, unit.id)
            fresh = build_board(unit, first, last)
            current_app.config["REPORTS_BOARD_CACHE_SECONDS"] = 3600
            try:
                kept = build_board(unit, first, last)
                rows, count = board_outstanding(unit, now, 20)
            finally:
                current_app.config["REPORTS_BOARD_CACHE_SECONDS"] = 0
            assert [figure_values(r.figures) for r in kept.rows] == [figure_values(r.figures) for r in fresh.rows]
            assert figure_values(kept.total) == figure_values(fresh.total)
            expected = outstanding_assignments(unit.id)
            assert count == len(expected), (count, sorted(expected))
            listed = [row.assignment_id for row in rows]
            assert listed == [row.assignment_id for row in outstanding(unit, now, limit=20)]
            assert set(listed) <= expected and len(listed) == min(20, len(expected))

    def teardown(self):
        db.session.rollback()
        RUNS.append(self.summary())
        clock.freeze(None)

    def summary(self) -> dict:
        """What the run went through, for the report at the end of the test."""

        def count(model, *where):
            return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

        return {
            **self.did,
            "steps": self.steps,
            "weeks": round((self.now - START) / timedelta(weeks=1), 1),
            "exams": count(Exam, Exam.retake_round == 0),
            "retakes": count(Exam, Exam.retake_round > 0),
            "held": count(MissedPeriod),
            "extensions": count(ExamAssignment, ExamAssignment.closes_at.is_not(None)),
            "absent": count(ExamAssignment, ExamAssignment.status == AssignmentStatus.ABSENT),
            "passed retakes": count(ExamAssignment, ExamAssignment.cleared_at.is_not(None)),
            "officers": count(User, User.role == Role.OFFICER),
            "sessions": count(StudySession),
        }


@pytest.mark.timeout(1800)
def test_a_campaign_of_twelve_weeks_and_more(app, database_url):
    """S12 (see the module docstring for the invariants and the size)."""
    run_state_machine_as_test(
        lambda: Campaign(database_url),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=os.environ.get("YINGZHI_SIMULATION_RANDOM") is None,
            database=None,
            # Shrinking a campaign of hundreds of steps takes long; ask for it when debugging.
            phases=[Phase.explicit, Phase.reuse, Phase.generate]
            + ([Phase.shrink] if os.environ.get("YINGZHI_SIMULATION_SHRINK") else []),
        ),
    )
    print("campaign simulation:", *RUNS, sep="\n  ")
    assert RUNS and max(run["weeks"] for run in RUNS) >= 12, RUNS
    seen = {key for run in RUNS for key, value in run.items() if value}
    assert not COVERED - seen, f"no run went through {sorted(COVERED - seen)}: {RUNS}"

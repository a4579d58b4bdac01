"""The personal record (个人学习档案) of one officer: every test with its retakes, study by week,
readings, session attendance, spot-check results and the wrong-answer book."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from quiz.models import Exam, ExamAssignment, WrongAnswer
from reports.summaries import _count_if
from study import readings as study_readings
from study.checkins import daily_minutes
from study.models import Attendance, AttendanceStatus, CheckIn, ReadingProgress, SpotCheckItem, StudySession

WEEKS_SHOWN = 12


@dataclass
class TestLine:
    exam: Exam
    assignment: ExamAssignment
    retakes: list  # [(Exam, ExamAssignment)] rounds 1, 2… of this exam for this officer


@dataclass
class Record:
    person: User
    tests: list
    weeks: list  # [(monday, check-in days, minutes)]
    checkin_days: int
    minutes: int
    readings_required: int
    readings_read: int
    attendance: dict  # status value -> count
    spot_checks: dict  # result value -> count
    wrong_answers: int


def build_record(person: User, today: date) -> Record:
    rows = db.session.execute(
        sa.select(Exam, ExamAssignment)
        .join(ExamAssignment, ExamAssignment.exam_id == Exam.id)
        .where(ExamAssignment.user_id == person.id)
        .order_by(Exam.opens_at.desc(), Exam.retake_round)
    ).all()
    lines, retakes = [], {}
    for exam, assignment in rows:
        if exam.retake_round:
            retakes.setdefault(exam.root_exam_id, []).append((exam, assignment))
        else:
            lines.append(TestLine(exam, assignment, []))
    for line in lines:
        line.retakes = sorted(retakes.get(line.exam.id, []), key=lambda r: r[0].retake_round)

    first = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS_SHOWN - 1)
    # A day's minutes as every other figure counts them (study.checkins.daily_minutes): the
    # check-in combined with the credit for sessions attended, so the record agrees with the board.
    checkin_dates = set(db.session.scalars(sa.select(CheckIn.day).where(CheckIn.user_id == person.id)))
    since = min([first, clock.local(person.created_at).date(), *checkin_dates])
    minutes_by_day = {day: m for (_user, day), m in daily_minutes([person.id], since, today).items()}
    by_week = {}
    for day, minutes in minutes_by_day.items():
        if day < first:
            continue
        monday = day - timedelta(days=day.weekday())
        days, total = by_week.get(monday, (0, 0))
        by_week[monday] = (days + (day in checkin_dates), total + minutes)
    weeks = [(first + timedelta(weeks=i), *by_week.get(first + timedelta(weeks=i), (0, 0))) for i in range(WEEKS_SHOWN)]
    weeks.reverse()
    checkin_days, minutes = len(checkin_dates), sum(minutes_by_day.values())

    required = db.session.scalars(study_readings.readings_for(person)).all()
    required_ids = [r.id for r in required if r.required]
    read = 0
    if required_ids:
        read = db.session.scalar(
            sa.select(sa.func.count()).where(
                ReadingProgress.user_id == person.id, ReadingProgress.reading_id.in_(required_ids)
            )
        )
    attendance = dict(
        db.session.execute(
            sa.select(Attendance.status, sa.func.count())
            .join(StudySession, StudySession.id == Attendance.session_id)
            .where(Attendance.user_id == person.id, Attendance.status != AttendanceStatus.PENDING)
            .group_by(Attendance.status)
        ).all()
    )
    spot = dict(
        db.session.execute(
            sa.select(SpotCheckItem.result, sa.func.count())
            .where(SpotCheckItem.user_id == person.id, SpotCheckItem.result.is_not(None))
            .group_by(SpotCheckItem.result)
        ).all()
    )
    wrong = db.session.scalar(
        sa.select(_count_if(WrongAnswer.cleared_at.is_(None))).where(WrongAnswer.user_id == person.id)
    )
    return Record(
        person,
        lines,
        weeks,
        int(checkin_days),
        int(minutes),
        len(required_ids),
        int(read or 0),
        {str(k.value if hasattr(k, "value") else k): v for k, v in attendance.items()},
        {str(k.value if hasattr(k, "value") else k): v for k, v in spot.items()},
        int(wrong or 0),
    )

"""Rows for report tests, inserted directly: the quiz services that publish, grade and close
exams are built elsewhere, and the reports only read what those rows say."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from core import clock
from core.extensions import db
from question_bank import services as bank
from question_bank.models import QuestionType, QuestionVersion
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, ExamKind, ExamTemplate, PaperItem
from study.models import Attendance, AttendanceStatus, CheckIn, SessionKind, StudyMethod, StudySession


def make_exam(
    scope_unit, opens_at: datetime, *, title="周测", total_points=100, pass_mark=60, retake_of=None, closed=True
) -> Exam:
    now = clock.now()
    if retake_of is None:
        template = ExamTemplate(
            title=title, kind=ExamKind.WEEKLY, scope_unit_id=scope_unit.id, created_at=now, updated_at=now
        )
        db.session.add(template)
        db.session.flush()
        template_id, round_, root = template.id, 0, None
    else:
        template_id, round_, root = (
            retake_of.template_id,
            retake_of.retake_round + 1,
            retake_of.root_exam_id or retake_of.id,
        )
    exam = Exam(
        template_id=template_id,
        title=title if retake_of is None else f"{retake_of.title}（补考）",
        kind=ExamKind.WEEKLY,
        scope_unit_id=scope_unit.id,
        period_key=clock.week_key(clock.local(opens_at).date()),
        retake_round=round_,
        retake_of_id=retake_of.id if retake_of else None,
        root_exam_id=root,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=2),
        duration_minutes=30,
        total_points=total_points,
        pass_mark_percent=pass_mark,
        blueprint=[],
        settings={},
        published_at=opens_at,
        closed_at=opens_at + timedelta(days=2) if closed else None,
    )
    db.session.add(exam)
    db.session.commit()
    return exam


def assign(exam, user, status, *, unit=None, score=None, flagged=False, escalated=False, cleared=False):
    """One officer's assignment; `unit` is their unit at publish (default: their unit now)."""
    at = exam.opens_at
    passed = None if score is None else score >= exam.pass_mark
    if status == AssignmentStatus.ABSENT:
        passed = False
    assignment = ExamAssignment(
        exam_id=exam.id,
        user_id=user.id,
        unit_id=(unit or user.unit).id,
        status=status,
        score=score,
        passed=passed,
        flagged=flagged,
        escalated=escalated,
        cleared_at=at + timedelta(days=4) if cleared else None,
        weak_category_ids=[],
        created_at=at,
        updated_at=at + timedelta(days=2),
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment


def questions(count=2):
    """Single-choice questions with answer A, and their version ids."""
    category = bank.create_category(None, name="报表测试分类", now=clock.now())
    made = []
    for i in range(count):
        q = bank.create_question(
            None,
            category=category,
            type=QuestionType.SINGLE,
            stem=f"报表测试题{i + 1}：下列哪项正确？",
            options=["甲", "乙", "丙", "丁"],
            answer="A",
            now=clock.now(),
        )
        made.append(q)
    db.session.commit()
    versions = dict(
        db.session.execute(
            sa.select(QuestionVersion.question_id, QuestionVersion.id).where(
                QuestionVersion.question_id.in_([q.id for q in made])
            )
        ).all()
    )
    return [(q, versions[q.id]) for q in made]


def paper(assignment, answers):
    """A finished attempt counted for `assignment`, answering [(question, version_id, response)]."""
    exam = db.session.get(Exam, assignment.exam_id)
    attempt = Attempt(
        assignment_id=assignment.id,
        exam_id=exam.id,
        user_id=assignment.user_id,
        number=1,
        seed=1,
        started_at=exam.opens_at,
        deadline_at=exam.opens_at + timedelta(minutes=30),
        finished_at=exam.opens_at + timedelta(minutes=20),
        score=assignment.score,
        max_score=exam.total_points,
        passed=assignment.passed,
    )
    db.session.add(attempt)
    db.session.flush()
    for position, (question, version_id, response) in enumerate(answers):
        db.session.add(
            PaperItem(
                attempt_id=attempt.id,
                position=position,
                question_id=question.id,
                question_version_id=version_id,
                category_id=question.category_id,
                points=5,
                option_order=[0, 1, 2, 3],
                response=response,
                correct=response == question.answer,
                score=5 if response == question.answer else 0,
            )
        )
    assignment.counted_attempt_id = attempt.id
    db.session.commit()
    return attempt


def checkin(user, day, minutes):
    at = clock.local_datetime(day, datetime.min.time()) + timedelta(hours=8)
    db.session.add(
        CheckIn(
            user_id=user.id,
            day=day,
            minutes=minutes,
            method=StudyMethod.SELF,
            reading_ids=[],
            notes="学习笔记：坚持以人民为中心，做到严格规范公正文明执法。",
            late=False,
            created_at=at,
            updated_at=at,
        )
    )
    db.session.commit()


def session_with_attendance(unit, starts_at, statuses):
    """A closed study session of `unit` and the attendance {user: AttendanceStatus}."""
    session = StudySession(
        kind=SessionKind.CENTRALIZED,
        title="集中学习：政法英模事迹报告",
        unit_id=unit.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        secret="s" * 32,
        created_at=starts_at - timedelta(days=2),
        roster_taken_at=starts_at,
        closed_at=starts_at + timedelta(hours=2),
    )
    db.session.add(session)
    db.session.flush()
    for user, status in statuses.items():
        db.session.add(
            Attendance(session_id=session.id, user_id=user.id, status=status, updated_at=starts_at + timedelta(hours=2))
        )
    db.session.commit()
    return session


__all__ = [
    "AssignmentStatus",
    "AttendanceStatus",
    "make_exam",
    "assign",
    "questions",
    "paper",
    "checkin",
    "session_with_attendance",
]

"""Demo step: a weekly test template for the whole city, eight past weeks of closed weekly tests
with realistic results (most pass, some fail and retake, a few absent) and this week's test open,
so that `officer` can take a test right after setup.

Exams are published and closed by the real services (publish_exam, close_exam: absentees, flags,
wrong-answer books, retakes and their notices). The officers' papers are drawn by quiz.papers and
graded by quiz.grading, but written with bulk inserts: about 400 officers x 8 weeks x 20 questions
through the ORM one by one would make setup slow.
"""

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from core import clock
from core.extensions import db
from question_bank.models import Category, QuestionType, QuestionVersion
from quiz.closing import close_exam, save_grace
from quiz.grading import grade_response
from quiz.models import (
    AssignmentStatus,
    Attempt,
    Exam,
    ExamAssignment,
    ExamKind,
    ExamTemplate,
    FinishReason,
    PaperItem,
    PaperRule,
    Recurrence,
)
from quiz.papers import attempt_seed, draw_paper
from quiz.publishing import publish_exam
from quiz.recurrence import period_title

PAST_WEEKS = 8
DEMO_OFFICERS = ("officer", "officer2")
OPEN_AT, CLOSE_AT = time(8, 0), time(20, 0)  # Monday 08:00 to Sunday 20:00, local
# (category, type, count, points): 20 questions, 100 points.
BLUEPRINT = (
    ("政治教育", QuestionType.SINGLE, 5, 5),
    ("习近平法治思想", QuestionType.SINGLE, 3, 5),
    ("党纪党规", QuestionType.SINGLE, 3, 5),
    ("业务知识", QuestionType.SINGLE, 3, 5),
    ("政治教育", QuestionType.MULTIPLE, 2, 5),
    ("警示教育", QuestionType.TRUE_FALSE, 2, 5),
    ("业务知识", QuestionType.FILL, 2, 5),
)
ABSENT_RATE = 0.03
TODAY_DONE_RATE = 0.35  # share of officers who already took this week's test (never the demo officers)


def seed_quiz(now: datetime, rng: random.Random, city: dict) -> str:
    template = _template(now, city)
    skill = {officer.id: rng.uniform(0.62, 0.97) for officer in city["officers"]}
    spared = {officer.id for officer in city["officers"] if officer.username in DEMO_OFFICERS}
    # The demo officers pass the past weeks (their records show results) and have this week to do.
    for user_id in spared:
        skill[user_id] = 0.95
    versions = _versions(template)
    this_monday = clock.week_start(clock.local(now).date())
    exams = retakes = 0
    for weeks_ago in range(PAST_WEEKS, 0, -1):
        monday = this_monday - timedelta(weeks=weeks_ago)
        exam = _publish_week(template, monday)
        _sit(exam, exam.opens_at, exam.closes_at, skill, versions, rng, absent_rate=ABSENT_RATE, present=spared)
        retakes += _close_chain(exam, now, skill, versions, rng)
        exams += 1
    current = _publish_week(template, this_monday, now=now)
    others = {uid: s for uid, s in skill.items() if uid not in spared and rng.random() < TODAY_DONE_RATE}
    _sit(current, current.opens_at, now, others, versions, rng, absent_rate=0)
    db.session.flush()
    return (
        f"{exams} closed weekly tests with {retakes} retakes; this week's test open until {_local(current.closes_at)}"
    )


def _template(now, city) -> ExamTemplate:
    categories = {c.name: c.id for c in db.session.scalars(sa.select(Category).where(Category.depth == 0))}
    first_monday = clock.week_start(clock.local(now).date()) - timedelta(weeks=PAST_WEEKS)
    template = ExamTemplate(
        title="应知应会周测",
        kind=ExamKind.WEEKLY,
        scope_unit_id=city["city"].id,
        duration_minutes=20,
        pass_mark_percent=60,
        attempts_allowed=1,
        retake_days=3,
        recurrence=Recurrence.WEEKLY,
        open_weekday=0,
        close_weekday=6,
        open_time=OPEN_AT.strftime("%H:%M"),
        close_time=CLOSE_AT.strftime("%H:%M"),
        # From the first demo week on: the scheduler must not publish (and fail everyone in) a
        # week before the demo's history.
        recurs_from=clock.local_datetime(first_monday, time(0)),
        created_by_id=city["admin"].id,
        created_at=now,
        updated_at=now,
    )
    template.rules = [
        PaperRule(position=i, category_id=categories[name], type=qtype, count=count, points=points)
        for i, (name, qtype, count, points) in enumerate(BLUEPRINT)
    ]
    db.session.add(template)
    db.session.flush()
    return template


def _publish_week(template, monday, now=None) -> Exam:
    opens_at = clock.local_datetime(monday, OPEN_AT)
    closes_at = clock.local_datetime(monday + timedelta(days=6), CLOSE_AT)
    if now is not None:  # this week's test is open whatever the hour of the setup
        opens_at = min(opens_at, now - timedelta(hours=1))
    exam = publish_exam(
        None,
        template,
        opens_at=opens_at,
        closes_at=closes_at,
        now=opens_at - timedelta(minutes=5),
        period_key=clock.week_key(monday),
        title=period_title(template, clock.week_key(monday)),
    )
    db.session.flush()
    return exam


def _versions(template) -> dict:
    """version_id → (type, answer, option count) of every question the blueprint can draw."""
    rows = db.session.execute(sa.select(QuestionVersion.id, QuestionVersion.type, QuestionVersion.answer))
    return {vid: (QuestionType(qtype), answer) for vid, qtype, answer in rows}


def _response(qtype, answer, right: bool, option_count: int, rng):
    if right:
        return [alternatives[0] for alternatives in answer] if qtype == QuestionType.FILL else answer
    if qtype == QuestionType.SINGLE:
        return rng.choice([letter for letter in "ABCD"[: max(option_count, 2)] if letter != answer])
    if qtype == QuestionType.MULTIPLE:
        return sorted(answer)[:1]
    if qtype == QuestionType.TRUE_FALSE:
        return not answer
    return ["不会"] * len(answer) if rng.random() < 0.7 else None


def _sit(exam, window_start, window_end, skill, versions, rng, *, absent_rate, boost=0.0, present=frozenset()):
    """Every assigned officer in `skill` (but the absent; never those in `present`) sits and
    submits a paper in the window."""
    assignments = db.session.execute(
        sa.select(ExamAssignment.id, ExamAssignment.user_id).where(ExamAssignment.exam_id == exam.id)
    ).all()
    salt = current_app.config["SECRET_KEY"]
    span = max((window_end - window_start).total_seconds() - 1800, 60)
    attempts, papers = [], []
    for assignment_id, user_id in assignments:
        if user_id not in skill or (user_id not in present and rng.random() < absent_rate):
            continue
        started = window_start + timedelta(seconds=rng.uniform(0, span))
        seed = attempt_seed(exam.id, user_id, 1, salt)
        drawn = draw_paper(exam.blueprint, seed)
        chance = min(skill[user_id] + boost, 0.99)
        items, total = [], 0.0
        for item in drawn:
            qtype, answer = versions[item.version_id]
            response = _response(qtype, answer, rng.random() < chance, len(item.option_order), rng)
            correct, score = grade_response(qtype, answer, response, item.points, exam.settings["partial_credit"])
            total += score
            items.append((item, response, correct, score))
        finished = started + timedelta(seconds=rng.uniform(300, exam.duration_minutes * 60 - 30))
        attempts.append(
            {
                "assignment_id": assignment_id,
                "exam_id": exam.id,
                "user_id": user_id,
                "number": 1,
                "seed": seed,
                "started_at": started,
                "deadline_at": min(started + timedelta(minutes=exam.duration_minutes), exam.closes_at),
                "finished_at": finished,
                "finish_reason": FinishReason.SUBMITTED,
                "score": total,
                "max_score": exam.total_points,
                "passed": total >= exam.pass_mark,
                "leave_count": rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3)),
                "leave_seconds": 0,
            }
        )
        papers.append(items)
    if not attempts:
        return
    ids = db.session.scalars(sa.insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True), attempts).all()
    item_rows, settled = [], []
    for attempt_id, attempt, items in zip(ids, attempts, papers, strict=True):
        for item, response, correct, score in items:
            item_rows.append(
                {
                    "attempt_id": attempt_id,
                    "position": item.position,
                    "question_id": item.question_id,
                    "question_version_id": item.version_id,
                    "category_id": item.category_id,
                    "points": item.points,
                    "option_order": list(item.option_order),
                    "response": response,
                    "version": 1 if response is not None else 0,
                    "answered_at": attempt["started_at"] if response is not None else None,
                    "correct": correct,
                    "score": score,
                }
            )
        settled.append(
            {
                "id": attempt["assignment_id"],
                "status": AssignmentStatus.PASSED if attempt["passed"] else AssignmentStatus.FAILED,
                "score": attempt["score"],
                "passed": attempt["passed"],
                "counted_attempt_id": attempt_id,
                "finished_at": attempt["finished_at"],
                "updated_at": attempt["finished_at"],
            }
        )
    db.session.execute(sa.insert(PaperItem), item_rows)
    db.session.execute(sa.update(ExamAssignment), settled)


def _close_chain(exam, now, skill, versions, rng) -> int:
    """Close `exam` at its close (real close_exam: absentees, flags, books, the retake) and play
    its retakes round by round while their windows lie in the past (each round opens later, so the
    loop ends at the retake still open today, if any). Returns the retakes made."""
    made = 0
    while exam.closes_at + save_grace() <= now:
        closed_at = exam.closes_at + save_grace()
        counts = close_exam(exam, closed_at)
        db.session.flush()
        if not counts.get("retake_added"):
            break
        made += 1
        exam = db.session.scalar(sa.select(Exam).where(Exam.retake_of_id == exam.id))
        flagged = set(db.session.scalars(sa.select(ExamAssignment.user_id).where(ExamAssignment.exam_id == exam.id)))
        # Most take the retake soon and pass it; the second retake is passed by all who sit it.
        boost = 0.2 if exam.retake_round == 1 else 1.0
        takers = {uid: skill.get(uid, 0.8) for uid in flagged if rng.random() < 0.9}
        _sit(exam, exam.opens_at, min(exam.closes_at, now), takers, versions, rng, absent_rate=0, boost=boost)
    return made


def _local(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")

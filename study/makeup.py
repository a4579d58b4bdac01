"""Make-up study (补课过关): what an officer who failed or missed a test studies before the retake.

When an officer is closed flagged (quiz.closing announces `assignments_closed`), they are given
one Makeup for that round: every question they got wrong (answered right once in practice, the
wrong-answer book being the usual way), every reading of their weak categories (studied again:
the reading page's button), and STUDY_MAKEUP_MINUTES of study from that day on (check-ins and
attended sessions, as study.checkins counts them). Once all of it is done, `done_at` is set here
and on the flagged assignment (`makeup_done_at`), which is what the retake's start checks
(quiz.attempts, setting QUIZ_RETAKE_REQUIRES_MAKEUP). A question or reading withdrawn from the
bank since counts as done. Make-up of a chain already cleared (the retake was passed) is moot.
"""

from datetime import date, datetime

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from notices.services import notify
from question_bank.models import Category, Question
from quiz.models import Exam, ExamAssignment, WrongAnswer
from study.checkins import daily_minutes
from study.makeup_models import Makeup, MakeupItem, MakeupItemKind
from study.models import N_, Reading
from study.readings import mark_read, readings_for
from study.settings import setting


def weak_category_readings(user: User, category_ids) -> list[Reading]:
    """Readings applying to `user` whose category is one of `category_ids`, above one or below
    one (a reading on 政治教育 covers a question of 政治教育/理想信念, and the other way round)."""
    paths = [p for p in db.session.scalars(sa.select(Category.path).where(Category.id.in_(list(category_ids))))]
    if not paths:
        return []
    candidates = db.session.scalars(readings_for(user).where(Reading.category_id.is_not(None))).all()
    return [r for r in candidates if any(r.category.path.startswith(p) or p.startswith(r.category.path) for p in paths)]


def assign_makeups(exam, assignments, wrong: dict, now: datetime) -> dict:
    """Event handler (assignments_closed): a Makeup for every flagged officer just closed."""
    flagged = [a for a in assignments if a.flagged and a.cleared_at is None]
    if not flagged:
        return {}
    have = set(
        db.session.scalars(sa.select(Makeup.assignment_id).where(Makeup.assignment_id.in_([a.id for a in flagged])))
    )
    minutes = setting("STUDY_MAKEUP_MINUTES")
    made = []
    # Readings depend only on the officer's unit and the weak categories: found once for each pair.
    readings_of: dict[tuple, list[Reading]] = {}
    for assignment in flagged:
        if assignment.id in have:
            continue
        makeup = Makeup(
            assignment_id=assignment.id,
            user_id=assignment.user_id,
            exam_id=exam.id,
            minutes_required=minutes,
            created_at=now,
        )
        makeup.items = [
            MakeupItem(kind=MakeupItemKind.QUESTION, ref_id=question_id)
            for question_id in wrong.get(assignment.user_id, [])
        ] + [
            MakeupItem(kind=MakeupItemKind.READING, ref_id=reading.id)
            for reading in _readings_once(readings_of, assignment)
        ]
        db.session.add(makeup)
        made.append(makeup)
    db.session.flush()
    for makeup in made:
        _settle(makeup, now)
    return {"makeups": len(made)}


def _readings_once(found: dict, assignment) -> list[Reading]:
    key = (assignment.user.unit_id, tuple(sorted(assignment.weak_category_ids or [])))
    if key not in found:
        found[key] = weak_category_readings(assignment.user, key[1])
    return found[key]


def open_makeups(user_id: int) -> list[Makeup]:
    """The officer's make-up study not done yet, of chains not yet cleared, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Makeup)
            .join(ExamAssignment, ExamAssignment.id == Makeup.assignment_id)
            .where(Makeup.user_id == user_id, Makeup.done_at.is_(None), ExamAssignment.cleared_at.is_(None))
            .order_by(Makeup.created_at, Makeup.id)
        )
    )


def current_makeups(user_id: int) -> list[Makeup]:
    """The latest make-up of each of the officer's chains not yet cleared, done or not (a done one
    leads to its retake), oldest first."""
    rows = db.session.scalars(
        sa.select(Makeup)
        .join(ExamAssignment, ExamAssignment.id == Makeup.assignment_id)
        .where(Makeup.user_id == user_id, ExamAssignment.cleared_at.is_(None))
        .order_by(Makeup.created_at, Makeup.id)
    ).all()
    latest = {}
    for makeup in rows:
        latest[makeup.exam.root_exam_id or makeup.exam_id] = makeup
    return sorted(latest.values(), key=lambda m: (m.created_at, m.id))


def complete_question(user_id: int, question_id: int, now: datetime) -> int:
    """A question answered right in practice: done in every open make-up that lists it."""
    return _complete(user_id, MakeupItemKind.QUESTION, question_id, now)


def complete_reading(user_id: int, reading_id: int, now: datetime) -> int:
    """A reading studied again: done in every open make-up that lists it."""
    return _complete(user_id, MakeupItemKind.READING, reading_id, now)


def _complete(user_id: int, kind: MakeupItemKind, ref_id: int, now: datetime) -> int:
    items = db.session.scalars(
        sa.select(MakeupItem)
        .join(Makeup, Makeup.id == MakeupItem.makeup_id)
        .where(
            Makeup.user_id == user_id,
            Makeup.done_at.is_(None),
            MakeupItem.kind == kind,
            MakeupItem.ref_id == ref_id,
            MakeupItem.done_at.is_(None),
        )
    ).all()
    for item in items:
        item.done_at = now
    if items:
        db.session.flush()
        refresh_makeups(user_id, now)
    return len(items)


def refresh_makeups(user_id: int, now: datetime) -> int:
    """Look again at the officer's open make-ups (after study of any kind); returns how many are
    done now."""
    return sum(_settle(makeup, now) for makeup in open_makeups(user_id))


def progress(makeup: Makeup, today: date) -> dict:
    """What is done and what remains: items with their state, and the minutes."""
    gone_questions, gone_readings = _withdrawn(makeup)
    items = []
    for item in makeup.items:
        gone = item.ref_id in (gone_questions if item.kind == MakeupItemKind.QUESTION else gone_readings)
        items.append({"item": item, "done": item.done_at is not None or gone, "withdrawn": gone})
    studied = _minutes_since(makeup, today)
    return {
        "makeup": makeup,
        "items": items,
        "questions_left": sum(1 for i in items if not i["done"] and i["item"].kind == MakeupItemKind.QUESTION),
        "readings_left": sum(1 for i in items if not i["done"] and i["item"].kind == MakeupItemKind.READING),
        "minutes": studied,
        "minutes_left": max(0, makeup.minutes_required - studied),
        "done": makeup.done_at is not None,
    }


def _minutes_since(makeup: Makeup, today: date) -> int:
    if not makeup.minutes_required:
        return 0
    first = clock.local(makeup.created_at).date()
    if today < first:
        return 0
    return sum(daily_minutes([makeup.user_id], first, today).values())


def _withdrawn(makeup: Makeup) -> tuple[set, set]:
    questions = [i.ref_id for i in makeup.items if i.kind == MakeupItemKind.QUESTION]
    readings = [i.ref_id for i in makeup.items if i.kind == MakeupItemKind.READING]
    live_questions = sa.select(Question.id).where(Question.id.in_(questions), Question.active)
    live_readings = sa.select(Reading.id).where(Reading.id.in_(readings), Reading.active)
    return set(questions) - set(db.session.scalars(live_questions)), set(readings) - set(
        db.session.scalars(live_readings)
    )


def _settle(makeup: Makeup, now: datetime) -> bool:
    """Mark the make-up done if all of it is; tell the officer. Returns whether it became done."""
    if makeup.done_at is not None:
        return False
    state = progress(makeup, clock.local(now).date())
    if state["questions_left"] or state["readings_left"] or state["minutes_left"]:
        return False
    makeup.done_at = now
    assignment = db.session.get(ExamAssignment, makeup.assignment_id)
    assignment.makeup_done_at = now
    assignment.updated_at = now
    if makeup.created_at == now:  # nothing to do from the start: the retake notice says enough
        return True
    notify(
        [makeup.user_id],
        kind="makeup_done",
        title=N_("Make-up study for %(title)s is done: you may take the retake now."),
        params={"title": makeup.exam.title},
        link="/quiz/exams",
        dedupe_key=f"makeup-done:{makeup.id}",
        now=now,
    )
    return True


def on_study_days_changed(pairs, unit_days, now) -> dict:
    """Event handler (study_days_changed): study minutes changed; make-ups that ask for minutes
    may be done now."""
    user_ids = sorted({user_id for user_id, _day in pairs})
    if not user_ids:
        return {}
    waiting = db.session.scalars(
        sa.select(Makeup.user_id).where(
            Makeup.user_id.in_(user_ids), Makeup.done_at.is_(None), Makeup.minutes_required > 0
        )
    ).all()
    return {"makeups_done": sum(refresh_makeups(user_id, now) for user_id in sorted(set(waiting)))}


def mark_studied(user: User, reading: Reading, now: datetime) -> None:
    """The reading page's button: the reading is read (progress), and studied again for any
    open make-up that lists it."""
    mark_read(user, reading, now)
    complete_reading(user.id, reading.id, now)


def reading_pending(user_id: int, reading_id: int) -> bool:
    """The reading is listed, not yet done, in one of the officer's open make-ups."""
    return (
        db.session.scalar(
            sa.select(MakeupItem.id)
            .join(Makeup, Makeup.id == MakeupItem.makeup_id)
            .where(
                Makeup.user_id == user_id,
                Makeup.done_at.is_(None),
                MakeupItem.kind == MakeupItemKind.READING,
                MakeupItem.ref_id == reading_id,
                MakeupItem.done_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def overview(user: User, now: datetime) -> list[dict]:
    """The officer's current make-up study (of each chain not yet passed), for their pages: each
    with its progress, the
    questions and readings by name (a question's wrong-answer book entry once it is booked),
    and the retake it leads to with the officer's own window."""
    today = clock.local(now).date()
    result = []
    for makeup in current_makeups(user.id):
        state = progress(makeup, today)
        question_ids = [i["item"].ref_id for i in state["items"] if i["item"].kind == MakeupItemKind.QUESTION]
        reading_ids = [i["item"].ref_id for i in state["items"] if i["item"].kind == MakeupItemKind.READING]
        stems = dict(
            db.session.execute(sa.select(Question.id, Question.stem).where(Question.id.in_(question_ids))).all()
        )
        entries = dict(
            db.session.execute(
                sa.select(WrongAnswer.question_id, WrongAnswer.id).where(
                    WrongAnswer.user_id == user.id, WrongAnswer.question_id.in_(question_ids)
                )
            ).all()
        )
        titles = dict(db.session.execute(sa.select(Reading.id, Reading.title).where(Reading.id.in_(reading_ids))).all())
        for entry in state["items"]:
            item = entry["item"]
            if item.kind == MakeupItemKind.QUESTION:
                entry.update(text=stems.get(item.ref_id, ""), wrong_id=entries.get(item.ref_id))
            else:
                entry.update(text=titles.get(item.ref_id, ""))
        retake = db.session.scalar(sa.select(Exam).where(Exam.retake_of_id == makeup.exam_id))
        seat = None
        if retake is not None:
            seat = db.session.scalar(
                sa.select(ExamAssignment).where(ExamAssignment.exam_id == retake.id, ExamAssignment.user_id == user.id)
            )
        result.append(
            {
                **state,
                "exam": makeup.exam,
                "book_open": makeup.exam.closed_at is not None,
                "retake": retake,
                "retake_closes_at": (seat.closes_at or retake.closes_at) if seat is not None else None,
                "total": len(state["items"]),
                "left": state["questions_left"] + state["readings_left"],
            }
        )
    return result

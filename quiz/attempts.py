"""Taking a test: start or resume an attempt, save one answer, submit, record leaving the page, and
the attempt's state as the officer may see it.

The server owns the clock: an attempt's deadline is fixed at start, and saves are judged against
it (plus a short network grace), never against anything the page says. The answer key, the
grading and the explanations stay on the server until the exam has closed for everyone.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from accounts.models import User
from core.db import take_write_lock
from core.errors import Conflict, Gone, NotFound, ValidationFailed
from core.extensions import db
from core.i18n import select_locale
from question_bank.answers import LETTERS
from question_bank.models import QuestionType
from quiz import first_reads, prepared
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, FinishReason, PaperItem
from quiz.papers import RECENT_PAPERS, attempt_seed, draw_paper, to_displayed, to_original
from quiz.prepared import shown_question
from quiz.results import finish_attempt
from quiz.settings import setting
from quiz.status import retakes_waiting_for_makeup

MAX_BLANK_LENGTH = 200
MAX_LEAVE_SECONDS = 24 * 3600


# --- windows and limits ------------------------------------------------------------------------


def window_for(exam: Exam, assignment: ExamAssignment) -> tuple[datetime, datetime]:
    """When this officer may start: the exam's window unless a supervisor gave them another."""
    return assignment.opens_at or exam.opens_at, assignment.closes_at or exam.closes_at


def attempts_allowed(exam: Exam, assignment: ExamAssignment) -> int:
    return int(exam.settings.get("attempts_allowed", 1)) + (assignment.extra_attempts or 0)


def closed_for_everyone(exam: Exam, now: datetime | None = None) -> bool:
    """True once the exam is closed for everyone (quiz.closing): every officer's window, an
    extended one too, is over and closed, and so is the exam it retakes. Only then may answers
    and explanations leave the server."""
    return exam.closed_at is not None


def grace() -> timedelta:
    return timedelta(seconds=setting("QUIZ_SAVE_GRACE_SECONDS"))


# --- start --------------------------------------------------------------------------------------


def assignment_of(user: User, exam_id: int) -> ExamAssignment:
    assignment = db.session.scalar(
        sa.select(ExamAssignment).where(ExamAssignment.exam_id == exam_id, ExamAssignment.user_id == user.id)
    )
    if assignment is None:
        raise NotFound(_l("This test is not assigned to you."))
    return assignment


def open_attempt(assignment: ExamAssignment) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_(None))
        .order_by(Attempt.number.desc())
        .limit(1)
    )


@functools.cache
def _mark_in_progress():
    table = ExamAssignment.__table__  # a Core statement: with parameters, an ORM one is a bulk update
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("assignment_id", type_=sa.Integer))
        .values(status=AssignmentStatus.IN_PROGRESS, updated_at=sa.bindparam("now", type_=table.c.updated_at.type))
    )


@dataclass
class Started:
    attempt: Attempt
    created: bool
    shown_items: list[dict] | None = None  # the page's items, when copied from a prepared paper
    exam: Exam | None = None


def start_or_resume(user: User, exam_id: int, now: datetime) -> tuple[Attempt, bool]:
    """(attempt, created): see start."""
    started = start(user, exam_id, now)
    return started.attempt, started.created


def start(user: User, exam_id: int, now: datetime, facts=None) -> Started:
    """The officer's open attempt, or a new one if the window is open and attempts remain. The
    caller commits. Two starts at once cannot both create: (assignment, number) is unique, and
    the loser resumes the winner's attempt. A first attempt takes the paper prepared at
    publishing when there is one still valid (quiz.prepared); otherwise the paper is drawn now.
    `facts`: quiz.first_reads.start_facts as read with the sign-in lookup in this transaction, if it was."""
    if facts is None:
        facts = first_reads.start_facts(user.id, exam_id)
    if facts is None:
        raise NotFound(_l("This test is not assigned to you."))
    assignment, exam = facts.ExamAssignment, facts.Exam
    attempt = db.session.get(Attempt, facts.open_attempt_id) if facts.open_attempt_id is not None else None
    if attempt is not None:
        if now <= attempt.deadline_at:
            return Started(attempt, False)
        # Its time ran out while the officer was away: grade what was saved, then maybe start anew.
        # Committed at once, so the grade stands even when no new attempt may start.
        take_write_lock(db.session)
        finish_attempt(attempt, finished_at=attempt.deadline_at, reason=FinishReason.TIMED_OUT)
        db.session.commit()
    opens_at, closes_at = window_for(exam, assignment)
    if exam.closed_at is not None or assignment.closed_at is not None or now >= closes_at:
        raise Conflict(_l("This test has closed."), code="exam_closed")
    if now < opens_at:
        raise Conflict(_l("This test has not opened yet."), code="exam_not_open")
    ensure_makeup_done(exam, assignment)
    used = facts.used  # an attempt that just timed out above keeps its number
    if used >= attempts_allowed(exam, assignment):
        # On PostgreSQL each statement sees what committed before it: a start racing this one
        # (the same tap replayed) may have committed its attempt after the look for an open one.
        racing = open_attempt(assignment)
        if racing is not None and now <= racing.deadline_at:
            return Started(racing, False)
        raise Conflict(_l("You have used all your attempts at this test."), code="no_attempts_left")
    number = used + 1
    paper = facts if number == prepared.FIRST_ATTEMPT and facts.paper_usable else None
    if paper is not None:
        seed, drawn = paper.seed, None
    else:
        seed = attempt_seed(exam.id, user.id, number, current_app.config["SECRET_KEY"])
        drawn = draw_paper(
            exam.blueprint,
            seed,
            recent_question_ids(user.id),
            shuffle_questions=bool(exam.settings.get("shuffle_questions", True)),
            shuffle_options=bool(exam.settings.get("shuffle_options", True)),
        )
    shown_items = None
    deadline = min(now + timedelta(minutes=exam.duration_minutes + (assignment.extra_minutes or 0)), closes_at)
    # Everything above only read (on SQLite without the write lock); the close job may have closed
    # the exam since, and a replayed tap may have started this attempt since. The insert checks
    # both under the lock, in the one statement: no row comes back from a closed exam or a taken
    # number.
    take_write_lock(db.session)
    values = {
        "exam_id": exam.id,
        "assignment_id": assignment.id,
        "user_id": user.id,
        "number": number,
        "seed": seed,
        "started_at": now,
        "deadline_at": deadline,
        "max_score": exam.total_points,
    }
    in_one_statement = paper is not None and db.session.get_bind().dialect.name == "postgresql"
    try:
        if in_one_statement:
            given = {f"{NEW}{name}": value for name, value in values.items()}
            rows = db.session.execute(_start_with_prepared_paper(), {**given, "paper_id": paper.id}).all()
            attempt_id = rows[0].attempt_id if rows else None
        else:
            attempt_id = db.session.scalar(_insert_attempt(), values)
    except IntegrityError:
        # PostgreSQL: a start of the same number committed after this one looked. Nothing was
        # written before the insert in this transaction.
        db.session.rollback()
        attempt_id = None
    if attempt_id is None:
        if db.session.scalar(sa.select(Exam.closed_at).where(Exam.id == exam.id)) is not None:
            raise Conflict(_l("This test has closed."), code="exam_closed")
        # Another request started this same attempt number first: resume theirs.
        attempt = open_attempt(assignment)
        if attempt is None:
            raise Conflict(_l("You have used all your attempts at this test."), code="no_attempts_left")
        return Started(attempt, False)
    attempt = _persistent_attempt(attempt_id, values)
    if in_one_statement:
        shown_items = prepared.shown_items(paper, {row.position: row.item_id for row in rows})
        return Started(attempt, True, shown_items, exam)
    if paper is not None:
        shown_items = prepared.copy_into(attempt_id, paper)
    else:
        _insert_drawn(attempt_id, drawn)
    # One UPDATE now rather than the ORM's flush of the changed object at commit (a start is the
    # request thousands send in the same second).
    db.session.execute(_mark_in_progress(), {"assignment_id": assignment.id, "now": now})
    return Started(attempt, True, shown_items, exam)


ATTEMPT_VALUES = ("exam_id", "assignment_id", "user_id", "number", "seed", "started_at", "deadline_at", "max_score")


@functools.cache
def _insert_attempt(prefix: str = ""):
    """INSERT … SELECT FROM the exam while it is not closed and the attempt number is free: the
    close re-check, the replayed tap and the insert in one statement, RETURNING the new id (none
    when refused). Built once, as quiz.first_reads builds its reads. (The dialects' ON CONFLICT
    inserts are not cached by SQLAlchemy, so NOT EXISTS stands in; (assignment, number) stays
    unique for the race it cannot see on PostgreSQL.)"""
    table, exams = Attempt.__table__, Exam.__table__
    given = {name: sa.bindparam(prefix + name, type_=table.c[name].type) for name in ATTEMPT_VALUES[1:]}
    taken = (
        sa.select(table.c.id)
        .where(table.c.assignment_id == given["assignment_id"], table.c.number == given["number"])
        .exists()
    )
    source = sa.select(exams.c.id, *given.values(), sa.literal(0), sa.literal(0)).where(
        exams.c.id == sa.bindparam(prefix + "exam_id", type_=sa.Integer), exams.c.closed_at.is_(None), ~taken
    )
    return sa.insert(table).from_select((*ATTEMPT_VALUES, "leave_count", "leave_seconds"), source).returning(table.c.id)


NEW = "new_"


@functools.cache
def _start_with_prepared_paper():
    """PostgreSQL: _insert_attempt, the copy of the prepared paper `:paper_id` into the new
    attempt's items and the assignment's mark as in progress, as one statement (data-modifying
    CTEs): one round trip where there were three, for the request thousands send in the same
    second. A row per copied item (attempt_id, position, item_id); none when the insert was
    refused, and then nothing was copied or marked."""
    # The attempt's values are named new_*: any parameter named as a column of the assignments
    # (exam_id, user_id) would be SET by the UPDATE below as well.
    attempt = _insert_attempt(NEW).cte("new_attempt")
    items_table, assignments = PaperItem.__table__, ExamAssignment.__table__
    source = prepared.copy_source(attempt.c.id).select_from(attempt.join(prepared.PreparedItem, sa.true()))
    items = (
        sa.insert(items_table)
        .from_select(prepared.COPIED_COLUMNS, source)
        .returning(items_table.c.position, items_table.c.id)
        .cte("new_items")
    )
    marked = (
        sa.update(assignments)
        .where(assignments.c.id == sa.bindparam(f"{NEW}assignment_id"), sa.exists(sa.select(attempt.c.id)))
        .values(status=AssignmentStatus.IN_PROGRESS, updated_at=sa.bindparam(f"{NEW}started_at"))
        .cte("marked")
    )
    return (
        sa.select(attempt.c.id.label("attempt_id"), items.c.position, items.c.id.label("item_id"))
        .select_from(attempt.outerjoin(items, sa.true()))
        .add_cte(marked)
    )


def _persistent_attempt(attempt_id: int, values: dict) -> Attempt:
    """The attempt just inserted, as a loaded ORM object, without reading it back: every column
    is known (the unset ones are as inserted)."""
    attempt = Attempt(
        id=attempt_id,
        **values,
        finished_at=None,
        finish_reason=None,
        score=None,
        passed=None,
        leave_count=0,
        leave_seconds=0,
    )
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt


def _insert_drawn(attempt_id: int, drawn) -> None:
    db.session.execute(
        sa.insert(PaperItem),
        [
            {
                "attempt_id": attempt_id,
                "position": item.position,
                "question_id": item.question_id,
                "question_version_id": item.version_id,
                "category_id": item.category_id,
                "points": item.points,
                "option_order": list(item.option_order),
                "version": 0,
                "marked": False,
            }
            for item in drawn
        ],
    )


def ensure_makeup_done(exam: Exam, assignment: ExamAssignment) -> None:
    """A retake is started only after the make-up study (补课) of the round it retakes."""
    if exam.id in retakes_waiting_for_makeup(assignment.user_id, [exam]):
        raise Conflict(
            _l("Finish your make-up study (your wrong answers and the readings) before you start the retake."),
            code="makeup_required",
        )


def recent_question_ids(user_id: int) -> set[int]:
    """Questions of the officer's latest papers, which a new paper avoids when the bank allows."""
    latest = (
        sa.select(Attempt.id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(RECENT_PAPERS)
        .scalar_subquery()
    )
    return set(db.session.scalars(sa.select(PaperItem.question_id).where(PaperItem.attempt_id.in_(latest))))


# --- one attempt, as its owner --------------------------------------------------------------------


def shows_no_key_yet(attempt: Attempt) -> bool:
    """True for an attempt still being taken: its pages show the paper and the saved answers, no
    key and no result, so the closed-book rule lets them open even while another of the officer's
    tests is in progress too (a weekly test and a retake both started)."""
    return attempt.finished_at is None and not closed_for_everyone(db.session.get(Exam, attempt.exam_id))


def own_attempt(user: User, attempt_id: int) -> Attempt:
    """The caller's attempt, or 404 (another officer's attempt is not acknowledged to exist)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(_l("There is no such attempt of yours."))
    return attempt


def _validate(qtype: QuestionType, option_count: int, blank_count: int, response, option_order):
    """The response in displayed letters, checked against the question's type and mapped to the
    original letters it is stored in. None clears the answer."""
    if response is None:
        return None
    shown = set(LETTERS[:option_count])  # single letters: "AB" is not an option
    if qtype == QuestionType.SINGLE:
        if not isinstance(response, str) or response not in shown:
            raise ValidationFailed(_l("Choose one of the options."), field="response")
        return to_original(option_order, response)
    if qtype == QuestionType.MULTIPLE:
        if (
            not isinstance(response, list)
            or not all(isinstance(letter, str) and letter in shown for letter in response)
            or len(set(response)) != len(response)
        ):
            raise ValidationFailed(_l("Choose options from the list."), field="response")
        return to_original(option_order, response) if response else None
    if qtype == QuestionType.TRUE_FALSE:
        if not isinstance(response, bool):
            raise ValidationFailed(_l("Answer true or false."), field="response")
        return response
    if qtype == QuestionType.FILL:
        if (
            not isinstance(response, list)
            or len(response) != blank_count
            or not all(isinstance(text, str) and len(text) <= MAX_BLANK_LENGTH for text in response)
        ):
            raise ValidationFailed(_l("Fill in every blank (at most 200 characters each)."), field="response")
        return response if any(text.strip() for text in response) else None
    raise ValidationFailed(_l("The request could not be understood."))


def save_answer(user: User, attempt_id: int, item_id: int, data: dict, now: datetime, row=None) -> dict:
    """Save one answer (and/or the marked-for-review flag). One SELECT for the item and its
    attempt, one conditional UPDATE: it writes only while the attempt is unfinished, within its
    deadline plus grace, and (when the page sent one) at the version the page last saw, so two
    racing tabs cannot both win. The caller commits. `row`: the SELECT's row as read with the
    sign-in lookup in this transaction (quiz.first_reads), if it was."""
    if row is None:
        row = first_reads.save_facts(attempt_id, item_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_l("This question is not in your paper."))
    _refuse_closed(row.finished_at, row.deadline_at, now)
    values = {}
    if "response" in data:
        qtype = QuestionType(row.type)
        blanks = len(row.answer) if qtype == QuestionType.FILL else 0
        original = _validate(qtype, len(row.options or []), blanks, data["response"], row.option_order)
        values.update(response=original, version=PaperItem.version + 1, answered_at=now)
    if "marked" in data:
        if not isinstance(data["marked"], bool):
            raise ValidationFailed(_l("The request could not be understood."), field="marked")
        values["marked"] = data["marked"]
    if not values:
        raise ValidationFailed(_l("Send a response to save."), field="response")
    seen = data.get("version")
    if seen is not None and (not isinstance(seen, int) or isinstance(seen, bool)):
        raise ValidationFailed(_l("The request could not be understood."), field="version")
    take_write_lock(db.session)  # the checks above only read; the UPDATE below re-checks what can change
    # The deadline never changes after the start and was checked above; what may have changed
    # since the SELECT is that the attempt was finished (a submit, the close job). FOR SHARE
    # (PostgreSQL; SQLite writers are serialised anyway) orders a save and a finish on the
    # attempt row: a save acknowledged is one the grading saw, a save after it finds it finished.
    unfinished = (
        sa.select(Attempt.id).where(Attempt.id == attempt_id, Attempt.finished_at.is_(None)).with_for_update(read=True)
    )
    update = (
        sa.update(PaperItem)
        .where(PaperItem.id == item_id, PaperItem.attempt_id.in_(unfinished))
        .values(**values)
        .returning(PaperItem.version, PaperItem.marked)
    )
    if seen is not None and "response" in data:
        update = update.where(PaperItem.version == seen)
    saved = db.session.execute(update.execution_options(synchronize_session=False)).first()
    if saved is None:
        _explain_refused_save(attempt_id, item_id, now)
    return {"item_id": item_id, "version": saved.version, "marked": saved.marked, "saved_at": now.isoformat()}


def _refuse_closed(finished_at, deadline_at, now):
    if finished_at is not None:
        raise Conflict(_l("This test has been submitted; answers can no longer be changed."), code="finished")
    if now > deadline_at and now > deadline_at + grace():  # the setting is read only when late
        raise Gone(_l("Time is up for this test; this answer arrived too late to be kept."), code="deadline_passed")


def _explain_refused_save(attempt_id, item_id, now):
    """The conditional UPDATE wrote nothing: say why, from the state that won."""
    db.session.rollback()
    attempt = db.session.get(Attempt, attempt_id)
    _refuse_closed(attempt.finished_at, attempt.deadline_at, now)
    current = db.session.get(PaperItem, item_id)
    raise Conflict(
        _l(
            "This answer was changed in another window or tab. The page now shows the latest answer; "
            "check it and answer again if needed."
        ),
        code="stale_version",
        data={"item": item_json(current, closed=False)},
    )


def submit(user: User, attempt_id: int, now: datetime) -> dict:
    """Finish and grade the attempt once; a second submit returns the same result. After the
    deadline (and its grace) nothing new is accepted, and the attempt is finished at its
    deadline with what was saved in time. The caller commits."""
    attempt = own_attempt(user, attempt_id)
    if attempt.finished_at is None:
        take_write_lock(db.session)  # finish_attempt claims the attempt first, then grades
        if now <= attempt.deadline_at:
            finish_attempt(attempt, finished_at=now, reason=FinishReason.SUBMITTED)
        else:
            finish_attempt(attempt, finished_at=attempt.deadline_at, reason=FinishReason.TIMED_OUT)
    return result_json(attempt)


def record_leave(user: User, attempt_id: int, seconds, now: datetime) -> dict:
    """Count one time the officer left the test page (tab or app switch) for `seconds`. Leaves
    shorter than the tolerance are not counted. Never blocks anyone; supervisors see the count."""
    attempt = own_attempt(user, attempt_id)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise ValidationFailed(_l("The request could not be understood."), field="seconds")
    seconds = int(min(seconds, MAX_LEAVE_SECONDS))
    counted = seconds >= setting("QUIZ_LEAVE_TOLERANCE_SECONDS") and attempt.finished_at is None
    if counted:
        db.session.execute(
            sa.update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
            .values(leave_count=Attempt.leave_count + 1, leave_seconds=Attempt.leave_seconds + seconds)
            .execution_options(synchronize_session=False)
        )
    return {"counted": counted}


# --- what the officer may see ---------------------------------------------------------------------


def item_json(item: PaperItem, *, closed: bool) -> dict:
    """One question as shown: options in the paper's order, the saved response in displayed
    letters. The key, the grade and the explanation only once the exam has closed for everyone."""
    version = item.question_version
    qtype = QuestionType(version.type)
    body = {
        "id": item.id,
        "position": item.position,
        **shown_question(qtype, version.stem, version.options, version.answer, item.option_order, item.points),
        "type_label": str(qtype.label),
        "response": displayed_response(qtype, item.option_order, item.response),
        "version": item.version,
        "marked": item.marked,
    }
    if closed:
        body.update(
            answer=displayed_response(qtype, item.option_order, version.answer),
            is_correct=item.correct,
            score=item.score,
            explanation=version.explanation,
        )
    return body


def displayed_response(qtype: QuestionType, option_order, response):
    if response is None or qtype not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return response
    return to_displayed(option_order, response)


def result_json(attempt: Attempt) -> dict:
    """What the officer sees right after submitting: score and pass/fail, nothing per question."""
    exam = db.session.get(Exam, attempt.exam_id)
    return {
        "attempt_id": attempt.id,
        "finished": attempt.finished_at is not None,
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "finish_reason": attempt.finish_reason.value if attempt.finish_reason else None,
        "finish_reason_label": str(attempt.finish_reason.label) if attempt.finish_reason else None,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "pass_mark": exam.pass_mark,
        "passed": attempt.passed,
    }


def attempt_state(attempt: Attempt, now: datetime) -> dict:
    """The attempt for the page: paper, saved answers, deadline and the server's now; the result
    once finished; the key and explanations once the exam has closed for everyone."""
    exam = db.session.get(Exam, attempt.exam_id)
    closed = closed_for_everyone(exam, now)
    items = db.session.scalars(
        sa.select(PaperItem).where(PaperItem.attempt_id == attempt.id).order_by(PaperItem.position)
    ).all()
    state = _state(attempt, exam, now, closed, [item_json(item, closed=closed) for item in items])
    if attempt.finished_at is not None:
        state["result"] = result_json(attempt)
    return state


def started_state(started: Started, now: datetime) -> dict | None:
    """The state of an attempt just started from a prepared paper, from what is in hand (no
    query); None for any other start (attempt_state reads it, after the commit)."""
    if not started.created or started.shown_items is None:
        return None
    return _state(started.attempt, started.exam, now, False, started.shown_items)


def _state(attempt: Attempt, exam: Exam, now: datetime, closed: bool, items: list[dict]) -> dict:
    kind_label = prepared.labels_in(select_locale())[exam.kind.value]
    return {
        "id": attempt.id,
        "exam": {"id": exam.id, "title": exam.title, "kind": exam.kind.value, "kind_label": kind_label},
        "number": attempt.number,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat(),
        "server_now": now.isoformat(),
        "seconds_left": max(0, int((attempt.deadline_at - now).total_seconds())),
        "finished": attempt.finished_at is not None,
        "review": closed,
        "items": items,
    }

"""Taking back what was published by mistake: withdrawing an exam before anyone has started it,
and pausing or resuming a test template. Supervisors of the whole scope only; audited; callers
commit."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import User
from accounts.scope import ensure_unit_in_scope
from core.errors import Conflict
from core.events import emit
from core.extensions import db
from core.i18n import N_
from notices.services import notify
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, ExamTemplate


def anyone_started(exam: Exam) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Attempt.exam_id == exam.id)))


def may_withdraw(exam: Exam) -> bool:
    """Whether the withdraw button makes sense: a first round, neither closed nor started."""
    return not exam.retake_round and exam.closed_at is None and not anyone_started(exam)


def withdraw_exam(actor: User | None, exam: Exam, now: datetime) -> int:
    """Withdraw a published exam nobody has started: its assignments are removed, so no officer's
    list, notice reminder, report, board or bulletin counts it, and the exam is marked withdrawn
    (by whom, when) and closed at `now`. The row stays, so a recurring template does not publish
    the same period again; the officers it was set for are told. Returns how many they were.

    Raises PermissionDenied (outside the actor's subtree), Conflict (a retake, already closed or
    withdrawn, or someone has started: nothing is changed)."""
    ensure_unit_in_scope(actor, exam.scope_unit)
    if exam.retake_round:
        raise Conflict(_l("A retake cannot be withdrawn: it belongs to the test it retakes."))
    claimed = db.session.execute(
        sa.update(Exam)
        .where(Exam.id == exam.id, Exam.closed_at.is_(None), Exam.withdrawn_at.is_(None))
        .values(closed_at=now, withdrawn_at=now, withdrawn_by_id=actor.id if actor else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise Conflict(_l("This test is already closed or withdrawn."))
    started = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Attempt.user_id))).where(Attempt.exam_id == exam.id)
    )
    if started:
        raise Conflict(
            _l("%(count)d officers have already started this test, so it can no longer be withdrawn.", count=started)
        )
    seats = db.session.execute(
        sa.select(ExamAssignment.user_id, ExamAssignment.unit_id).where(ExamAssignment.exam_id == exam.id)
    ).all()
    officers = [user_id for user_id, _unit in seats]
    # Only assignments nobody has touched: a start racing this withdrawal keeps its row, and then
    # the withdrawal is refused below (on PostgreSQL the DELETE waits for the start's row lock).
    db.session.execute(
        sa.delete(ExamAssignment).where(
            ExamAssignment.exam_id == exam.id, ExamAssignment.status == AssignmentStatus.ASSIGNED
        )
    )
    if db.session.scalar(sa.select(sa.func.count()).where(ExamAssignment.exam_id == exam.id)):
        raise Conflict(_l("Someone started this test just now, so it can no longer be withdrawn."))
    db.session.refresh(exam)
    emit("exam_results_changed", exam_id=exam.id, unit_ids=sorted({unit_id for _user, unit_id in seats}))
    notify(
        officers,
        kind="quiz.withdrawn",
        title=N_("The test %(title)s was withdrawn; you need not take it."),
        params={"title": exam.title},
        link="/exams",
        dedupe_key=f"quiz-withdrawn:{exam.id}",
        now=now,
    )
    audit.record(
        "quiz.exam_withdrawn", actor=actor, target=exam, detail={"title": exam.title, "assigned": len(officers)}
    )
    db.session.flush()
    return len(officers)


def set_template_active(actor: User | None, template: ExamTemplate, active: bool, now: datetime) -> ExamTemplate:
    """Pause (active False) or resume a template. A paused recurring template publishes nothing;
    resumed, it starts again from `now`, so the periods that passed while it was paused are
    neither published late nor held as missed (a period open at `now` is published with the
    time it has left, as for a new template). Exams already published are not touched."""
    ensure_unit_in_scope(actor, template.scope_unit)
    if template.active == active:
        return template
    template.active = active
    template.updated_at = now
    if active:
        template.recurs_from = now
    audit.record("quiz.template_resumed" if active else "quiz.template_paused", actor=actor, target=template)
    db.session.flush()
    return template

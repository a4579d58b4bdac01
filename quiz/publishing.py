"""Publishing an exam from a template: freeze the blueprint with its question pools, then assign
every active officer of the scope (or the given officers, for a retake).

publish_exam is the one way an Exam is made: by a supervisor's button and the publish-exam
command (quiz.schedule.publish_by_hand), the scheduler's publish_due_exams, an admin publishing
a missed period, and the retake loop.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from accounts.membership import is_member
from accounts.models import Role, Unit, User
from accounts.scope import can_manage_unit, unit_ids_in_subtree
from core.errors import PermissionDenied, ValidationFailed
from core.events import emit
from core.extensions import db
from question_bank.models import Category, Question, QuestionVersion
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, ExamTemplate
from quiz.settings import setting

SETTING_FIELDS = (
    "attempts_allowed",
    "attempt_policy",
    "shuffle_questions",
    "shuffle_options",
    "partial_credit",
    "retake_days",
)


def question_pool(category_id: int, qtype) -> list[list[int]]:
    """[question_id, version_id, option_count] of the active questions of a category subtree and
    type, at their current versions."""
    category_path = sa.select(Category.path).where(Category.id == category_id).scalar_subquery()
    rows = db.session.execute(
        sa.select(Question.id, QuestionVersion.id, Question.options)
        .join(Category, Category.id == Question.category_id)
        .join(
            QuestionVersion,
            sa.and_(QuestionVersion.question_id == Question.id, QuestionVersion.number == Question.version),
        )
        .where(Question.active, Question.type == qtype, Category.path.startswith(category_path))
        .order_by(Question.id)
    )
    return [[question_id, version_id, len(options or [])] for question_id, version_id, options in rows]


def freeze_blueprint(rules) -> list[dict]:
    """The template's rules with their pools. Raises ValidationFailed naming every row the bank
    cannot fill (counting questions another row already needs from an overlapping category)."""
    frozen, shortfalls, taken = [], [], set()
    for number, rule in enumerate(rules, start=1):
        pool = [entry for entry in question_pool(rule.category_id, rule.type) if entry[0] not in taken]
        if len(pool) < rule.count:
            category = db.session.get(Category, rule.category_id)
            shortfalls.append(
                _l(
                    "Row %(number)s (%(category)s, %(type)s) needs %(count)s questions; the bank has %(available)s.",
                    number=number,
                    category=category.name if category else "?",
                    type=rule.type.label,
                    count=rule.count,
                    available=len(pool),
                )
            )
        taken.update(entry[0] for entry in pool[: rule.count])
        frozen.append(
            {
                "category_id": rule.category_id,
                "type": rule.type.value,
                "count": rule.count,
                "points": rule.points,
                "pool": pool,
            }
        )
    if not rules:
        raise ValidationFailed(_l("The blueprint has no rows: add at least one."), field="rules")
    if shortfalls:
        raise ValidationFailed(" ".join(str(s) for s in shortfalls), field="rules")
    return frozen


def officers_in_scope(unit: Unit) -> list[tuple[int, int]]:
    """(user_id, unit_id) of the active officers of a unit subtree."""
    rows = db.session.execute(
        sa.select(User.id, User.unit_id)
        .where(User.unit_id.in_(unit_ids_in_subtree(unit)), User.active, User.role == Role.OFFICER)
        .order_by(User.id)
    )
    return [tuple(row) for row in rows]


def publish_exam(
    actor: User | None,
    template: ExamTemplate,
    *,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime,
    period_key: str | None = None,
    title: str | None = None,
    retake_of: Exam | None = None,
    user_ids: list[int] | None = None,
) -> Exam:
    """Create the exam and its assignments in the caller's transaction (the caller commits).
    `actor` None is the system (scheduler, retake loop). `user_ids` limits the assignment (a
    retake assigns exactly the flagged officers, in whatever unit they were assigned before).
    A window that has already ended is refused, whoever publishes: nobody may be marked absent
    for a test they could not take."""
    if actor is not None and not can_manage_unit(actor, template.scope_unit):
        raise PermissionDenied(_l("You may publish tests only for your own units."))
    if closes_at <= opens_at:
        raise ValidationFailed(_l("The closing time must be after the opening time."), field="closes_at")
    if closes_at <= now:
        raise ValidationFailed(_l("The closing time has already passed."), field="closes_at")
    blueprint = retake_of.blueprint if retake_of is not None else freeze_blueprint(template.rules)
    exam = Exam(
        template_id=template.id,
        title=(title or template.title).strip(),
        kind=template.kind,
        scope_unit_id=template.scope_unit_id,
        period_key=retake_of.period_key if retake_of is not None else period_key,
        retake_round=retake_of.retake_round + 1 if retake_of is not None else 0,
        retake_of_id=retake_of.id if retake_of is not None else None,
        root_exam_id=(retake_of.root_exam_id or retake_of.id) if retake_of is not None else None,
        opens_at=opens_at,
        closes_at=closes_at,
        duration_minutes=template.duration_minutes,
        total_points=sum(row["count"] * row["points"] for row in blueprint),
        pass_mark_percent=template.pass_mark_percent,
        blueprint=blueprint,
        settings=(
            dict(retake_of.settings)
            if retake_of is not None
            else {field: _plain(getattr(template, field)) for field in SETTING_FIELDS}
        ),
        published_by_id=actor.id if actor is not None else None,
        published_at=now,
    )
    db.session.add(exam)
    db.session.flush()
    if user_ids is None:
        assignees = officers_in_scope(template.scope_unit)
    else:
        assignees = _previous_units(retake_of, user_ids) if retake_of is not None else _current_units(user_ids)
    _insert_assignments(exam.id, assignees, now)
    emit("exam_results_changed", exam_id=exam.id, unit_ids=sorted({unit_id for _, unit_id in assignees}))
    return exam


def _insert_assignments(exam_id: int, assignees, now: datetime, opens_at: datetime | None = None) -> None:
    """Assign `exam_id` to these (user_id, unit_id) pairs; `opens_at` opens their own window later
    than the exam's (an officer who arrived while it was open)."""
    if assignees:
        db.session.execute(
            sa.insert(ExamAssignment),
            [
                {
                    "exam_id": exam_id,
                    "user_id": user_id,
                    "unit_id": unit_id,
                    "status": AssignmentStatus.ASSIGNED,
                    "opens_at": opens_at,
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, unit_id in assignees
            ],
        )


def _plain(value):
    return value.value if hasattr(value, "value") else value


def _current_units(user_ids):
    rows = db.session.execute(sa.select(User.id, User.unit_id).where(User.id.in_(user_ids)).order_by(User.id))
    return [tuple(row) for row in rows]


def _previous_units(exam: Exam, user_ids):
    """A retake keeps each officer in the unit they were assigned under, so reports stay whole."""
    rows = db.session.execute(
        sa.select(ExamAssignment.user_id, ExamAssignment.unit_id)
        .where(ExamAssignment.exam_id == exam.id, ExamAssignment.user_id.in_(user_ids))
        .order_by(ExamAssignment.user_id)
    )
    return [tuple(row) for row in rows]


def least_time_left(window) -> timedelta:
    """Less than this left of a window (a period found late, a test someone arrives at), and it is
    not given to anyone: too little time to take it would only make them 缺考."""
    return min(timedelta(hours=setting("QUIZ_CATCH_UP_MIN_HOURS")), (window.closes_at - window.opens_at) / 2)


def join_arrivals(users: list[User], now: datetime) -> dict:
    """Event handler (people_changed): an officer who arrives in an open test's scope (a new
    account, a move in, a restored one) is assigned it, in their unit of today, with their window
    opening now, if at least least_time_left of it remains, as for a period published late; with
    less, the test is not theirs and nobody marks them absent. Retakes are only for the flagged."""
    arrivals = {user.id: user.unit_id for user in users if is_member(user)}
    if not arrivals:
        return {}
    exams = db.session.scalars(
        sa.select(Exam).where(
            Exam.retake_round == 0, Exam.closed_at.is_(None), Exam.withdrawn_at.is_(None), Exam.closes_at > now
        )
    ).all()
    joined = 0
    for exam in exams:
        if exam.closes_at - max(now, exam.opens_at) < least_time_left(exam):
            continue
        in_scope = set(db.session.scalars(unit_ids_in_subtree(exam.scope_unit)))
        assigned = set(
            db.session.scalars(
                sa.select(ExamAssignment.user_id).where(
                    ExamAssignment.exam_id == exam.id, ExamAssignment.user_id.in_(list(arrivals))
                )
            )
        )
        new = [
            (user_id, unit_id)
            for user_id, unit_id in arrivals.items()
            if unit_id in in_scope and user_id not in assigned
        ]
        if not new:
            continue
        _insert_assignments(exam.id, new, now, opens_at=now if now > exam.opens_at else None)
        joined += len(new)
        emit("exam_results_changed", exam_id=exam.id, unit_ids=sorted({unit_id for _, unit_id in new}))
    return {"assignments_joined": joined} if joined else {}


def withdraw_departed(users: list[User], now: datetime) -> dict:
    """Event handler (people_changed): someone who is no longer an active officer (deactivated,
    or given another role) is taken off the tests they had not started and that are still open
    for them, so they are neither counted nor marked absent after leaving; an officer who moved
    out of a test's scope is taken off it likewise (join_arrivals gives them their new scope's).
    Retakes stay with the person wherever they move. Results already given stay."""
    departed = [user.id for user in users if not is_member(user)]
    staying = [user.id for user in users if is_member(user)]
    started = sa.select(Attempt.assignment_id)
    unstarted = sa.select(ExamAssignment.id, ExamAssignment.exam_id, ExamAssignment.unit_id).where(
        ExamAssignment.closed_at.is_(None), ExamAssignment.id.not_in(started)
    )
    rows = list(db.session.execute(unstarted.where(ExamAssignment.user_id.in_(departed))).all()) if departed else []
    if staying:
        scope, current = aliased(Unit), aliased(Unit)
        rows += [
            row
            for row in db.session.execute(
                unstarted.add_columns(scope.path.label("scope_path"), current.path.label("unit_path"))
                .join(Exam, Exam.id == ExamAssignment.exam_id)
                .join(scope, scope.id == Exam.scope_unit_id)
                .join(User, User.id == ExamAssignment.user_id)
                .join(current, current.id == User.unit_id)
                .where(ExamAssignment.user_id.in_(staying), Exam.retake_round == 0)
            )
            if not row.unit_path.startswith(row.scope_path)
        ]
    if not rows:
        return {}
    db.session.execute(sa.delete(ExamAssignment).where(ExamAssignment.id.in_([row.id for row in rows])))
    for row in rows:
        emit("exam_results_changed", exam_id=row.exam_id, unit_ids=[row.unit_id])
    return {"assignments_withdrawn": len(rows)}

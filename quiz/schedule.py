"""Publishing the periods of recurring templates: on time by the scheduler, by hand, or late.

One exam per (template, period), whoever publishes it: the scheduler's tick, a supervisor's
button or the publish-exam command (a hand publish of a recurring template's period is that
period's exam, and the other publisher finds it and says so), or an admin publishing a period
the scheduler missed. The database holds this too: (template, period, round) is unique.

Downtime never punishes anyone. A period whose window passed while nothing ran is not
published (nobody is assigned, nobody is absent): it is recorded as missed, the admins are told,
and the jobs page offers to publish it with a new window. A period found late is published with
the time it has left, unless less than QUIZ_CATCH_UP_MIN_HOURS (or half its window) remains.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from accounts import audit
from accounts.models import Role, User
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.i18n import N_
from notices.services import notify
from quiz.missed_models import MissedPeriod, MissedReason
from quiz.models import Exam, ExamTemplate, Recurrence
from quiz.publishing import least_time_left, publish_exam
from quiz.recurrence import Period, opened_periods, period_containing, period_title


def period_exam(template_id: int, key: str) -> Exam | None:
    return db.session.scalar(
        sa.select(Exam).where(Exam.template_id == template_id, Exam.period_key == key, Exam.retake_round == 0)
    )


def publish_due_exams(now: datetime) -> dict:
    """Scheduler job (every minute): publish every opened period of every active recurring
    template that has no exam yet, oldest first; hold (as missed) the periods found too late.
    Safe to run again and concurrently: a period someone else published or held meanwhile is
    skipped."""
    counts = {"published": 0, "missed": 0, "bank_short": 0}
    templates = db.session.scalars(
        sa.select(ExamTemplate)
        .where(ExamTemplate.active, ExamTemplate.recurrence != Recurrence.NONE)
        .order_by(ExamTemplate.id)
    ).all()
    for template in templates:
        periods = opened_periods(template, now)
        if not periods:
            continue
        keys = [p.key for p in periods]
        taken = set(
            db.session.scalars(
                sa.select(Exam.period_key).where(
                    Exam.template_id == template.id, Exam.retake_round == 0, Exam.period_key.in_(keys)
                )
            )
        )
        taken |= set(
            db.session.scalars(
                sa.select(MissedPeriod.period_key).where(
                    MissedPeriod.template_id == template.id, MissedPeriod.period_key.in_(keys)
                )
            )
        )
        for period in periods:
            if period.key in taken:
                continue
            left = period.closes_at - now
            if left < least_time_left(period):
                reason = MissedReason.WINDOW_PASSED if left <= timedelta(0) else MissedReason.TOO_LITTLE_TIME
                counts["missed"] += _hold(template, period, reason, now)
                continue
            try:
                with db.session.begin_nested():
                    publish_exam(
                        None,
                        template,
                        opens_at=period.opens_at,
                        closes_at=period.closes_at,
                        now=now,
                        period_key=period.key,
                        title=period_title(template, period.key),
                    )
                counts["published"] += 1
            except IntegrityError:  # published by a concurrent runner or by hand since we looked
                continue
            except ValidationFailed:  # the bank cannot fill the blueprint: skip, try next tick
                counts["bank_short"] += 1
    return counts


def _hold(template: ExamTemplate, period: Period, reason: MissedReason, now: datetime) -> int:
    """Record a missed period once and tell the admins. Returns 1 if it was new."""
    try:
        with db.session.begin_nested():
            db.session.add(
                MissedPeriod(
                    template_id=template.id,
                    period_key=period.key,
                    opens_at=period.opens_at,
                    closes_at=period.closes_at,
                    reason=reason,
                    found_at=now,
                )
            )
    except IntegrityError:
        return 0
    admins = db.session.scalars(sa.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))).all()
    notify(
        admins,
        kind="exam_missed",
        title=N_("%(title)s was not published: %(reason)s. Publish it with a new window on the jobs page."),
        params={"title": period_title(template, period.key), "reason": str(reason.label)},
        link="/admin/jobs/",
        dedupe_key=f"missed:{template.id}:{period.key}",
        now=now,
    )
    return 1


def _already_published(exam: Exam) -> Conflict:
    return Conflict(
        _l("This period of the template is already published: %(title)s (test %(id)s).", title=exam.title, id=exam.id),
        code="period_published",
        field="opens_at",
    )


def publish_by_hand(
    actor: User | None, template: ExamTemplate, *, opens_at: datetime, closes_at: datetime, now: datetime, title=None
) -> Exam:
    """A supervisor's or the command's publish. For a recurring template the exam is the period's
    (the week or month its opening falls in): refused with the existing exam named if the period
    is published already; a period held as missed is resolved by it. The caller commits."""
    key = period_containing(template, opens_at)
    missed = None
    if key is not None:
        existing = period_exam(template.id, key)
        if existing is not None:
            raise _already_published(existing)
        missed = db.session.scalar(
            sa.select(MissedPeriod).where(MissedPeriod.template_id == template.id, MissedPeriod.period_key == key)
        )
    try:
        with db.session.begin_nested():
            exam = publish_exam(
                actor,
                template,
                opens_at=opens_at,
                closes_at=closes_at,
                now=now,
                period_key=key,
                title=title or (period_title(template, key) if key else None),
            )
    except IntegrityError:  # the scheduler published this period a moment ago
        raise _already_published(period_exam(template.id, key)) from None
    if missed is not None and missed.resolved_at is None:
        missed.resolved_at, missed.resolved_by_id, missed.exam_id = now, actor.id if actor else None, exam.id
    audit.record("quiz.exam_published", actor=actor, target=exam, detail={"template_id": template.id, "period": key})
    return exam


def missed_periods(include_resolved: bool = False) -> list[MissedPeriod]:
    query = sa.select(MissedPeriod).order_by(MissedPeriod.resolved_at.is_not(None), MissedPeriod.opens_at.desc())
    if not include_resolved:
        query = query.where(MissedPeriod.resolved_at.is_(None))
    return list(db.session.scalars(query))


def get_missed(missed_id: int) -> MissedPeriod:
    missed = db.session.get(MissedPeriod, missed_id)
    if missed is None:
        raise NotFound(_l("This missed test was not found."))
    return missed


def _ensure_open(actor: User | None, missed: MissedPeriod) -> None:
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied(_l("Only administrators decide about missed tests."))
    if missed.resolved_at is not None:
        raise Conflict(_l("This missed test has already been dealt with."))


def publish_missed(actor: User | None, missed: MissedPeriod, *, opens_at: datetime, closes_at: datetime, now) -> Exam:
    """Publish a missed period with a new window: the period's exam, so the schedule and a hand
    publish find it. The caller commits."""
    _ensure_open(actor, missed)
    existing = period_exam(missed.template_id, missed.period_key)
    if existing is not None:
        raise _already_published(existing)
    template = missed.template
    exam = publish_exam(
        actor,
        template,
        opens_at=opens_at,
        closes_at=closes_at,
        now=now,
        period_key=missed.period_key,
        title=period_title(template, missed.period_key),
    )
    missed.resolved_at, missed.resolved_by_id, missed.exam_id = now, actor.id if actor else None, exam.id
    audit.record("quiz.missed_published", actor=actor, target=exam, detail={"period": missed.period_key})
    return exam


def dismiss_missed(actor: User | None, missed: MissedPeriod, now) -> None:
    """Let a missed period go: it stays recorded, nobody is assigned or marked absent."""
    _ensure_open(actor, missed)
    missed.resolved_at, missed.resolved_by_id, missed.dismissed = now, actor.id if actor else None, True
    audit.record("quiz.missed_dismissed", actor=actor, target=missed, detail={"period": missed.period_key})


def default_new_window(missed: MissedPeriod, now: datetime) -> tuple[datetime, datetime]:
    """From the next whole hour, as long as the period's own window."""
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, start + (missed.closes_at - missed.opens_at)

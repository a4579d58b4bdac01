"""The retake loop (补考): one retake exam per exam for the officers its close flagged (those closed
later, after an extension, join it then), clearing the flag on the whole chain the moment a
retake is passed, and escalating to the officer's supervisors when a retake is failed too.

A retake's window runs its template's retake days from the moment the exam it retakes can show
its key (the last officer's window of that exam): make-up study needs the wrong answers, which
nobody sees while someone can still answer."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from accounts.models import Role, Unit, User
from core import clock
from core.extensions import db
from core.i18n import N_
from notices.services import notify
from quiz.models import AssignmentStatus, Exam, ExamAssignment, ExamKind
from quiz.publishing import publish_exam

# Contests rank people and mock tests are rehearsals: neither flags anyone nor has retakes.
KINDS_WITHOUT_RETAKES = frozenset({ExamKind.CONTEST, ExamKind.MOCK})
DEFAULT_RETAKE_DAYS = 3


def has_retakes(exam: Exam) -> bool:
    return exam.kind not in KINDS_WITHOUT_RETAKES


def chain_root_id(exam: Exam) -> int:
    return exam.root_exam_id or exam.id


def chain_ids(exam: Exam) -> sa.Select:
    root_id = chain_root_id(exam)
    return sa.select(Exam.id).where(sa.or_(Exam.id == root_id, Exam.root_exam_id == root_id))


def retake_days(exam: Exam) -> timedelta:
    return timedelta(days=int(exam.settings.get("retake_days") or DEFAULT_RETAKE_DAYS))


def retake_title(exam: Exam, round_number: int) -> str:
    """'第48周周测（补考）', '…（第2次补考）': the root exam's title with the round."""
    root = db.session.get(Exam, chain_root_id(exam))
    if round_number == 1:
        return gettext("%(title)s (retake)", title=root.title)
    return gettext("%(title)s (retake %(round)s)", title=root.title, round=round_number)


def retake_of(exam: Exam) -> Exam | None:
    return db.session.scalar(sa.select(Exam).where(Exam.retake_of_id == exam.id))


def last_window_end(exam: Exam) -> datetime:
    """When the last officer's window of `exam` ends (its close, or a later extension)."""
    extended = db.session.scalar(
        sa.select(sa.func.max(ExamAssignment.closes_at)).where(
            ExamAssignment.exam_id == exam.id, ExamAssignment.closed_at.is_(None)
        )
    )
    return max(exam.closes_at, extended) if extended is not None else exam.closes_at


def add_to_retake(exam: Exam, user_ids: list[int], now: datetime) -> int:
    """Put `user_ids` (just flagged at `exam`'s close) in its retake: publish the retake the
    first time (same frozen blueprint, fresh papers), open from now until the retake days after
    the exam's last window; officers flagged later join it with a window of their own of at least
    the retake days. Tells each officer. Returns how many joined. The caller's transaction."""
    if not has_retakes(exam):
        return 0
    # Someone who left (deactivated, or no longer an officer) keeps the flag as history but is
    # not expected at a retake.
    user_ids = list(
        db.session.scalars(
            sa.select(User.id).where(User.id.in_(user_ids), User.active.is_(True), User.role == Role.OFFICER)
        )
    )
    if not user_ids:
        return 0
    retake = retake_of(exam)
    if retake is None:
        retake = publish_exam(
            None,
            exam.template,
            opens_at=now,
            closes_at=max(now, last_window_end(exam)) + retake_days(exam),
            now=now,
            title=retake_title(exam, exam.retake_round + 1),
            retake_of=exam,
            user_ids=sorted(user_ids),
        )
        joined = sorted(user_ids)
    else:
        joined = _join(retake, exam, user_ids, now)
    if joined:
        closes = {
            row.user_id: row.closes_at or retake.closes_at
            for row in db.session.scalars(
                sa.select(ExamAssignment).where(ExamAssignment.exam_id == retake.id, ExamAssignment.user_id.in_(joined))
            )
        }
        for user_id in joined:
            notify(
                [user_id],
                kind="retake_assigned",
                title=N_("Retake assigned: %(title)s, open until %(closes)s. Do your make-up study first."),
                params={"title": retake.title, "closes": _local_text(closes[user_id])},
                link="/quiz/exams",
                dedupe_key=f"retake:{retake.id}",
                now=now,
            )
    return len(joined)


def _join(retake: Exam, exam: Exam, user_ids: list[int], now: datetime) -> list[int]:
    """Officers closed after the retake was published join it, in the unit they were assigned
    under, with a personal window when the retake's own would leave them less than its days."""
    present = set(
        db.session.scalars(
            sa.select(ExamAssignment.user_id).where(
                ExamAssignment.exam_id == retake.id, ExamAssignment.user_id.in_(user_ids)
            )
        )
    )
    fresh = sorted(set(user_ids) - present)
    if not fresh:
        return []
    units = dict(
        db.session.execute(
            sa.select(ExamAssignment.user_id, ExamAssignment.unit_id).where(
                ExamAssignment.exam_id == exam.id, ExamAssignment.user_id.in_(fresh)
            )
        ).all()
    )
    own_close = now + retake_days(exam)
    db.session.execute(
        sa.insert(ExamAssignment),
        [
            {
                "exam_id": retake.id,
                "user_id": user_id,
                "unit_id": units[user_id],
                "status": AssignmentStatus.ASSIGNED,
                "opens_at": now if now > retake.opens_at else None,
                "closes_at": own_close if own_close > retake.closes_at else None,
                "created_at": now,
                "updated_at": now,
            }
            for user_id in fresh
        ],
    )
    return fresh


def stretch_retake(exam: Exam, now: datetime) -> None:
    """After an extension on `exam`, its open retake lasts the retake days past the new last
    window, so nobody's make-up study is cut short by someone else's extension."""
    retake = retake_of(exam)
    if retake is None or retake.closed_at is not None or retake.closes_at <= now:
        return
    wanted = last_window_end(exam) + retake_days(exam)
    if wanted > retake.closes_at:
        retake.closes_at = wanted


def stretch_seats(retake: Exam, key_opened: datetime) -> int:
    """Everyone still in `retake` gets at least its retake days after `key_opened` (the moment
    the exam it retakes closed for everyone): a personal window where the retake's own would end
    sooner. Returns how many windows were stretched."""
    until = key_opened + retake_days(retake)
    return db.session.execute(
        sa.update(ExamAssignment)
        .where(
            ExamAssignment.exam_id == retake.id,
            ExamAssignment.closed_at.is_(None),
            sa.func.coalesce(ExamAssignment.closes_at, retake.closes_at) < until,
        )
        .values(closes_at=until, updated_at=key_opened)
        .execution_options(synchronize_session=False)
    ).rowcount


def resettle_chain(exam: Exam, user_id: int, now: datetime) -> bool:
    """Passing a retake clears the flag of every round of the chain for that officer at once (the
    flag stays as history; cleared_at says it was settled). A chain whose passing retake no longer
    counts as passed (another attempt counted instead) is flagged again. Returns whether the
    officer's chain is cleared."""
    chain = chain_ids(exam)
    passed = db.session.scalar(
        sa.select(
            sa.exists().where(
                ExamAssignment.exam_id.in_(chain.where(Exam.retake_round > 0)),
                ExamAssignment.user_id == user_id,
                ExamAssignment.passed.is_(True),
            )
        )
    )
    flagged = sa.and_(ExamAssignment.exam_id.in_(chain), ExamAssignment.user_id == user_id, ExamAssignment.flagged)
    if passed:
        db.session.execute(
            sa.update(ExamAssignment)
            .where(flagged, ExamAssignment.cleared_at.is_(None))
            .values(cleared_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    else:
        db.session.execute(
            sa.update(ExamAssignment)
            .where(flagged, ExamAssignment.cleared_at.is_not(None))
            .values(cleared_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return bool(passed)


def escalate(exam: Exam, user_ids: list[int], now: datetime) -> None:
    """Failing a retake escalates the case on the root assignment (where the supervisor looks
    first) and tells the supervisors of each officer's unit (the nearest unit upwards that has
    any)."""
    if not user_ids:
        return
    db.session.execute(
        sa.update(ExamAssignment)
        .where(ExamAssignment.exam_id == chain_root_id(exam), ExamAssignment.user_id.in_(user_ids))
        .values(escalated=True, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    people = db.session.scalars(sa.select(User).where(User.id.in_(user_ids)).order_by(User.id)).all()
    for person in people:
        supervisors = supervisors_of(person.unit)
        notify(
            supervisors,
            kind="retake_escalated",
            title=N_("%(name)s (%(unit)s) failed the retake of %(title)s and has not passed yet."),
            params={"name": person.full_name, "unit": person.unit.name, "title": exam.title},
            link=f"/manage/quiz/exams/{chain_root_id(exam)}",
            dedupe_key=f"escalated:{exam.id}:{person.id}",
            now=now,
        )


def supervisors_of(unit: Unit) -> list[int]:
    """Active supervisors of the nearest unit, from `unit` upwards, that has any."""
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = db.session.execute(
        sa.select(User.id, User.unit_id).where(
            User.unit_id.in_(ancestors), User.role == Role.SUPERVISOR, User.active.is_(True)
        )
    ).all()
    for unit_id in reversed(ancestors):
        found = sorted(user_id for user_id, their_unit in rows if their_unit == unit_id)
        if found:
            return found
    return []


def next_steps(attempt, exam: Exam) -> dict | None:
    """What an officer who did not pass does next (the result page): None when they passed or the
    test has no retakes. `closes_at`: when their window of this test closes (the retake follows
    it); `retake` and `retake_closes_at`: the retake they are in, once there is one."""
    if attempt.finished_at is None or attempt.passed or not has_retakes(exam):
        return None
    mine = db.session.scalar(
        sa.select(ExamAssignment).where(ExamAssignment.exam_id == exam.id, ExamAssignment.user_id == attempt.user_id)
    )
    retake = retake_of(exam)
    seat = None
    if retake is not None:
        seat = db.session.scalar(
            sa.select(ExamAssignment).where(
                ExamAssignment.exam_id == retake.id, ExamAssignment.user_id == attempt.user_id
            )
        )
    return {
        "closes_at": (mine.closes_at or exam.closes_at) if mine is not None else exam.closes_at,
        "retake": retake if seat is not None else None,
        "retake_closes_at": (seat.closes_at or retake.closes_at) if seat is not None else None,
    }


def chain_of(exam: Exam) -> list[Exam]:
    """Every exam of the chain `exam` belongs to, round by round."""
    return list(db.session.scalars(sa.select(Exam).where(Exam.id.in_(chain_ids(exam))).order_by(Exam.retake_round)))


def _local_text(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")

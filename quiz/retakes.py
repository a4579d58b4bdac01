"""The retake loop (补考): one retake exam for exactly the officers an exam's close flagged, and
clearing the flag on a whole chain when a retake is passed."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from core import clock
from core.extensions import db
from core.i18n import N_
from notices.services import notify
from quiz.models import Exam, ExamAssignment, ExamKind
from quiz.publishing import publish_exam

# Contests rank people and mock tests are rehearsals: neither flags anyone nor has retakes.
KINDS_WITHOUT_RETAKES = frozenset({ExamKind.CONTEST, ExamKind.MOCK})
DEFAULT_RETAKE_DAYS = 3


def has_retakes(exam: Exam) -> bool:
    return exam.kind not in KINDS_WITHOUT_RETAKES


def chain_root_id(exam: Exam) -> int:
    return exam.root_exam_id or exam.id


def retake_title(exam: Exam, round_number: int) -> str:
    """'第48周周测（补考）', '…（第2次补考）': the root exam's title with the round."""
    root = db.session.get(Exam, chain_root_id(exam))
    if round_number == 1:
        return gettext("%(title)s (retake)", title=root.title)
    return gettext("%(title)s (retake %(round)s)", title=root.title, round=round_number)


def create_retake(exam: Exam, user_ids: list[int], now: datetime) -> Exam | None:
    """Publish the retake of `exam` for `user_ids` (same frozen blueprint, fresh papers), open
    from now for the exam's retake days, and tell each officer. The caller's transaction; the
    unique retake_of_id makes a second retake of the same exam impossible."""
    if not user_ids or not has_retakes(exam):
        return None
    days = int(exam.settings.get("retake_days") or DEFAULT_RETAKE_DAYS)
    retake = publish_exam(
        None,
        exam.template,
        opens_at=now,
        closes_at=now + timedelta(days=days),
        now=now,
        title=retake_title(exam, exam.retake_round + 1),
        retake_of=exam,
        user_ids=sorted(user_ids),
    )
    notify(
        user_ids,
        kind="retake_assigned",
        title=N_("Retake assigned: %(title)s, open until %(closes)s. Review your wrong answers first."),
        params={"title": retake.title, "closes": _local_text(retake.closes_at)},
        dedupe_key=f"retake:{retake.id}",
        now=now,
    )
    return retake


def clear_chain(exam: Exam, user_ids: list[int], now: datetime) -> int:
    """Passing a retake clears the flag on every assignment of the chain for those officers (the
    flag stays as history; cleared_at says it was settled). Returns how many officers."""
    if not user_ids:
        return 0
    root_id = chain_root_id(exam)
    chain = sa.select(Exam.id).where(sa.or_(Exam.id == root_id, Exam.root_exam_id == root_id))
    db.session.execute(
        sa.update(ExamAssignment)
        .where(
            ExamAssignment.exam_id.in_(chain),
            ExamAssignment.user_id.in_(user_ids),
            ExamAssignment.flagged,
            ExamAssignment.cleared_at.is_(None),
        )
        .values(cleared_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return len(user_ids)


def escalate_root(exam: Exam, user_ids: list[int], now: datetime) -> None:
    """Failing a retake escalates the case on the root assignment too, where the supervisor
    looks first."""
    if not user_ids:
        return
    db.session.execute(
        sa.update(ExamAssignment)
        .where(ExamAssignment.exam_id == chain_root_id(exam), ExamAssignment.user_id.in_(user_ids))
        .values(escalated=True, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def chain_of(exam: Exam) -> list[Exam]:
    """Every exam of the chain `exam` belongs to, round by round."""
    root_id = chain_root_id(exam)
    return list(
        db.session.scalars(
            sa.select(Exam).where(sa.or_(Exam.id == root_id, Exam.root_exam_id == root_id)).order_by(Exam.retake_round)
        )
    )


def _local_text(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")

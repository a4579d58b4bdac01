"""Questions other features ask about an officer's tests."""

from datetime import datetime

import sqlalchemy as sa

from core.extensions import db
from quiz.models import Attempt


def attempt_in_progress(user_id: int, now: datetime) -> Attempt | None:
    """The officer's unfinished attempt whose deadline has not passed, if any: while it exists the
    closed-book rule keeps practice, the wrong-answer book and pocket cards shut."""
    return db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None), Attempt.deadline_at > now)
        .limit(1)
    ).first()

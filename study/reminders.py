"""Reminders for the daily loop: a session tomorrow, and no check-in yesterday.

Scheduler jobs; each posts through notices.notify with a dedupe key, so running again (or from a
second scheduler) posts nothing twice. Each returns how many notices it posted.
"""

from datetime import timedelta

import sqlalchemy as sa

from accounts.membership import members_on_day
from accounts.models import Role, Unit, User
from core import clock
from core.extensions import db
from notices.services import notify
from study.models import N_, CheckIn, StudySession


def _active_officers_in(unit_path: str) -> sa.Select:
    return (
        sa.select(User.id)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active, User.role == Role.OFFICER, Unit.path.startswith(unit_path))
    )


def post_session_reminders(now) -> int:
    """Remind every officer in scope of a session that starts tomorrow (local calendar day)."""
    tomorrow = clock.local(now).date() + timedelta(days=1)
    starts, ends = clock.day_bounds(tomorrow)
    sessions = db.session.scalars(
        sa.select(StudySession).where(
            StudySession.starts_at >= starts, StudySession.starts_at < ends, StudySession.closed_at.is_(None)
        )
    ).all()
    posted = 0
    for session in sessions:
        posted += notify(
            db.session.scalars(_active_officers_in(session.unit.path)).all(),
            kind="study.session_tomorrow",
            title=N_("Study session tomorrow %(time)s: %(title)s (%(place)s)"),
            params={
                "time": clock.local(session.starts_at).strftime("%H:%M"),
                "title": session.title,
                "place": session.place or "—",
            },
            link=f"/study/sessions/{session.id}",
            dedupe_key=f"session-tomorrow:{session.id}",
            now=now,
        )
    return posted


def post_checkin_reminders(now) -> int:
    """Remind every active officer who was an officer yesterday (local calendar day) and has no
    check-in for it."""
    yesterday = clock.local(now).date() - timedelta(days=1)
    checked_in = sa.select(CheckIn.user_id).where(CheckIn.day == yesterday)
    # Only those who were officers yesterday: nobody is reminded of a day before their account.
    members = members_on_day(yesterday)
    missing = db.session.scalars(_active_officers_in("/").where(User.id.not_in(checked_in), User.id.in_(members))).all()
    return notify(
        missing,
        kind="study.checkin_missing",
        title=N_("You have no study check-in for %(day)s. Back-fill it if you studied that day."),
        params={"day": yesterday.isoformat()},
        link=f"/study/checkin?day={yesterday.isoformat()}",
        dedupe_key=f"checkin-missing:{yesterday.isoformat()}",
        now=now,
    )

"""What the home pages show of study: the officer's day and the supervisor's scope today."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from study import checkins, leave, readings, sessions
from study.models import CheckIn, Reading, StudySession
from study.settings import setting


def officer_panel(user: User, now) -> dict:
    """Today's check-in and study minutes, the streak, today's sessions, unread required readings."""
    today = clock.local(now).date()
    start, end = clock.day_bounds(today)
    todays = db.session.scalars(
        sessions.sessions_for(user)
        .where(StudySession.starts_at >= start, StudySession.starts_at < end)
        .order_by(StudySession.starts_at)
    ).all()
    required = db.session.scalars(readings.readings_for(user).where(Reading.required).with_only_columns(Reading.id))
    return {
        "template": "study/_home_officer.html",
        "study": {
            "checkin": db.session.scalar(sa.select(CheckIn).filter_by(user_id=user.id, day=today)),
            "minutes": checkins.daily_minutes([user.id], today, today).get((user.id, today), 0),
            "target": setting("STUDY_DAILY_TARGET_MINUTES"),
            "streak": checkins.streak(user, today),
            "sessions": [
                {"id": s.id, "title": s.title, "starts_at": s.starts_at, "open": sessions.signin_open(s, now)}
                for s in todays
            ],
            "unread": len(set(required) - readings.read_ids(user)),
        },
    }


def manager_panel(user: User, now) -> dict:
    """Today's check-in rate of the supervisor's subtree, the next sessions, leave to decide."""
    today = clock.local(now).date()
    done, total = checkins.checkin_rate(user, user.unit, today)
    upcoming = db.session.scalars(
        sessions.sessions_managed_by(user)
        .where(StudySession.ends_at > now, StudySession.starts_at < now + timedelta(days=14))
        .order_by(StudySession.starts_at)
        .limit(5)
    ).all()
    pending = db.session.scalar(sa.select(sa.func.count()).select_from(leave.leave_requests_for(user).subquery()))
    return {
        "template": "study/_home_manager.html",
        "study": {
            "done": done,
            "total": total,
            "rate": done / total if total else None,
            "sessions": upcoming,
            "pending_leave": pending,
        },
    }

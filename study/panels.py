"""What the home pages show of study: the officer's day and the supervisor's scope today."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from quiz import exam_list
from study import checkins, leave, makeup, readings, sessions
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


def retake_panel(user: User, now) -> dict | None:
    """The officer's open retakes, first on the home page: each with its deadline and what
    make-up study remains before it can be started. None when there is none."""
    rows = [r for r in exam_list.my_exams(user, now) if r.is_retake and r.state in ("in_progress", "makeup", "open")]
    if not rows:
        return None
    by_exam = {entry["exam"].id: entry for entry in makeup.overview(user, now)}
    return {
        "template": "study/_home_retake.html",
        "retakes": [{"row": row, "makeup": by_exam.get(row.exam.retake_of_id)} for row in rows],
    }

"""Study sessions (集中学习, 专题党课, 夜校…): scheduling, the expected list, sign-in, closing.

Who is expected: the active officers of the session's unit subtree when the session starts. The
list (one pending Attendance row each) is fixed by settle_roster at the first sign-in, host
marking or scheduler tick at or after the start, and never recomputed: officers who join or move
later change neither the expected list nor the history. Someone not on it who is in scope when
they sign in gets a row then.

Statuses: pending until the session closes; present or late (signed in after start + the late
grace); leave (approved leave); absent (set by close_due_sessions for everyone still pending
without approved leave). UNIQUE(session_id, user_id) means one sign-in per officer per session.
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope
from core import clock
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.events import emit
from core.extensions import db
from study import codes
from study.models import Attendance, AttendanceStatus, LeaveRequest, LeaveStatus, SessionKind, StudySession
from study.readings import ancestor_ids
from study.rows import insert_once
from study.settings import setting

SIGNED_IN = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def _check_fields(kind, title, starts_at: datetime, ends_at: datetime):
    try:
        kind = SessionKind(kind)
    except ValueError:
        raise ValidationFailed(_l("Choose the kind of session."), field="kind") from None
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(_l("The session needs a title of at most 200 characters."), field="title")
    if starts_at is None or ends_at is None:
        raise ValidationFailed(_l("Give the start and end time."), field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed(_l("The session must end after it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(hours=12):
        raise ValidationFailed(_l("A session lasts at most 12 hours."), field="ends_at")
    return kind, title


def schedule_session(actor, *, kind, title, unit: Unit, starts_at, ends_at, speaker=None, place=None, now):
    """Schedule a session for `unit`'s subtree. A supervisor cannot schedule one that has already
    ended (the system, actor None, may record past sessions). Raises ValidationFailed, PermissionDenied."""
    ensure_unit_in_scope(actor, unit)
    kind, title = _check_fields(kind, title, starts_at, ends_at)
    if actor is not None and ends_at <= now:
        raise ValidationFailed(_l("This time has already passed."), field="ends_at")
    session = StudySession(
        kind=kind,
        title=title,
        speaker=(speaker or "").strip()[:100] or None,
        place=(place or "").strip()[:200] or None,
        unit=unit,
        starts_at=starts_at,
        ends_at=ends_at,
        secret=secrets.token_hex(32),
        host_id=actor.id if actor is not None else None,
        created_at=now,
    )
    db.session.add(session)
    db.session.flush()
    return session


def update_session(actor, session: StudySession, *, kind, title, unit, starts_at, ends_at, speaker, place, now):
    """Change a session that has not started yet."""
    ensure_unit_in_scope(actor, session.unit)
    ensure_unit_in_scope(actor, unit)
    if now >= session.starts_at:
        raise Conflict(_l("A session can no longer be changed once it has started."))
    kind, title = _check_fields(kind, title, starts_at, ends_at)
    if starts_at <= now:
        raise ValidationFailed(_l("This time has already passed."), field="starts_at")
    session.kind, session.title, session.unit = kind, title, unit
    session.starts_at, session.ends_at = starts_at, ends_at
    session.speaker, session.place = (speaker or "").strip()[:100] or None, (place or "").strip()[:200] or None
    return session


def sessions_for(user: User) -> sa.Select:
    """Sessions for `user`: set for their unit or a unit above, or with them on the expected list."""
    on_roster = sa.select(Attendance.session_id).where(Attendance.user_id == user.id)
    return sa.select(StudySession).where(
        sa.or_(StudySession.unit_id.in_(ancestor_ids(user.unit)), StudySession.id.in_(on_roster))
    )


def sessions_managed_by(actor: User) -> sa.Select:
    query = sa.select(StudySession).join(Unit, StudySession.unit_id == Unit.id)
    if actor.role == Role.ADMIN:
        return query
    return query.where(Unit.path.startswith(actor.unit.path))


def in_scope(session: StudySession, user: User) -> bool:
    return user.role == Role.OFFICER and user.active and user.unit.path.startswith(session.unit.path)


def attendance_of(session: StudySession, user: User) -> Attendance | None:
    return db.session.scalar(sa.select(Attendance).filter_by(session_id=session.id, user_id=user.id))


def ensure_attends(user: User, session: StudySession) -> Attendance | None:
    """PermissionDenied unless `user` is an officer in the session's scope or on its list."""
    row = attendance_of(session, user)
    if row is None and not in_scope(session, user):
        raise PermissionDenied(_l("This session is not for your unit."))
    return row


def signin_window(session: StudySession) -> tuple[datetime, datetime]:
    opens = session.starts_at - timedelta(minutes=setting("STUDY_SIGNIN_OPENS_MINUTES"))
    closes = min(session.starts_at + timedelta(minutes=setting("STUDY_SIGNIN_CLOSES_MINUTES")), session.ends_at)
    return opens, closes


def signin_open(session: StudySession, now) -> bool:
    opens, closes = signin_window(session)
    return session.closed_at is None and opens <= now <= closes


def current_code(session: StudySession, now) -> tuple[str, int]:
    """(code, seconds until it changes) for the host's projector page."""
    return codes.current_code(session.secret, session.id, now, setting("STUDY_SIGNIN_CODE_SECONDS"))


def settle_roster(session: StudySession, now) -> int:
    """Fix the expected list once the session has started: a pending row for every active officer
    of the subtree who has none. Does nothing before the start or a second time. Returns rows added."""
    if session.roster_taken_at is not None or now < session.starts_at:
        return 0
    claimed = db.session.execute(
        sa.update(StudySession)
        .where(StudySession.id == session.id, StudySession.roster_taken_at.is_(None))
        .values(roster_taken_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session, ["roster_taken_at"])
    if not claimed:
        return 0
    officers = (
        sa.select(User.id)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active, User.role == Role.OFFICER, Unit.path.startswith(session.unit.path))
    )
    listed = sa.select(Attendance.user_id).where(Attendance.session_id == session.id)
    ids = db.session.scalars(officers.where(User.id.not_in(listed))).all()
    if ids:
        db.session.execute(
            sa.insert(Attendance),
            [
                {"session_id": session.id, "user_id": uid, "status": AttendanceStatus.PENDING, "updated_at": now}
                for uid in ids
            ],
        )
    return len(ids)


def _wrong_code_message(user: User, session: StudySession, code: str, now):
    """Say whether the code belongs to another session open for this officer, or is just wrong."""
    step = setting("STUDY_SIGNIN_CODE_SECONDS")
    near = sessions_for(user).where(
        StudySession.id != session.id,
        StudySession.closed_at.is_(None),
        StudySession.starts_at <= now + timedelta(hours=4),
        StudySession.ends_at >= now,
    )
    for other in db.session.scalars(near):
        if codes.code_matches(other.secret, other.id, code, now, step):
            return _l("This code belongs to another session: %(title)s.", title=other.title)
    return _l("The code is wrong or has expired. Enter the code now shown on the screen.")


def sign_in(user: User, session: StudySession, *, code=None, token=None, now) -> Attendance:
    """Sign `user` in to `session` with the code on the screen or the QR token.

    Rules: only an officer in scope (or on the expected list); only inside the sign-in window and
    before the session closes; one sign-in per officer (Conflict the second time); late after
    start + STUDY_LATE_GRACE_MINUTES. A wrong or expired code, or one for another session, is
    refused with a message that says which."""
    row = ensure_attends(user, session)
    opens, closes = signin_window(session)
    if session.closed_at is not None or now > closes:
        raise Conflict(_l("Sign-in for this session closed at %(time)s.", time=_hhmm(closes)), code="signin_closed")
    if now < opens:
        raise Conflict(_l("Sign-in for this session opens at %(time)s.", time=_hhmm(opens)), code="signin_not_open")
    if token:
        if codes.token_session_id(token) != session.id:
            raise ValidationFailed(_l("This QR code has expired. Scan the code on the screen again."), code="bad_token")
    elif not codes.code_matches(session.secret, session.id, code, now, setting("STUDY_SIGNIN_CODE_SECONDS")):
        raise ValidationFailed(_wrong_code_message(user, session, str(code or ""), now), code="bad_code", field="code")
    settle_roster(session, now)
    row = row or attendance_of(session, user)
    if row is not None and row.status in SIGNED_IN:
        raise Conflict(
            _l("You signed in at %(time)s already.", time=_hhmm(row.signed_in_at or row.updated_at)),
            code="already_signed_in",
        )
    late = now > session.starts_at + timedelta(minutes=setting("STUDY_LATE_GRACE_MINUTES"))
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    if row is None:
        row = Attendance(session_id=session.id, user_id=user.id, status=status, signed_in_at=now, updated_at=now)
        if insert_once(row):
            _announce(session, [user.id], now)
            return row
    else:
        # Conditional, so that of two sign-ins racing on one row only the first counts.
        changed = db.session.execute(
            sa.update(Attendance)
            .where(Attendance.id == row.id, Attendance.status.not_in(SIGNED_IN))
            .values(status=status, signed_in_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(row)
        if changed:
            _announce(session, [user.id], now)
            return row
    raise Conflict(_l("You have already signed in to this session."), code="already_signed_in")


def mark_present(actor, session: StudySession, user_ids, now) -> int:
    """The host marks people present in bulk (those who could not sign in themselves). Only people
    on the expected list or in scope; people already signed in are left as they are. Returns the
    number marked."""
    ensure_unit_in_scope(actor, session.unit)
    opens, _ = signin_window(session)
    if now < opens:
        raise Conflict(_l("Sign-in for this session opens at %(time)s.", time=_hhmm(opens)))
    settle_roster(session, now)
    ids = {int(i) for i in user_ids}
    rows = {r.user_id: r for r in db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))}
    eligible = set(rows)
    missing = ids - eligible
    if missing:
        people = db.session.scalars(sa.select(User).where(User.id.in_(missing))).all()
        eligible |= {p.id for p in people if in_scope(session, p)}
    if ids - eligible:
        raise ValidationFailed(_l("Some of the people chosen are not expected at this session."))
    marked = 0
    for uid in sorted(ids):
        row = rows.get(uid)
        if row is not None and row.status in SIGNED_IN:
            continue
        if row is None:
            row = Attendance(session_id=session.id, user_id=uid)
            db.session.add(row)
        row.status, row.signed_in_at, row.updated_at = AttendanceStatus.PRESENT, now, now
        row.marked_by_id = actor.id if actor is not None else None
        marked += 1
    db.session.flush()
    _announce(session, sorted(ids), now)
    return marked


def close_session(session: StudySession, now) -> int:
    """Mark everyone still pending: on leave if their leave was approved, else absent. Claimed
    with a conditional update, so two runs (even concurrent ones) close a session once. Returns
    the number of people marked absent."""
    settle_roster(session, now)
    claimed = db.session.execute(
        sa.update(StudySession)
        .where(StudySession.id == session.id, StudySession.closed_at.is_(None))
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session, ["closed_at"])
    if not claimed:
        return 0
    approved = sa.select(LeaveRequest.user_id).where(
        LeaveRequest.session_id == session.id, LeaveRequest.status == LeaveStatus.APPROVED
    )
    pending = sa.and_(Attendance.session_id == session.id, Attendance.status == AttendanceStatus.PENDING)
    db.session.execute(
        sa.update(Attendance)
        .where(pending, Attendance.user_id.in_(approved))
        .values(status=AttendanceStatus.LEAVE, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    absent = db.session.execute(
        sa.update(Attendance)
        .where(pending)
        .values(status=AttendanceStatus.ABSENT, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    # Closing settles statuses and grants the attendees' credit (study.checkins).
    attendees = db.session.scalars(sa.select(Attendance.user_id).where(Attendance.session_id == session.id))
    _announce(session, list(attendees), now, held=True)
    return absent


def _announce(session: StudySession, user_ids, now, *, held: bool = False) -> None:
    """Tell the features that count study (reports, make-up study) whose day changed; `held`: the
    session is over, and counts as held by its unit."""
    day = clock.local(session.starts_at).date()
    emit(
        "study_days_changed",
        pairs=[(user_id, day) for user_id in user_ids],
        unit_days=[(session.unit_id, day)] if held else [],
        now=now,
    )


def close_due_sessions(now) -> int:
    """Scheduler job: fix the expected list of every session that has started, and close every
    session that has ended (absentees marked). Idempotent: a second run changes nothing. Returns
    the number of sessions closed."""
    started = db.session.scalars(
        sa.select(StudySession).where(StudySession.roster_taken_at.is_(None), StudySession.starts_at <= now)
    ).all()
    for session in started:
        settle_roster(session, now)
    due = db.session.scalars(
        sa.select(StudySession)
        .where(StudySession.closed_at.is_(None), StudySession.ends_at <= now)
        .order_by(StudySession.ends_at)
    ).all()
    closed = 0
    for session in due:
        close_session(session, now)
        closed += 1
    db.session.flush()
    return closed


def attendance_table(session: StudySession) -> dict:
    """{status: [Attendance…]} in unit and number order, every status present as a key."""
    rows = db.session.scalars(
        sa.select(Attendance)
        .join(User, Attendance.user_id == User.id)
        .join(Unit, User.unit_id == Unit.id)
        .where(Attendance.session_id == session.id)
        .order_by(Unit.path, User.username)
    ).all()
    table = {status: [] for status in AttendanceStatus}
    for row in rows:
        table[row.status].append(row)
    return table


def people_in_scope_without_row(session: StudySession) -> list[User]:
    """Officers of the subtree not on the list yet (before the start: everyone), for host marking."""
    listed = sa.select(Attendance.user_id).where(Attendance.session_id == session.id)
    return db.session.scalars(
        sa.select(User)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active, User.role == Role.OFFICER, Unit.path.startswith(session.unit.path))
        .where(User.id.not_in(listed))
        .order_by(Unit.path, User.username)
    ).all()


def get_session(session_id: int) -> StudySession:
    session = db.session.get(StudySession, session_id)
    if session is None:
        raise NotFound(_l("This session was not found."))
    return session


def _hhmm(moment: datetime) -> str:
    return clock.local(moment).strftime("%H:%M")

"""Weekly bulletins (通报): drafted from a week's figures as plain text, reviewed and edited by a
supervisor, published (posted as a notice to everyone in the scope) and kept.

draft_weekly_bulletins(now) is the Monday job: last week's draft for the city and each district,
once (running it again drafts nothing new)."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope
from core import clock
from core.errors import DomainError, ValidationFailed
from core.extensions import db
from notices import services as notices
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from reports.board import build_board, figure_values
from reports.exam_report import retake_status
from reports.labels import result_label
from reports.models import Bulletin, BulletinStatus
from reports.settings import bulletin_names_people
from study.models import Attendance, AttendanceStatus, StudySession

MAX_NAMES = 300  # lines of people in one bulletin; beyond that the bulletin gives counts
JOB_MAX_DEPTH = 1  # the Monday job drafts for the city (depth 0) and the districts (depth 1)


def _pct(value):
    return "—" if value is None else f"{value}%"


def compose(unit: Unit, monday, names_people: bool) -> tuple[str, str]:
    """(title, body) of `unit`'s bulletin for the week starting `monday`."""
    sunday = monday + timedelta(days=6)
    board = build_board(unit, monday, monday)
    t = figure_values(board.total)
    iso = monday.isocalendar()
    week = _("week %(week)d of %(year)d", week=iso.week, year=iso.year)
    title = _("%(unit)s: study and test bulletin for %(week)s", unit=unit.name, week=week)
    lines = [
        _(
            "From %(first)s to %(last)s, %(tests)s tests were held: %(assigned)s assigned, %(took)s took part "
            "(participation %(participation)s); %(passed)s passed the first time (pass rate %(rate)s), "
            "%(after)s including retakes; %(outstanding)s retakes are still outstanding.",
            first=monday.isoformat(),
            last=sunday.isoformat(),
            tests=t["tests"],
            assigned=t["assigned"],
            took=t["took"],
            participation=_pct(t["participation"]),
            passed=t["passed_first"],
            rate=_pct(t["pass_rate_first"]),
            after=_pct(t["pass_rate_after"]),
            outstanding=t["outstanding"],
        ),
        _(
            "Study check-in rate %(checkins)s, %(minutes)s minutes per officer per day (target %(target)s); "
            "session attendance %(attendance)s, %(absent)s absences without leave.",
            checkins=_pct(t["checkin_rate"]),
            minutes="—" if t["average_minutes"] is None else t["average_minutes"],
            target=board.target_minutes,
            attendance=_pct(t["attendance_rate"]),
            absent=t["session_absent"],
        ),
        "",
        _("1. Units below target"),
    ]
    below = []
    for row in board.rows:
        if "bad" in (row.cues["participation"], row.cues["pass_rate_after"], row.cues["attendance_rate"]):
            v = figure_values(row.figures)
            below.append(
                "  "
                + _(
                    "%(unit)s: participation %(participation)s, pass rate %(rate)s, attendance %(attendance)s",
                    unit=row.unit.name,
                    participation=_pct(v["participation"]),
                    rate=_pct(v["pass_rate_after"]),
                    attendance=_pct(v["attendance_rate"]),
                )
            )
    lines += below or ["  " + _("Every unit reached its targets.")]

    lines += ["", _("2. Failed or absent from tests")]
    subtree = sa.select(Unit.id).where(Unit.path.startswith(unit.path))
    start = _week_start_utc(monday)
    a = ExamAssignment
    people = db.session.execute(
        sa.select(a, Exam.title, Unit.name)
        .join(Exam, Exam.id == a.exam_id)
        .join(Unit, Unit.id == a.unit_id)
        .where(Exam.retake_round == 0, Exam.opens_at >= start, Exam.opens_at < start + timedelta(days=7))
        .where(a.unit_id.in_(subtree), a.status.in_((AssignmentStatus.FAILED, AssignmentStatus.ABSENT)))
        .order_by(Exam.opens_at, Unit.path, a.status, a.user_id)
    ).all()
    lines += _people_lines(
        people,
        names_people,
        lambda row: (
            "  "
            + _(
                "%(exam)s · %(unit)s %(name)s (%(result)s; %(retake)s)",
                exam=row[1],
                unit=row[2],
                name=row[0].user.full_name,
                result=result_label(row[0].status),
                retake=retake_status(row[0]) or _("no retake yet"),
            )
        ),
        lambda row: (row[1], row[2], str(result_label(row[0].status))),
        lambda key, n: (
            "  " + _("%(exam)s · %(unit)s: %(result)s %(count)d", exam=key[0], unit=key[1], result=key[2], count=n)
        ),
    )

    lines += ["", _("3. Absent from study sessions without leave")]
    absences = db.session.execute(
        sa.select(User, StudySession.title, Unit.name)
        .join(Attendance, Attendance.user_id == User.id)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(StudySession.starts_at >= start, StudySession.starts_at < start + timedelta(days=7))
        .where(Attendance.status == AttendanceStatus.ABSENT, User.unit_id.in_(subtree))
        .order_by(Unit.path, User.id)
    ).all()
    lines += _people_lines(
        absences,
        names_people,
        lambda row: "  " + _("%(unit)s %(name)s (%(session)s)", unit=row[2], name=row[0].full_name, session=row[1]),
        lambda row: (row[2],),
        lambda key, n: "  " + _("%(unit)s: %(count)d absences", unit=key[0], count=n),
    )
    lines += ["", _("Units are asked to see that the people named retake their tests and make up their study on time.")]
    return title, "\n".join(lines)


def _week_start_utc(monday):
    from datetime import datetime

    return clock.local_datetime(monday, datetime.min.time())


def _people_lines(rows, names_people, one_line, count_key, count_line):
    if not rows:
        return ["  " + _("None.")]
    if names_people and len(rows) <= MAX_NAMES:
        return [one_line(row) for row in rows]
    counts = {}
    for row in rows:
        key = count_key(row)
        counts[key] = counts.get(key, 0) + 1
    return [count_line(key, n) for key, n in counts.items()]


def draft_bulletin(actor, unit: Unit, monday, now) -> Bulletin:
    """The bulletin of `unit` for the week starting `monday`: an existing one, or a new draft."""
    ensure_unit_in_scope(actor, unit)
    existing = db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == unit.id, Bulletin.week_start == monday))
    if existing is not None:
        return existing
    names = bulletin_names_people()
    title, body = compose(unit, monday, names)
    bulletin = Bulletin(
        unit_id=unit.id,
        week_start=monday,
        title=title[:200],
        body=body,
        names_people=names,
        created_at=now,
        updated_at=now,
        edited_by_id=actor.id if actor else None,
    )
    db.session.add(bulletin)
    db.session.flush()
    return bulletin


def draft_weekly_bulletins(now) -> int:
    """Draft last week's bulletin for the city and each district that has none yet. Flushes (the
    job runner commits); returns how many were drafted."""
    today = clock.local(now).date()
    monday = clock.week_start(today) - timedelta(days=7)
    units = db.session.scalars(
        sa.select(Unit).where(Unit.active, Unit.depth <= JOB_MAX_DEPTH).order_by(Unit.path)
    ).all()
    done = set(db.session.scalars(sa.select(Bulletin.unit_id).where(Bulletin.week_start == monday)))
    drafted = 0
    for unit in units:
        if unit.id not in done:
            draft_bulletin(None, unit, monday, now)
            drafted += 1
    db.session.flush()
    return drafted


def ensure_draft(bulletin: Bulletin):
    if bulletin.status != BulletinStatus.DRAFT:
        raise DomainError(_l("This bulletin has been published and can no longer be changed."))


def update_bulletin(actor, bulletin: Bulletin, *, title: str, body: str, now) -> Bulletin:
    ensure_unit_in_scope(actor, bulletin.unit)
    ensure_draft(bulletin)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationFailed(_l("The bulletin needs a title."), field="title")
    if len(title) > 200:
        raise ValidationFailed(_l("The title is too long (200 characters at most)."), field="title")
    if not body:
        raise ValidationFailed(_l("The bulletin needs some text."), field="body")
    if len(body) > 50000:
        raise ValidationFailed(_l("The text is too long."), field="body")
    bulletin.title, bulletin.body, bulletin.updated_at = title, body, now
    bulletin.edited_by_id = actor.id if actor else None
    return bulletin


def publish_bulletin(actor, bulletin: Bulletin, now, link: str | None = None) -> int:
    """Publish and post a notice to every active person in the bulletin's scope; returns how many."""
    ensure_unit_in_scope(actor, bulletin.unit)
    ensure_draft(bulletin)
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = now
    bulletin.published_by_id = actor.id if actor else None
    people = db.session.scalars(
        sa.select(User.id)
        .join(Unit, Unit.id == User.unit_id)
        .where(Unit.path.startswith(bulletin.unit.path), User.active.is_(True))
    ).all()
    return notices.notify(
        people,
        kind="bulletin",
        title=_l("Bulletin: %(title)s"),
        params={"title": bulletin.title},
        link=link,
        dedupe_key=f"bulletin-{bulletin.id}",
        now=now,
    )


def may_read(viewer: User, bulletin: Bulletin) -> bool:
    """Supervisors: bulletins of units in their subtree (drafts too). Everyone in a bulletin's scope:
    it once published."""
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role == Role.SUPERVISOR and viewer.unit.contains(bulletin.unit):
        return True
    return bulletin.status == BulletinStatus.PUBLISHED and bulletin.unit.contains(viewer.unit)


def bulletins_for(viewer: User) -> sa.Select:
    """Bulletins `viewer` may read, newest week first."""
    query = sa.select(Bulletin).join(Unit, Unit.id == Bulletin.unit_id).order_by(Bulletin.week_start.desc(), Unit.path)
    if viewer.role == Role.ADMIN:
        return query
    ancestors = [int(p) for p in viewer.unit.path.strip("/").split("/") if p]
    published_above = sa.and_(Bulletin.status == BulletinStatus.PUBLISHED, Bulletin.unit_id.in_(ancestors))
    if viewer.role == Role.SUPERVISOR:
        return query.where(sa.or_(Unit.path.startswith(viewer.unit.path), published_above))
    return query.where(published_above)

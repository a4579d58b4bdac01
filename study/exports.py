"""The supervisor's study tables as spreadsheet sheets (core.exporting): a session's attendance,
the sessions, the check-in overview, warnings, readings with their progress and spot-checks,
each with the rows and figures its page shows. Read only."""

from collections import Counter

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, pgettext

from core import clock
from core.exporting import Column, Sheet, percent
from core.extensions import db
from study import spotchecks
from study.models import Attendance, AttendanceStatus, StudySession


def _yes(value: bool) -> str:
    return _("Yes") if value else ""


def _person_columns(person):
    """Name, number and unit of the person a row is about (`person(row)` reads them)."""
    return (
        Column(_l("Name"), lambda row: person(row).full_name),
        Column(_l("Number"), lambda row: person(row).username),
        Column(_l("Unit"), lambda row: person(row).unit.name),
    )


# ---- a session's attendance -------------------------------------------------------------------

ATTENDANCE_COLUMNS = (
    *_person_columns(lambda row: row["user"]),
    Column(_l("Status"), lambda row: row["status"]),
    Column(_l("Sign-in time"), lambda row: row["signed_in_at"]),
    Column(_l("Marked by the host"), lambda row: _yes(row["by_host"])),
)


def attendance_sheets(session: StudySession, table: dict, not_listed: list) -> list[Sheet]:
    """Everyone on the session's list by status (as its page), then those still awaiting sign-in,
    and the count per status."""
    rows = [
        {"user": a.user, "status": status.label, "signed_in_at": a.signed_in_at, "by_host": bool(a.marked_by_id)}
        for status, attendances in table.items()
        for a in attendances
    ]
    awaiting = _("Awaiting sign-in")
    rows += [{"user": p, "status": awaiting, "signed_in_at": None, "by_host": False} for p in not_listed]
    counts = [
        (status.label, len(table[status])) for status in table if status != AttendanceStatus.PENDING or table[status]
    ]
    if not_listed:
        counts.append((awaiting, len(not_listed)))
    return [
        Sheet(_l("Attendance"), ATTENDANCE_COLUMNS, rows),
        Sheet(
            _l("Summary"),
            [Column(_l("Status"), lambda c: c[0]), Column(pgettext("count", "People"), lambda c: c[1])],
            counts,
        ),
    ]


# ---- sessions ---------------------------------------------------------------------------------

COUNTED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)


def attendance_counts(session_ids) -> dict[int, Counter]:
    """{session id: Counter(status: people)} for the given sessions."""
    counts: dict[int, Counter] = {}
    rows = db.session.execute(
        sa.select(Attendance.session_id, Attendance.status, sa.func.count())
        .where(Attendance.session_id.in_(list(session_ids)))
        .group_by(Attendance.session_id, Attendance.status)
    )
    for session_id, status, count in rows:
        counts.setdefault(session_id, Counter())[status] = count
    return counts


def sessions_sheet(sessions: list[StudySession]) -> Sheet:
    counts = attendance_counts(s.id for s in sessions)
    columns = [
        Column(_l("Starts"), lambda s: s.starts_at),
        Column(_l("Ends"), lambda s: s.ends_at),
        Column(_l("Title"), lambda s: s.title),
        Column(_l("Kind"), lambda s: s.kind),
        Column(_l("For"), lambda s: s.unit.name),
        Column(_l("Place"), lambda s: s.place),
        Column(_l("Speaker"), lambda s: s.speaker),
        *[Column(status.label, lambda s, status=status: counts.get(s.id, Counter())[status]) for status in COUNTED],
    ]
    return Sheet(_l("Sessions"), columns, sessions)


# ---- check-ins --------------------------------------------------------------------------------

CHECKIN_OVERVIEW_COLUMNS = (
    *_person_columns(lambda row: row["person"]),
    Column(_l("Check-ins"), lambda row: len(row["checkins"])),
    Column(_l("Filled in late"), lambda row: row["late"]),
    Column(_l("Study minutes"), lambda row: row["minutes"]),
    Column(_l("Days at target"), lambda row: row["days_met"]),
)
CHECKIN_COLUMNS = (
    *_person_columns(lambda c: c.user),
    Column(_l("Day"), lambda c: c.day.isoformat()),
    Column(_l("Minutes studied"), lambda c: c.minutes),
    Column(lazy_pgettext("check-in", "How"), lambda c: c.method),
    Column(_l("Filled in late"), lambda c: _yes(c.late)),
    Column(_l("Study notes"), lambda c: c.notes),
)


def checkin_sheets(unit, first, last, rows: list[dict], done: int, total: int) -> list[Sheet]:
    """The overview (one row per officer, as its page), every check-in of the period with its
    notes, and the page's three figures."""
    summary = [
        (_("Unit"), unit.name),
        (_("From"), first.isoformat()),
        (_("To"), last.isoformat()),
        (_("officers checked in"), done),
        (_("did not check in"), total - done),
        (_("check-in rate"), percent(done / total) if total else None),
    ]
    return [
        Sheet(_l("Study check-ins"), CHECKIN_OVERVIEW_COLUMNS, rows),
        Sheet(_l("Study notes"), CHECKIN_COLUMNS, [c for row in rows for c in row["checkins"]]),
        Sheet(_l("Summary"), [Column("", lambda f: f[0]), Column("", lambda f: f[1])], summary),
    ]


# ---- warnings ---------------------------------------------------------------------------------


def _warning_detail(warning) -> str:
    if warning.kind.value == "absences":
        return "、".join(warning.detail.get("sessions", []))
    return _("%(minutes)s minutes in %(week)s", minutes=warning.detail.get("minutes"), week=warning.detail.get("week"))


WARNING_COLUMNS = (
    Column(_l("Date"), lambda w: clock.local(w.created_at).date().isoformat()),
    *_person_columns(lambda w: w.user),
    Column(_l("Warning"), lambda w: w.kind),
    Column(_l("Detail"), _warning_detail),
)


def warnings_sheet(warnings) -> Sheet:
    return Sheet(_l("Study warnings"), WARNING_COLUMNS, warnings)


# ---- readings ---------------------------------------------------------------------------------


def readings_sheet(readings, progress: dict) -> Sheet:
    """Each reading with its progress: read and expected in the supervisor's scope."""
    columns = (
        Column(_l("Title"), lambda r: r.title),
        Column(_l("Category"), lambda r: r.category.name if r.category else None),
        Column(_l("For"), lambda r: r.unit.name),
        Column(_l("Required"), lambda r: _yes(r.required)),
        Column(_l("Read by"), lambda r: r.due_on.isoformat() if r.due_on else None),
        Column(lazy_pgettext("reading", "Withdrawn"), lambda r: _yes(not r.active)),
        Column(_l("Read"), lambda r: progress[r.id][0]),
        Column(_l("Expected"), lambda r: progress[r.id][1]),
        Column(_l("Progress"), lambda r: percent(progress[r.id][0] / progress[r.id][1]) if progress[r.id][1] else None),
    )
    return Sheet(_l("Required readings"), columns, readings)


def reading_sheets(progress: dict) -> list[Sheet]:
    """One reading's progress by unit, and who has not read it yet."""
    by_unit = (
        Column(_l("Unit"), lambda row: row["unit"].name),
        Column(_l("Read"), lambda row: row["read"]),
        Column(_l("Expected"), lambda row: row["expected"]),
        Column(_l("Progress"), lambda row: percent(row["read"] / row["expected"]) if row["expected"] else None),
    )
    return [
        Sheet(_l("By unit"), by_unit, progress["units"]),
        Sheet(_l("Not read yet"), _person_columns(lambda person: person), progress["not_read"]),
    ]


# ---- spot-checks ------------------------------------------------------------------------------


def spotchecks_sheet(spot_checks) -> Sheet:
    counts = {sc.id: spotchecks.counts(sc) for sc in spot_checks}
    columns = (
        Column(_l("Drawn"), lambda sc: sc.created_at),
        Column(_l("Unit"), lambda sc: sc.unit.name),
        Column(_l("From"), lambda sc: sc.from_day.isoformat()),
        Column(_l("To"), lambda sc: sc.to_day.isoformat()),
        Column(_l("Sample size"), lambda sc: counts[sc.id]["total"]),
        Column(_l("Check-ins drawn from"), lambda sc: sc.population),
        Column(_l("Qualified"), lambda sc: counts[sc.id]["qualified"]),
        Column(_l("Not qualified"), lambda sc: counts[sc.id]["unqualified"]),
        Column(_l("To mark"), lambda sc: counts[sc.id]["open"]),
        Column(_l("Drawn by"), lambda sc: sc.created_by.full_name if sc.created_by else None),
    )
    return Sheet(_l("Notes spot-checks"), columns, spot_checks)


SAMPLE_COLUMNS = (
    *_person_columns(lambda item: item.checkin.user),
    Column(_l("Day"), lambda item: item.checkin.day.isoformat()),
    Column(lazy_pgettext("check-in", "How"), lambda item: item.checkin.method),
    Column(_l("Minutes studied"), lambda item: item.checkin.minutes),
    Column(_l("Filled in late"), lambda item: _yes(item.checkin.late)),
    Column(_l("Study notes"), lambda item: item.checkin.notes),
    Column(_l("Result"), lambda item: item.result),
    Column(_l("Comment"), lambda item: item.comment),
)


def spotcheck_sheet(spot_check) -> Sheet:
    return Sheet(_l("Spot-check"), SAMPLE_COLUMNS, spot_check.items)

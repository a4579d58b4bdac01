"""A plain recomputation of the board's figures from the raw rows, for checking the reports.

It shares no code with reports.summaries or reports.board: it reads every row it needs and
counts in Python, day by day and person by person, as a supervisor with the tables and a pencil
would. The definitions it follows are the product's (reports.summaries states them):

- a test's figures count its round-0 assignments by the unit at publish, in the week it opened;
  took = handed in, passed_after = passed or cleared by a passed retake, outstanding = flagged
  and not cleared;
- study counts each person in the unit they belonged to on each day (memberships), for the days
  up to today; a day's minutes are its check-in plus the credit of the closed sessions attended
  that day (from sign-in to the end), except that a 集中学习 check-in already includes the sessions
  (the larger of the two counts);
- attendance counts the settled rows of sessions that started in the week, by the unit of the
  person that day; a unit's sessions held are its own closed ones.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from core.extensions import db

ZONE = ZoneInfo("Asia/Shanghai")
SHARES = ("participation", "pass_rate_first", "pass_rate_after", "checkin_rate", "attendance_rate")


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _rows(sql, **params):
    return db.session.execute(sa.text(sql), params).all()


def _as_utc(value):
    """A timestamp column as read by plain SQL: naive UTC (SQLite text or PostgreSQL datetime)."""
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def unit_paths() -> dict[int, str]:
    return {unit_id: path for unit_id, path in _rows("SELECT id, path FROM units")}


def outstanding_assignments(unit_id: int) -> set[int]:
    """The round-0 assignments of everyone not yet 过关 in `unit_id`'s subtree (by the unit at
    publish): flagged at the test and not cleared."""
    paths = unit_paths()
    rows = _rows(
        "SELECT a.id, a.unit_id, a.flagged, a.cleared_at, e.retake_round"
        " FROM exam_assignments a JOIN exams e ON e.id = a.exam_id"
    )
    return {
        assignment_id
        for assignment_id, member_unit, flagged, cleared, retake_round in rows
        if retake_round == 0 and flagged and cleared is None and paths[member_unit].startswith(paths[unit_id])
    }


def figures(unit_id: int, first_week: date, last_week: date, today: date) -> dict:
    """{'total': {...}, 'children': {child_id: {...}}, 'own': {...}, 'weeks': {monday: {...}}}:
    the board of `unit_id` over the weeks first_week..last_week, as raw counts and the rounded
    figures the board shows."""
    paths = unit_paths()
    top = paths[unit_id]
    children = [u for u, p in paths.items() if p.startswith(top) and p.count("/") == top.count("/") + 1]

    def group_of(member_unit):
        path = paths.get(member_unit)
        if path is None or not path.startswith(top):
            return None
        if member_unit == unit_id:
            return "own"
        return int(path[len(top) :].split("/", 1)[0])

    counts = defaultdict(lambda: defaultdict(float))  # (group, monday) -> figure -> value
    last_day = last_week + timedelta(days=6)
    week_starts = {first_week + timedelta(days=7 * i) for i in range((last_week - first_week).days // 7 + 1)}

    # ---- tests -------------------------------------------------------------------------------
    exams = {
        exam_id: (_as_utc(opens), total)
        for exam_id, opens, total in _rows("SELECT id, opens_at, total_points FROM exams WHERE retake_round = 0")
    }
    tests = defaultdict(set)
    for exam_id, member_unit, status, score, passed, flagged, cleared in _rows(
        "SELECT exam_id, unit_id, status, score, passed, flagged, cleared_at FROM exam_assignments"
    ):
        if exam_id not in exams:
            continue
        opens, total = exams[exam_id]
        monday = _monday(_local_day(opens))
        group = group_of(member_unit)
        if group is None or monday not in week_starts:
            continue
        c = counts[(group, monday)]
        tests[group].add(exam_id)
        tests[("week", monday)].add(exam_id)
        _count_assignment(c, status, score, passed, flagged, cleared, total)

    # ---- memberships: who belonged where on each day ------------------------------------------
    spans = defaultdict(list)
    for user_id, member_unit, first_day, end_day in _rows(
        "SELECT user_id, unit_id, first_day, end_day FROM unit_memberships"
    ):
        spans[user_id].append((_as_date(first_day), _as_date(end_day), member_unit))

    def unit_on(user_id, day):
        for first_day, end_day, member_unit in spans.get(user_id, ()):
            if first_day <= day and (end_day is None or day < end_day):
                return member_unit
        return None

    day = first_week
    while day <= min(last_day, today):
        for user_id in spans:
            member_unit = unit_on(user_id, day)
            group = group_of(member_unit) if member_unit is not None else None
            if group is not None:
                counts[(group, _monday(day))]["officer_days"] += 1
        day += timedelta(days=1)

    # ---- a day's study: check-ins and session credit --------------------------------------------
    reported = {}
    for user_id, day, minutes, method in _rows("SELECT user_id, day, minutes, method FROM checkins"):
        reported[(user_id, _as_date(day))] = (minutes, method)
    credit = defaultdict(int)
    sessions = {}
    for session_id, member_unit, starts, ends, closed in _rows(
        "SELECT id, unit_id, starts_at, ends_at, closed_at FROM study_sessions"
    ):
        sessions[session_id] = (member_unit, _as_utc(starts), _as_utc(ends), closed is not None)
    attendance = _rows("SELECT session_id, user_id, status, signed_in_at FROM attendance")
    for session_id, user_id, status, signed_in in attendance:
        member_unit, starts, ends, closed = sessions[session_id]
        if closed and status in ("present", "late"):
            came = max(starts, _as_utc(signed_in)) if signed_in is not None else starts
            credit[(user_id, _local_day(starts))] += max(0, int((ends - came).total_seconds() // 60))
    for key in set(reported) | set(credit):
        user_id, day = key
        if not first_week <= day <= last_day:
            continue
        member_unit = unit_on(user_id, day)
        group = group_of(member_unit) if member_unit is not None else None
        if group is None:
            continue
        c = counts[(group, _monday(day))]
        minutes, method = reported.get(key, (0, None))
        c["checkin_days"] += key in reported
        c["minutes"] += max(minutes, credit[key]) if method == "centralized" else minutes + credit[key]

    # ---- sessions: attendance and sessions held ------------------------------------------------
    for session_id, user_id, status, _signed_in in attendance:
        member_unit, starts, _ends, _closed = sessions[session_id]
        day = _local_day(starts)
        if status == "pending" or not first_week <= day <= last_day:
            continue
        person_unit = unit_on(user_id, day)
        group = group_of(person_unit) if person_unit is not None else None
        if group is None:
            continue
        c = counts[(group, _monday(day))]
        c["attendance_expected"] += 1
        c["attended"] += status in ("present", "late")
        c["on_leave"] += status == "leave"
        c["session_absent"] += status == "absent"
    for member_unit, starts, _ends, closed in sessions.values():
        day = _local_day(starts)
        group = group_of(member_unit)
        if closed and group is not None and first_week <= day <= last_day:
            counts[(group, _monday(day))]["sessions_held"] += 1

    def add_up(keys, exam_ids):
        raw = defaultdict(float)
        for key in keys:
            for name, value in counts.get(key, {}).items():
                raw[name] += value
        raw["tests"] = len(exam_ids)
        return shown(raw)

    groups = [*children, "own"]
    result = {
        "children": {child: add_up([(child, m) for m in week_starts], tests.get(child, set())) for child in children},
        "own": add_up([("own", m) for m in week_starts], tests.get("own", set())),
        "weeks": {m: add_up([(g, m) for g in groups], tests.get(("week", m), set())) for m in sorted(week_starts)},
    }
    all_tests = set().union(*(tests.get(g, set()) for g in groups))
    result["total"] = add_up([(g, m) for g in groups for m in week_starts], all_tests)
    return result


def shown(raw: dict) -> dict:
    """The figures as the board shows them (reports.board.figure_values): counts, and shares as
    percentages with one decimal."""

    def share(part, whole):
        return None if not whole else round(part / whole * 100, 1)

    out = {
        name: int(raw.get(name, 0))
        for name in (
            "tests",
            "assigned",
            "took",
            "passed_first",
            "passed_after",
            "absent",
            "outstanding",
            "session_absent",
            "sessions_held",
        )
    }
    out["participation"] = share(raw.get("took", 0), raw.get("assigned", 0))
    out["pass_rate_first"] = share(raw.get("passed_first", 0), raw.get("assigned", 0))
    out["pass_rate_after"] = share(raw.get("passed_after", 0), raw.get("assigned", 0))
    out["checkin_rate"] = share(raw.get("checkin_days", 0), raw.get("officer_days", 0))
    out["attendance_rate"] = share(raw.get("attended", 0), raw.get("attendance_expected", 0))
    days = raw.get("officer_days", 0)
    out["average_minutes"] = round(raw.get("minutes", 0) / days, 1) if days else None
    scored = raw.get("scored", 0)
    out["average_score"] = round(raw.get("percent_sum", 0) / scored, 1) if scored else None
    return out


def board_figures(board) -> dict:
    """The same shape from a reports.board.Board, through the figures the page, export and JSON
    show (reports.board.figure_values)."""
    from reports.board import figure_values

    keep = set(shown({}))

    def pick(figures):
        return {k: v for k, v in figure_values(figures).items() if k in keep}

    children = {row.unit.id: pick(row.figures) for row in board.rows if not row.own_staff}
    own = next((pick(row.figures) for row in board.rows if row.own_staff), None)
    return {
        "total": pick(board.total),
        "children": children,
        "own": own,
        "weeks": {monday: pick(f) for monday, f in board.trend},
    }


def compare(unit_id: int, first_week: date, last_week: date, today: date, board) -> list[str]:
    """The differences between the board and the recomputation, as readable lines ([] if none)."""
    expected = figures(unit_id, first_week, last_week, today)
    actual = board_figures(board)
    problems = []

    def diff(where, want, got):
        for name, value in want.items():
            if got.get(name) != value:
                problems.append(f"{where} {name}: board {got.get(name)!r}, raw rows {value!r}")

    diff("total", expected["total"], actual["total"])
    for child, want in expected["children"].items():
        diff(f"unit {child}", want, actual["children"].get(child, {}))
    empty = shown({})
    if actual["own"] is not None or expected["own"] != empty:
        diff("own staff", expected["own"], actual["own"] or empty)
    for monday, want in expected["weeks"].items():
        diff(f"week {monday}", want, actual["weeks"].get(monday, {}))
    return problems


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZONE)


def person_figures(unit_id: int, first_week: date, last_week: date, today: date) -> dict:
    """{(unit_id, user_id): counts} of the appraisal sheet of `unit_id`'s subtree (appraisal.figures),
    from the raw rows: tests by the unit at publish, each day of study, each session and each
    rated note by the unit the person belonged to that day, officer-days up to today, and the
    required readings (of the unit or above) read by the end of the period."""
    paths = unit_paths()
    top = paths[unit_id]
    inside = {u for u, p in paths.items() if p.startswith(top)}
    last_day = last_week + timedelta(days=6)
    counts = defaultdict(lambda: defaultdict(float))

    exams = {
        exam_id: (_as_utc(opens), total)
        for exam_id, opens, total in _rows("SELECT id, opens_at, total_points FROM exams WHERE retake_round = 0")
    }
    for exam_id, user_id, member_unit, status, score, passed, flagged, cleared in _rows(
        "SELECT exam_id, user_id, unit_id, status, score, passed, flagged, cleared_at FROM exam_assignments"
    ):
        if exam_id not in exams or member_unit not in inside:
            continue
        opens, total = exams[exam_id]
        if not first_week <= _local_day(opens) <= last_day:
            continue
        c = counts[(member_unit, user_id)]
        c["assigned"] += 1
        c["took"] += status in ("submitted", "passed", "failed")
        c["passed_first"] += passed is True or passed == 1
        c["passed_after"] += (passed is True or passed == 1) or cleared is not None
        c["absent"] += status == "absent"
        c["outstanding"] += bool(flagged) and cleared is None
        if score is not None:
            c["scored"] += 1
            c["percent_sum"] += float(score) * 100 / (total or 1)

    spans = defaultdict(list)
    for user_id, member_unit, first_day, end_day in _rows(
        "SELECT user_id, unit_id, first_day, end_day FROM unit_memberships"
    ):
        spans[user_id].append((_as_date(first_day), _as_date(end_day), member_unit))

    def unit_on(user_id, day):
        for first_day, end_day, member_unit in spans.get(user_id, ()):
            if first_day <= day and (end_day is None or day < end_day):
                return member_unit if member_unit in inside else None
        return None

    day = first_week
    while day <= min(last_day, today):
        for user_id in spans:
            member_unit = unit_on(user_id, day)
            if member_unit is not None:
                counts[(member_unit, user_id)]["member_days"] += 1
        day += timedelta(days=1)

    reported = {}
    for user_id, day, minutes, method in _rows("SELECT user_id, day, minutes, method FROM checkins"):
        reported[(user_id, _as_date(day))] = (minutes, method)
    sessions = {
        session_id: (_as_utc(starts), _as_utc(ends), closed is not None)
        for session_id, starts, ends, closed in _rows("SELECT id, starts_at, ends_at, closed_at FROM study_sessions")
    }
    attendance = _rows("SELECT session_id, user_id, status, signed_in_at FROM attendance")
    credit = defaultdict(int)
    for session_id, user_id, status, signed_in in attendance:
        starts, ends, closed = sessions[session_id]
        if closed and status in ("present", "late"):
            came = max(starts, _as_utc(signed_in)) if signed_in is not None else starts
            credit[(user_id, _local_day(starts))] += max(0, int((ends - came).total_seconds() // 60))
    for key in set(reported) | set(credit):
        user_id, day = key
        member_unit = unit_on(user_id, day) if first_week <= day <= last_day else None
        if member_unit is None:
            continue
        c = counts[(member_unit, user_id)]
        minutes, method = reported.get(key, (0, None))
        c["checkin_days"] += key in reported
        c["minutes"] += max(minutes, credit[key]) if method == "centralized" else minutes + credit[key]
    for session_id, user_id, status, _signed_in in attendance:
        day = _local_day(sessions[session_id][0])
        member_unit = unit_on(user_id, day) if first_week <= day <= last_day else None
        if status == "pending" or member_unit is None:
            continue
        c = counts[(member_unit, user_id)]
        c["attendance_expected"] += 1
        c["attended"] += status in ("present", "late")
        c["on_leave"] += status == "leave"
        c["session_absent"] += status == "absent"

    checkin_days = {cid: _as_date(day) for cid, day in _rows("SELECT id, day FROM checkins")}
    for user_id, checkin_id, result in _rows("SELECT user_id, checkin_id, result FROM spot_check_items"):
        day = checkin_days[checkin_id]
        member_unit = unit_on(user_id, day) if first_week <= day <= last_day else None
        if result is None or member_unit is None:
            continue
        c = counts[(member_unit, user_id)]
        c["spot_checked"] += 1
        c["spot_qualified"] += result == "qualified"
        c["spot_unqualified"] += result == "unqualified"

    required = [(rid, set_by) for rid, set_by, active, req in _rows(
        "SELECT id, unit_id, active, required FROM readings") if active and req]  # fmt: skip
    end = local_midnight(last_day + timedelta(days=1))
    read = defaultdict(set)
    for user_id, reading_id, read_at in _rows("SELECT user_id, reading_id, read_at FROM reading_progress"):
        if _as_utc(read_at) < end:
            read[user_id].add(reading_id)
    for (member_unit, user_id), c in counts.items():
        above = {int(p) for p in paths[member_unit].strip("/").split("/") if p}
        mine = {rid for rid, set_by in required if set_by in above}
        c["readings_required"] = len(mine)
        c["readings_done"] = len(mine & read[user_id])
    return {key: dict(value) for key, value in counts.items()}


def _count_assignment(c, status, score, passed, flagged, cleared, total) -> None:
    """Add one assignment row to the counts `c`."""
    c["assigned"] += 1
    c["took"] += status in ("submitted", "passed", "failed")
    c["passed_first"] += passed is True or passed == 1
    c["passed_after"] += (passed is True or passed == 1) or cleared is not None
    c["failed"] += status == "failed"
    c["absent"] += status == "absent"
    c["outstanding"] += bool(flagged) and cleared is None
    if score is not None:
        c["scored"] += 1
        c["percent_sum"] += float(score) * 100 / (total or 1)


def exam_units(exam_id: int) -> dict[int, dict]:
    """{unit_id: figures} of one exam from its assignment rows, as the exam report's by-unit table
    shows them (reports.exam_report.UnitResult): the unit at publish, a share of the paper's points
    for the average."""
    (total,) = _rows("SELECT total_points FROM exams WHERE id = :exam_id", exam_id=exam_id)[0]
    counts = defaultdict(lambda: defaultdict(float))
    for member_unit, status, score, passed, flagged, cleared in _rows(
        "SELECT unit_id, status, score, passed, flagged, cleared_at FROM exam_assignments WHERE exam_id = :exam_id",
        exam_id=exam_id,
    ):
        c = counts[member_unit]
        _count_assignment(c, status, score, passed, flagged, cleared, total)
    result = {}
    for member_unit, c in counts.items():
        figures = {name: int(c[name]) for name in ("assigned", "took", "passed_first", "passed_after")}
        figures.update({name: int(c[name]) for name in ("failed", "absent", "outstanding")})
        figures["average_score"] = round(c["percent_sum"] / c["scored"], 1) if c["scored"] else None
        result[member_unit] = figures
    return result

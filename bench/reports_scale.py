"""Benchmark: the reports at city scale (issue 7; BENCHMARKS.md S6-S8).

Builds a fresh database with 10,000 officers in 200 units, 52 weekly city-wide exams (20
questions each; paper items only for the exam whose report is timed), daily check-ins (about 5
days in 7) and a weekly study session per district with everyone's attendance, inserted in bulk
(executemany of plain tuples, not the ORM). Then builds the summary tables (timed) and times, in
process through the Flask test client (sign-in, scope checks, SQL and rendering included):
the city board over 52 weeks, a district board over 52 weeks, one exam report, one personal
record, and the city board's .xlsx export. Also times the refresh job with nothing changed.

    python bench/reports_scale.py [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--officers 10000] [--weeks 52] [--repeat 5]

With a PostgreSQL URL a database named reports_bench is created on that server (and dropped
afterwards); the default is a SQLite file in a temporary folder.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"  # noqa: S105 (a throwaway benchmark account)
TODAY = date(2026, 11, 23)  # a Monday: "last week" is the 52nd week built
CHUNK = 20000
# Tables whose ids the build sets itself (after what the database holds); users get theirs too.
NUMBERED_TABLES = (
    "exam_templates",
    "exams",
    "exam_assignments",
    "attempts",
    "paper_items",
    "checkins",
    "study_sessions",
    "attendance",
)


def postgres_database(url):
    """Create reports_bench on the server of `url`; return its URL and a function dropping it."""
    import sqlalchemy as sa

    from config import normalise_database_url

    admin = sa.create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS reports_bench WITH (FORCE)")
        conn.exec_driver_sql("CREATE DATABASE reports_bench")
    bench_url = normalise_database_url(url).rsplit("/", 1)[0] + "/reports_bench"

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS reports_bench WITH (FORCE)")

    return bench_url, drop


def insert(conn, table, columns, rows):
    """executemany in chunks; `rows` is an iterable of tuples in `columns` order."""
    import sqlalchemy as sa

    statement = sa.text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    batch = []
    count = 0
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= CHUNK:
            conn.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(statement, batch)
        count += len(batch)
    return count


def build(app, officers_count, weeks):
    import sqlalchemy as sa

    from accounts import services as accounts
    from accounts import units
    from accounts.models import Role, Unit, UnitKind, User
    from core import clock
    from core.extensions import db
    from question_bank import services as bank
    from question_bank.models import QuestionType, QuestionVersion

    rng = random.Random(7)
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    clock.freeze(now)
    timings = {}
    started = time.perf_counter()
    city = units.create_unit(None, name="基准市委政法委", kind=UnitKind.COMMITTEE, parent=None, now=now)
    districts, leaves = [], []
    for d in range(9):
        district = units.create_unit(None, name=f"第{d + 1}区政法委", kind=UnitKind.COMMITTEE, parent=city, now=now)
        districts.append(district)
        for a, kind in enumerate((UnitKind.POLICE, UnitKind.PROCURATORATE, UnitKind.COURT, UnitKind.JUSTICE)):
            agency = units.create_unit(None, name=f"第{d + 1}区{kind.label}", kind=kind, parent=district, now=now)
            leaves.append(agency)
            for k in range(5 if (d * 4 + a) < 10 else 4):
                dept = units.create_unit(
                    None, name=f"第{d + 1}区{a + 1}部门{k + 1}", kind=UnitKind.DEPARTMENT, parent=agency, now=now
                )
                leaves.append(dept)
    admin, _ = accounts.create_user(
        None, username="benchadmin", full_name="基准管理员", unit=city, role=Role.ADMIN, password=PASSWORD, now=now
    )
    category = bank.create_category(None, name="基准分类", now=now)
    questions = [
        bank.create_question(
            None,
            category=category,
            type=QuestionType.SINGLE,
            stem=f"基准题{i + 1}：下列说法正确的是",
            options=["甲", "乙", "丙", "丁"],
            answer="A",
            now=now,
        )
        for i in range(20)
    ]
    db.session.commit()
    unit_count = db.session.scalar(sa.select(sa.func.count()).select_from(Unit))
    versions = dict(db.session.execute(sa.select(QuestionVersion.question_id, QuestionVersion.id)).all())
    password_hash = admin.password_hash
    conn = db.session.connection()
    # Ids continue after what the database holds (bench/load.py builds this beside its own world).
    base = {
        table: conn.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar() for table in NUMBERED_TABLES
    }
    template_id = base["exam_templates"] + 1

    first_user = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    officer_units = [rng.choice(leaves).id for _ in range(officers_count)]
    insert(
        conn,
        "users",
        [
            "id",
            "username",
            "full_name",
            "unit_id",
            "role",
            "active",
            "password_hash",
            "must_change_password",
            "created_at",
            "updated_at",
        ],
        (
            (
                first_user + i,
                f"8{i:06d}",
                f"基准干警{i}",
                officer_units[i],
                "officer",
                True,
                password_hash,
                False,
                now - timedelta(days=400),
                now - timedelta(days=400),
            )
            for i in range(officers_count)
        ),
    )
    officer_ids = list(range(first_user, first_user + officers_count))
    joined = now - timedelta(days=400)
    insert(
        conn,
        "unit_memberships",
        ["user_id", "unit_id", "started_at", "ended_at", "first_day", "end_day"],
        (
            (first_user + i, officer_units[i], joined, None, clock.local(joined).date(), None)
            for i in range(officers_count)
        ),
    )
    district_of = {}
    for unit in db.session.scalars(sa.select(Unit)):
        parts = [int(p) for p in unit.path.strip("/").split("/")]
        if len(parts) >= 2:
            district_of[unit.id] = parts[1]

    last_monday = TODAY - timedelta(days=TODAY.weekday()) - timedelta(days=7)
    mondays = [last_monday - timedelta(weeks=weeks - 1 - w) for w in range(weeks)]
    conn.execute(
        sa.text(
            "INSERT INTO exam_templates (id, title, kind, scope_unit_id, duration_minutes, "
            "pass_mark_percent, attempts_allowed, attempt_policy, shuffle_questions, shuffle_options, "
            "partial_credit, retake_days, recurrence, active, created_at, updated_at) VALUES (:id, '基准周测', "
            "'weekly', :unit, 30, 60, 1, 'highest', true, true, false, 3, 'weekly', true, :now, :now)"
        ),
        {"id": template_id, "unit": city.id, "now": now},
    )
    exams = []
    for w, monday in enumerate(mondays):
        opens = clock.local_datetime(monday + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
        exams.append(
            (
                base["exams"] + w + 1,
                template_id,
                f"第{w + 1}周周测",
                "weekly",
                city.id,
                clock.week_key(monday),
                0,
                opens,
                opens + timedelta(days=2),
                30,
                100,
                60,
                "[]",
                "{}",
                opens,
                opens + timedelta(days=2),
            )
        )
    insert(
        conn,
        "exams",
        [
            "id",
            "template_id",
            "title",
            "kind",
            "scope_unit_id",
            "period_key",
            "retake_round",
            "opens_at",
            "closes_at",
            "duration_minutes",
            "total_points",
            "pass_mark_percent",
            "blueprint",
            "settings",
            "published_at",
            "closed_at",
        ],
        exams,
    )

    def assignments():
        next_id = base["exam_assignments"] + 1
        for exam_id, *_rest in exams:
            opens = _rest[6]
            for user_id, unit_id in zip(officer_ids, officer_units, strict=True):
                roll = rng.random()
                if roll < 0.05:
                    status, score, passed, flagged, cleared = "absent", None, False, True, rng.random() < 0.6
                else:
                    score = float(rng.randint(35, 100))
                    passed = score >= 60
                    status = "passed" if passed else "failed"
                    flagged, cleared = not passed, (not passed) and rng.random() < 0.7
                yield (
                    next_id,
                    exam_id,
                    user_id,
                    unit_id,
                    status,
                    score,
                    passed,
                    flagged,
                    False,
                    opens + timedelta(days=5) if cleared else None,
                    "[]",
                    0,
                    0,
                    opens,
                    opens + timedelta(days=2),
                    opens + timedelta(days=2),  # closed with everyone at the exam's close
                )
                next_id += 1

    timings["insert exam assignments"] = insert(
        conn,
        "exam_assignments",
        [
            "id",
            "exam_id",
            "user_id",
            "unit_id",
            "status",
            "score",
            "passed",
            "flagged",
            "escalated",
            "cleared_at",
            "weak_category_ids",
            "extra_minutes",
            "extra_attempts",
            "created_at",
            "updated_at",
            "closed_at",
        ],
        assignments(),
    )
    # Paper items of the last exam only (the one whose report is timed); an attempt's id is its
    # assignment's, so no attempt may exist yet beyond the first assignment id.
    assert base["attempts"] <= base["exam_assignments"], "attempts would collide"
    report_exam = exams[-1][0]
    rows = conn.execute(
        sa.text("SELECT id, user_id, score, passed FROM exam_assignments WHERE exam_id = :e AND score IS NOT NULL"),
        {"e": report_exam},
    ).all()
    opens = exams[-1][7]
    insert(
        conn,
        "attempts",
        [
            "id",
            "assignment_id",
            "exam_id",
            "user_id",
            "number",
            "seed",
            "started_at",
            "deadline_at",
            "finished_at",
            "score",
            "max_score",
            "passed",
            "leave_count",
            "leave_seconds",
        ],
        (
            (
                aid,
                aid,
                report_exam,
                uid,
                1,
                1,
                opens,
                opens + timedelta(minutes=30),
                opens + timedelta(minutes=20),
                score,
                100,
                passed,
                0,
                0,
            )
            for aid, uid, score, passed in rows
        ),
    )
    conn.execute(
        sa.text("UPDATE exam_assignments SET counted_attempt_id = id WHERE exam_id = :e AND score IS NOT NULL"),
        {"e": report_exam},
    )

    def items():
        next_id = base["paper_items"] + 1
        for aid, _uid, score, _passed in rows:
            skill = score / 100
            for position, q in enumerate(questions):
                difficulty = 0.3 + 0.6 * position / 20
                correct = rng.random() < skill * (1.2 - difficulty)
                response = '"A"' if correct else rng.choice(['"B"', '"C"', '"D"', '"B"'])
                yield (
                    next_id,
                    aid,
                    position,
                    q.id,
                    versions[q.id],
                    category.id,
                    5,
                    "[0, 1, 2, 3]",
                    response,
                    0,
                    False,
                    correct,
                    5.0 if correct else 0.0,
                )
                next_id += 1

    timings["insert paper items"] = insert(
        conn,
        "paper_items",
        [
            "id",
            "attempt_id",
            "position",
            "question_id",
            "question_version_id",
            "category_id",
            "points",
            "option_order",
            "response",
            "version",
            "marked",
            "correct",
            "score",
        ],
        items(),
    )

    first_day = mondays[0]

    def checkins():
        next_id = base["checkins"] + 1
        for user_id in officer_ids:
            diligence = rng.random()
            day = first_day
            while day < TODAY:
                if rng.random() < 0.4 + 0.5 * diligence:
                    at = clock.local_datetime(day, datetime.min.time()) + timedelta(hours=20)
                    yield (
                        next_id,
                        user_id,
                        day,
                        rng.choice((30, 60, 90, 120, 150)),
                        "self",
                        "[]",
                        "学习笔记：坚持以人民为中心。",
                        False,
                        at,
                        at,
                    )
                    next_id += 1
                day += timedelta(days=1)

    timings["insert check-ins"] = insert(
        conn,
        "checkins",
        ["id", "user_id", "day", "minutes", "method", "reading_ids", "notes", "late", "created_at", "updated_at"],
        checkins(),
    )
    sessions = []
    for w, monday in enumerate(mondays):
        starts = clock.local_datetime(monday + timedelta(days=2), datetime.min.time()) + timedelta(hours=15)
        for d, district in enumerate(districts):
            sessions.append(
                (
                    base["study_sessions"] + w * len(districts) + d + 1,
                    "centralized",
                    f"第{w + 1}周集中学习",
                    district.id,
                    starts,
                    starts + timedelta(hours=2),
                    "x" * 32,
                    starts - timedelta(days=3),
                    starts,
                    starts + timedelta(hours=2),
                )
            )
    insert(
        conn,
        "study_sessions",
        [
            "id",
            "kind",
            "title",
            "unit_id",
            "starts_at",
            "ends_at",
            "secret",
            "created_at",
            "roster_taken_at",
            "closed_at",
        ],
        sessions,
    )
    session_of = {(s[4], s[3]): s[0] for s in sessions}

    def attendance():
        next_id = base["attendance"] + 1
        for s_id, _k, _t, district_id, starts, *_rest in sessions:
            for user_id, unit_id in zip(officer_ids, officer_units, strict=True):
                if district_of[unit_id] != district_id:
                    continue
                roll = rng.random()
                status = "present" if roll < 0.85 else "late" if roll < 0.9 else "leave" if roll < 0.95 else "absent"
                yield (next_id, s_id, user_id, status, starts + timedelta(hours=2))
                next_id += 1

    del session_of
    timings["insert attendance"] = insert(
        conn, "attendance", ["id", "session_id", "user_id", "status", "updated_at"], attendance()
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("users", *NUMBERED_TABLES):
            db.session.execute(
                sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        db.session.commit()
        db.session.connection().exec_driver_sql("ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    print(
        f"built {unit_count} units, {officers_count} officers, {len(exams)} exams, "
        f"{timings['insert exam assignments']:,} assignments, {timings['insert paper items']:,} paper items, "
        f"{timings['insert check-ins']:,} check-ins, {timings['insert attendance']:,} attendance rows "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return {
        "city": city.id,
        "district": districts[0].id,
        "exam_id": report_exam,
        "person_id": officer_ids[0],
        "mondays": mondays,
    }


def timed(label, function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<44} p50 {statistics.median(times):7.1f} ms   min {min(times):7.1f} ms   max {max(times):7.1f} ms")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--officers", type=int, default=10000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    drop = None
    if args.database_url and args.database_url.startswith(("postgres://", "postgresql")):
        url, drop = postgres_database(args.database_url)
    elif args.database_url:
        url = args.database_url
    else:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="reports-bench-"), "bench.db")
    try:
        run(url, args)
    finally:
        if drop:
            drop()


def run(url, args):
    from flask_migrate import upgrade

    from app import create_app
    from core import clock
    from core.extensions import db
    from reports import summaries

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        print(f"database: {db.engine.dialect.name}")
        ids = build(app, args.officers, args.weeks)
        now = clock.now()
        start = time.perf_counter()
        summaries.rebuild_all(now)
        db.session.commit()
        print(f"summaries rebuilt from scratch in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        summaries.refresh_exam_summaries(ids["exam_id"])
        db.session.commit()
        print(f"one exam's summary refreshed (the close job) in {(time.perf_counter() - start) * 1000:.0f} ms")
        clock.freeze(now + timedelta(hours=1))
        summaries.refresh_summaries(clock.now())
        clock.freeze(now + timedelta(hours=2))
        timed("refresh_summaries, nothing changed", lambda: summaries.refresh_summaries(clock.now()), args.repeat)
        db.session.remove()

        client = app.test_client()
        response = client.post("/login", data={"username": "benchadmin", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        first, last = ids["mondays"][0].isoformat(), (ids["mondays"][-1] + timedelta(days=6)).isoformat()
        period = {"from": first, "to": last}

        def get(path, **query):
            def call():
                response = client.get(path, query_string=query)
                assert response.status_code == 200, (path, response.status_code)
                return response

            return call

        print(f"timings over HTTP (test client, sign-in cookie, {args.repeat} runs each, {args.weeks} weeks):")
        timed("city board page, all units, 52 weeks", get("/reports/board", unit=ids["city"], **period), args.repeat)
        timed("city board JSON, 52 weeks", get("/api/v1/reports/summary", unit=ids["city"], **period), args.repeat)
        timed("district board page, 52 weeks", get("/reports/board", unit=ids["district"], **period), args.repeat)
        timed("district board page, last week", get("/reports/board", unit=ids["district"]), args.repeat)
        timed("exam report page (10k papers x 20 questions)", get(f"/reports/exams/{ids['exam_id']}"), args.repeat)
        timed("personal record page", get(f"/reports/people/{ids['person_id']}"), args.repeat)
        timed("city board .xlsx export, 52 weeks", get("/reports/board.xlsx", unit=ids["city"], **period), args.repeat)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()

"""The benchmark's database: a fresh one (a temp SQLite file, or a new PostgreSQL database dropped
afterwards), migrated, seeded with the demo city and its question bank, plus generated officers
(cheap password hashes so thousands can sign in beforehand) in units of 50, and, once the quiz
services exist, open exams for them (bench/exams.py)."""

import contextlib
import random
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

OFFICER_PASSWORD = "bench-officer-2026"  # noqa: S105 (throwaway benchmark accounts)
OFFICER_PREFIX = "bench"
UNIT_SIZE = 50


@contextlib.contextmanager
def fresh_database(kind: str, postgres_url: str, keep: bool = False):
    """Yields the URL of an empty database; removes it afterwards unless `keep`."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="yingzhi-bench-db-"))
        yield f"sqlite:///{folder / 'bench.db'}"
        if not keep:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
        return
    from config import normalise_database_url

    server = sa.make_url(normalise_database_url(postgres_url))
    name = f"yingzhi_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def officer_username(number: int) -> str:
    return f"{OFFICER_PREFIX}{number:05d}"


def build(database_url: str, officers: int, report_officers: int = 0, report_weeks: int = 52) -> dict:
    """Migrate, seed the demo city and bank, add `officers` bench officers and their open exams.
    With `report_officers`, also a reporting city beside it (bench/reports_scale.py: that many
    officers in 200 units with `report_weeks` weeks of tests, check-ins and sessions) and its
    summary tables, for the board scenarios S6-S9. Returns a summary."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from accounts import services, units
    from accounts.models import Role, Unit, UnitKind
    from app import create_app
    from core import clock
    from core.extensions import db
    from demo.bank import seed_bank
    from demo.people import seed_people

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-build"})
    with app.app_context():
        upgrade()
        now = clock.now()
        rng = random.Random(2026)
        city = seed_people(now, rng)
        db.session.commit()
        seed_bank(now, rng, city)
        db.session.commit()
        # One cheap hash for every bench officer: signing thousands in must not cost minutes.
        password_hash = generate_password_hash(OFFICER_PASSWORD, method="pbkdf2:sha256:1000")
        root = units.create_unit(None, name="压测支队", kind=UnitKind.POLICE, parent=city["city"], now=now)
        unit = None
        for number in range(officers):
            if number % UNIT_SIZE == 0:
                unit = units.create_unit(
                    None, name=f"压测中队{number // UNIT_SIZE + 1:03d}", kind=UnitKind.DEPARTMENT, parent=root, now=now
                )
            services.create_user(
                None,
                username=officer_username(number),
                full_name=f"压测警员{number:05d}",
                unit=unit,
                role=Role.OFFICER,
                now=now,
                password_hash=password_hash,
            )
            if number % 500 == 499:
                db.session.commit()
        db.session.commit()
        summary = {"bench_unit_id": root.id, "units": db.session.scalar(sa.select(sa.func.count(Unit.id)))}
        summary["exams"] = publish_exams(root, now)
        db.session.commit()
        if report_officers:
            summary["reports"] = build_reports(report_officers, report_weeks)
        db.session.remove()
        db.engine.dispose()
    return summary


# The bench paper: 20 items, 100 points (BENCHMARKS.md: "about 20 questions").
BLUEPRINT = (("single", 10, 5), ("multiple", 4, 5), ("true_false", 4, 5), ("fill", 2, 5))
# One open exam per use, all for every bench officer: an officer may start each exam once, so the
# scenarios that consume starts (S2) or submits (S4) get exams of their own.
EXAM_USES = ("answers", "start_c16", "start_c64", "submit", "peak", "burst")


def bench_bank(now):
    """A category with enough generated questions of each type that every paper is distinct."""
    from question_bank import services
    from question_bank.models import QuestionType

    category = services.create_category(None, name="压测题库", now=now)
    for n in range(200):
        services.create_question(
            None,
            category=category,
            type=QuestionType.SINGLE,
            stem=f"压测单选题第{n}题：下列哪一项正确？",
            options=[f"正确选项{n}", f"干扰项甲{n}", f"干扰项乙{n}", f"干扰项丙{n}"],
            answer="A",
            now=now,
        )
    for n in range(60):
        services.create_question(
            None,
            category=category,
            type=QuestionType.MULTIPLE,
            stem=f"压测多选题第{n}题：下列哪些正确？",
            options=[f"正确甲{n}", f"错误甲{n}", f"正确乙{n}", f"错误乙{n}"],
            answer=["A", "C"],
            now=now,
        )
    for n in range(60):
        services.create_question(
            None,
            category=category,
            type=QuestionType.TRUE_FALSE,
            stem=f"压测判断题第{n}题：此说法正确。",
            answer=True,
            now=now,
        )
    for n in range(30):
        services.create_question(
            None,
            category=category,
            type=QuestionType.FILL,
            stem=f"压测填空题第{n}题：坚持____的绝对领导。",
            answer=[["党", "中国共产党"]],
            now=now,
        )
    return category


def publish_exams(scope_unit, now) -> dict:
    """{use: exam id}: open now for a day, 60 minutes each, for every officer under `scope_unit`."""
    from datetime import timedelta

    from core.extensions import db
    from question_bank.models import QuestionType
    from quiz.models import ExamKind, ExamTemplate, PaperRule
    from quiz.publishing import publish_exam

    category = bench_bank(now)
    exams = {}
    for use in EXAM_USES:
        template = ExamTemplate(
            title=f"压测周测（{use}）",
            kind=ExamKind.ONE_OFF,
            scope_unit_id=scope_unit.id,
            duration_minutes=60,
            created_at=now,
            updated_at=now,
        )
        template.rules = [
            PaperRule(position=i, category_id=category.id, type=QuestionType(kind), count=count, points=points)
            for i, (kind, count, points) in enumerate(BLUEPRINT)
        ]
        db.session.add(template)
        db.session.flush()
        exam = publish_exam(
            None, template, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1), now=now
        )
        exams[use] = exam.id
    return exams


def build_reports(officers: int, weeks: int) -> dict:
    """The reporting city of bench/reports_scale.py and its summaries; the board paths of S6-S8."""
    import time
    from datetime import timedelta

    from bench import reports_scale
    from core import clock
    from core.extensions import db
    from reports import summaries

    started = time.perf_counter()
    ids = reports_scale.build(None, officers, weeks)  # freezes the clock at its own "today"
    try:
        summaries.rebuild_all(clock.now())
        db.session.commit()
        # As autovacuum would soon after a bulk load: without statistics of the summary tables,
        # built after reports_scale's own ANALYZE, the planner guesses one row a week.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")
    finally:
        clock.freeze(None)
    first = ids["mondays"][0].isoformat()
    last = (ids["mondays"][-1] + timedelta(days=6)).isoformat()
    return {
        "admin": ("benchadmin", reports_scale.PASSWORD),
        "S6": f"/reports/board?unit={ids['district']}&from={first}&to={last}",
        "S7": f"/reports/board?unit={ids['city']}&from={ids['mondays'][-1].isoformat()}&to={last}",
        "S8": f"/reports/board?unit={ids['city']}&from={first}&to={last}",
        "seconds": round(time.perf_counter() - started),
    }

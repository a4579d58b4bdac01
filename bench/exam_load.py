"""Benchmark (issue 4, E15): N officers take a weekly test at once against gunicorn.

Builds a fresh database (a temp SQLite file, or a new PostgreSQL database on 127.0.0.1 that is
dropped afterwards), with N officers and a published weekly test of 20 questions; serves the app
with gunicorn (gunicorn.conf.py, 2 sync workers); drives the officers with asyncio + httpx through
sign-in, start, saving every answer and submit, with at most --connections requests in flight.
Prints attempts per second and p50/p95/p99 of the save call, then audits the database: every
acknowledged answer is stored at its acknowledged version, every submitted attempt is finished
and graded once (score = sum of its items, counted on its assignment), and no reply was a 5xx.

    python bench/exam_load.py --db sqlite --officers 200 [--connections 16]
    python bench/exam_load.py --db postgres --officers 200
"""

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"  # noqa: S105 (throwaway benchmark accounts)
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LETTERS = "ABCDEFGH"


def create_database(kind):
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='exam-load-')}/bench.db", None
    import sqlalchemy as sa

    name = f"yingzhi_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def build(url, officers):
    """Migrate; a city with one station of `officers` officers; a bank of 60 questions; a weekly
    test (10 single, 4 multiple, 4 true/false, 2 fill-in, 5 points each) published and open."""
    from flask_migrate import upgrade

    from accounts import services as accounts
    from accounts import units
    from accounts.models import Role, UnitKind
    from app import create_app
    from core import clock
    from core.extensions import db
    from question_bank import services as bank
    from question_bank.models import QuestionType
    from quiz.models import ExamKind, ExamTemplate, PaperRule
    from quiz.publishing import publish_exam

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        now = clock.now()
        city = units.create_unit(None, name="基准市", kind=UnitKind.COMMITTEE, parent=None, now=now)
        station = units.create_unit(None, name="基准派出所", kind=UnitKind.DEPARTMENT, parent=city, now=now)
        for n in range(officers):
            accounts.create_user(
                None,
                username=f"bench{n:04d}",
                full_name=f"干警{n}",
                unit=station,
                role=Role.OFFICER,
                password=PASSWORD,
                now=now,
            )
        category = bank.create_category(None, name="基准题库", now=now)
        for n in range(24):
            bank.create_question(
                None,
                category=category,
                type=QuestionType.SINGLE,
                stem=f"单选{n}：政法队伍的根本属性？",
                options=[f"甲{n}", f"乙{n}", f"丙{n}", f"丁{n}"],
                answer="A",
                explanation="解析",
                now=now,
            )
            bank.create_question(
                None,
                category=category,
                type=QuestionType.MULTIPLE,
                stem=f"多选{n}：四项任务包括？",
                options=[f"甲{n}", f"乙{n}", f"丙{n}", f"丁{n}"],
                answer=["A", "C"],
                explanation="解析",
                now=now,
            )
            bank.create_question(
                None,
                category=category,
                type=QuestionType.TRUE_FALSE,
                stem=f"判断{n}：必须对党忠诚。",
                answer=True,
                explanation="解析",
                now=now,
            )
            bank.create_question(
                None,
                category=category,
                type=QuestionType.FILL,
                stem=f"填空{n}：坚持以____为中心。",
                answer=[["人民"]],
                explanation="解析",
                now=now,
            )
        template = ExamTemplate(
            title="基准周测",
            kind=ExamKind.WEEKLY,
            scope_unit_id=city.id,
            duration_minutes=30,
            created_at=now,
            updated_at=now,
        )
        template.rules = [
            PaperRule(position=0, category_id=category.id, type=QuestionType.SINGLE, count=10, points=5),
            PaperRule(position=1, category_id=category.id, type=QuestionType.MULTIPLE, count=4, points=5),
            PaperRule(position=2, category_id=category.id, type=QuestionType.TRUE_FALSE, count=4, points=5),
            PaperRule(position=3, category_id=category.id, type=QuestionType.FILL, count=2, points=5),
        ]
        db.session.add(template)
        db.session.flush()
        exam = publish_exam(
            None, template, opens_at=now, closes_at=now + timedelta(days=1), now=now, period_key="bench"
        )
        db.session.commit()
        exam_id = exam.id
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    return app, exam_id


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url, workers):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "YINGZHI_CONFIG": "development",
        "YINGZHI_BIND": f"127.0.0.1:{port}",
        "YINGZHI_WORKERS": str(workers),
        "YINGZHI_LOG_LEVEL": "warning",
        # Every simulated officer signs in from 127.0.0.1; in the field each phone has its own address.
        "YINGZHI_LOGIN_ADDRESS_LIMITS": "100000 per minute",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:create_app()"], cwd=ROOT, env=env
    )
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def a_response(item, rng):
    if item["type"] == "single":
        return rng.choice(LETTERS[: len(item["options"])])
    if item["type"] == "multiple":
        return sorted(rng.sample(LETTERS[: len(item["options"])], 2))
    if item["type"] == "true_false":
        return rng.random() < 0.8
    return [rng.choice(["人民", "群众"]) for _ in range(item["blanks"])]


class Stats:
    def __init__(self):
        self.save_ms, self.statuses, self.acked, self.submitted = [], {}, {}, {}
        self.other_ms = {"sign-in": [], "start": [], "submit": []}

    def count(self, status):
        self.statuses[status] = self.statuses.get(status, 0) + 1


async def officer(base, n, exam_id, gate, stats, rng):
    import httpx

    async def call(method, url, **kwargs):
        async with gate:
            started = time.perf_counter()
            response = await client.request(method, url, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
        stats.count(response.status_code)
        return response, elapsed

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page, _ = await call("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        login, elapsed = await call(
            "POST", "/login", data={"username": f"bench{n:04d}", "password": PASSWORD, "csrf_token": token}
        )
        stats.other_ms["sign-in"].append(elapsed)
        assert login.status_code == 302, (login.status_code, login.text[:200])
        headers = {"X-CSRFToken": (await call("GET", "/api/v1/csrf"))[0].json()["csrf_token"]}
        started, elapsed = await call("POST", f"/api/v1/exams/{exam_id}/attempts", headers=headers)
        stats.other_ms["start"].append(elapsed)
        assert started.status_code in (200, 201), (started.status_code, started.text[:200])
        state = started.json()
        for item in state["items"]:
            response = a_response(item, rng)
            reply, elapsed = await call(
                "PUT",
                f"/api/v1/attempts/{state['id']}/answers/{item['id']}",
                json={"response": response, "version": item["version"]},
                headers=headers,
            )
            stats.save_ms.append(elapsed)
            if reply.status_code == 200:
                stats.acked[item["id"]] = (reply.json()["version"], response)
        submitted, elapsed = await call("POST", f"/api/v1/attempts/{state['id']}/submit", headers=headers)
        stats.other_ms["submit"].append(elapsed)
        if submitted.status_code == 200:
            stats.submitted[state["id"]] = submitted.json()["score"]


async def drive(base, exam_id, officers, connections, seed):
    gate = asyncio.Semaphore(connections)
    stats = Stats()
    rng = random.Random(seed)
    started = time.perf_counter()
    results = await asyncio.gather(
        *(officer(base, n, exam_id, gate, stats, random.Random(rng.random())) for n in range(officers)),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - started
    failures = [r for r in results if isinstance(r, BaseException)]
    return stats, elapsed, failures


def audit(app, stats):
    """Every acknowledged answer stored at its version; every submitted attempt graded once."""
    import sqlalchemy as sa

    from core.extensions import db
    from quiz.attempts import displayed_response
    from quiz.models import Attempt, ExamAssignment, PaperItem

    problems = []
    with app.app_context():
        items = {
            item.id: item
            for item in db.session.scalars(sa.select(PaperItem).where(PaperItem.id.in_(list(stats.acked))))
        }
        for item_id, (version, response) in stats.acked.items():
            item = items.get(item_id)
            qtype = item.question_version.type if item else None
            stored = displayed_response(qtype, item.option_order, item.response) if item else None
            if item is None or item.version != version or stored != response:
                problems.append(f"item {item_id}: acknowledged v{version} {response!r}, stored {stored!r}")
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.id.in_(list(stats.submitted)))).all()
        for attempt in attempts:
            total = sum(i.score or 0 for i in attempt.items)
            assignment = db.session.get(ExamAssignment, attempt.assignment_id)
            if (
                attempt.finished_at is None
                or attempt.score != stats.submitted[attempt.id]
                or abs(total - attempt.score) > 1e-6
            ):
                problems.append(
                    f"attempt {attempt.id}: score {attempt.score}, items {total}, reply {stats.submitted[attempt.id]}"
                )
            if assignment.counted_attempt_id != attempt.id:
                problems.append(f"attempt {attempt.id}: not counted on its assignment")
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))
        if count != len(stats.submitted):
            problems.append(f"{count} attempts in the database, {len(stats.submitted)} submitted")
        db.engine.dispose()
    return problems


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--connections", type=int, default=16, help="requests in flight at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=48)
    args = parser.parse_args()
    url, drop = create_database(args.db)
    try:
        started = time.perf_counter()
        app, exam_id = build(url, args.officers)
        print(
            f"database ({args.db}): {args.officers} officers and an open weekly test "
            f"in {time.perf_counter() - started:.1f} s"
        )
        process, base = serve(url, args.workers)
        try:
            stats, elapsed, failures = asyncio.run(drive(base, exam_id, args.officers, args.connections, args.seed))
        finally:
            process.terminate()
            process.wait(20)
        saves = stats.save_ms
        print(
            f"\n{args.officers} officers, {args.connections} connections, "
            f"gunicorn {args.workers} sync workers, {args.db}"
        )
        print(f"  whole run (sign-in, start, {len(saves) // max(1, args.officers)} saves, submit): {elapsed:.1f} s")
        print(f"  attempts submitted: {len(stats.submitted)}  ({len(stats.submitted) / elapsed:.1f} attempts/s)")
        print(f"  saves: {len(saves)}  ({len(saves) / elapsed:.0f} saves/s)")
        if saves:
            print(
                f"  save latency ms: p50 {statistics.median(saves):.1f}  p95 {percentile(saves, 95):.1f}  "
                f"p99 {percentile(saves, 99):.1f}  max {max(saves):.1f}"
            )
        for kind, values in stats.other_ms.items():
            if values:
                print(f"  {kind} latency ms: p50 {statistics.median(values):.1f}  p95 {percentile(values, 95):.1f}")
        print(f"  replies by status: {dict(sorted(stats.statuses.items()))}")
        for failure in failures[:5]:
            print(f"  officer failed: {failure!r}")
        problems = audit(app, stats)
        fivexx = sum(n for status, n in stats.statuses.items() if status >= 500)
        print(
            f"  audit: {len(stats.acked)} acknowledged answers, {len(stats.submitted)} graded attempts; "
            f"{len(problems)} problems, {fivexx} 5xx, {len(failures)} failed officers"
        )
        for problem in problems[:10]:
            print(f"    {problem}")
        if problems or fivexx or failures:
            raise SystemExit(1)
    finally:
        if drop:
            drop()


if __name__ == "__main__":
    main()

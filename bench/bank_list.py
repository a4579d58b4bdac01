"""Benchmark: the question bank list page at 20,000 questions, through the HTTP stack.

Builds a fresh database (SQLite in a temp folder by default, or --database-url), fills it with
20,000 questions (CMMLU stems when ../shared/data/cmmlu is there, varied so each is distinct),
serves the app with gunicorn (2 sync workers, as in production), signs in as an admin and times
GET /bank/ with several filters, sequentially (c=1). Prints p50/p95 per filter, and the raw SQL
time of the same count + page queries for comparison.

    python bench/bank_list.py [--questions 20000] [--requests 40] [--database-url URL]
"""

import argparse
import csv
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"  # noqa: S105 (a throwaway benchmark account)
FILTERS = [
    ("no filter (page 1)", {}),
    ("text: 法律 (common)", {"q": "法律"}),
    ("text: 人民警察法 (rare)", {"q": "人民警察法"}),
    ("text with no match", {"q": "不会出现的词语组合"}),
    ("text + category subtree", {"q": "下列", "category": "CAT"}),
    ("type + difficulty", {"type": "multiple", "difficulty": "2"}),
    ("page 200 of the whole bank", {"page": "200"}),
]


def cmmlu_stems():
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "cmmlu"
        if folder.is_dir():
            rows = []
            for path in sorted(folder.glob("*.csv")):
                with open(path, encoding="utf-8", newline="") as fh:
                    reader = csv.reader(fh)
                    next(reader)
                    rows.extend(reader)
            return rows
    return None


def build_database(url: str, count: int):
    """Migrate, then insert the admin, the categories and `count` questions with their versions."""
    from flask_migrate import upgrade

    from accounts import services as accounts
    from accounts import units
    from accounts.models import Role, UnitKind
    from app import create_app
    from core import clock
    from core.extensions import db
    from question_bank import answers, services
    from question_bank.models import Question, QuestionType, QuestionVersion

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        now = clock.now()
        city = units.create_unit(None, name="基准市", kind=UnitKind.COMMITTEE, parent=None, now=now)
        accounts.create_user(
            None, username="benchadmin", full_name="基准管理员", unit=city, role=Role.ADMIN, password=PASSWORD, now=now
        )
        categories = services.ensure_default_categories(now)
        children = [services.create_category(None, name=f"{c.name}专题", parent=c, now=now) for c in categories]
        leaves = categories + children
        db.session.commit()
        source = cmmlu_stems() or [
            [str(n), f"第{n}题：下列关于法律和人民警察法的说法正确的是", "甲", "乙", "丙", "丁", "A"]
            for n in range(2000)
        ]
        types = [QuestionType.SINGLE] * 6 + [QuestionType.MULTIPLE] * 2 + [QuestionType.TRUE_FALSE, QuestionType.FILL]
        questions, started = [], time.perf_counter()
        for n in range(count):
            row = source[n % len(source)]
            qtype = types[n % len(types)]
            stem = f"{row[1]}（第{n // len(source) + 1}套）"
            options = row[2:6] if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) else []
            answer = {
                QuestionType.SINGLE: row[6],
                QuestionType.MULTIPLE: ["A", "C"],
                QuestionType.TRUE_FALSE: bool(n % 2),
                QuestionType.FILL: [["人民"]],
            }[qtype]
            questions.append(
                {
                    "category_id": leaves[n % len(leaves)].id,
                    "type": qtype,
                    "stem": stem,
                    "options": options,
                    "answer": answer,
                    "explanation": "解析",
                    "difficulty": n % 5 + 1,
                    "source": "基准",
                    "tags": [],
                    "active": n % 50 != 0,
                    "dedupe_key": answers.dedupe_key(qtype, stem),
                    "version": 1,
                    "author_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for start in range(0, len(questions), 2000):
            db.session.execute(sa_insert(Question), questions[start : start + 2000])
        db.session.flush()
        ids = db.session.execute(select_ids(Question)).scalars().all()
        versions = [
            {
                **{
                    k: q[k]
                    for k in (
                        "category_id",
                        "type",
                        "stem",
                        "options",
                        "answer",
                        "explanation",
                        "difficulty",
                        "source",
                        "author_id",
                        "created_at",
                    )
                },
                "question_id": qid,
                "number": 1,
            }
            for qid, q in zip(ids, questions)
        ]
        for start in range(0, len(versions), 2000):
            db.session.execute(sa_insert(QuestionVersion), versions[start : start + 2000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")  # as autovacuum would soon after a bulk load
        print(f"database: {count} questions inserted in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        category_id = categories[6].id  # 业务知识 and its subcategory
        db.engine.dispose()
    return app, category_id


def sa_insert(model):
    import sqlalchemy as sa

    return sa.insert(model)


def select_ids(model):
    import sqlalchemy as sa

    return sa.select(model.id).order_by(model.id)


def raw_sql_times(app, category_id, repeat=20):
    """The count and page queries of each filter, timed without HTTP, auth or templates."""
    from core.extensions import db
    from question_bank.categories import CategoryTree
    from question_bank.services import paginate_questions
    from question_bank.views import search_from

    results = {}
    with app.app_context():
        tree = CategoryTree()
        for label, params in FILTERS:
            values = {k: (str(category_id) if v == "CAT" else v) for k, v in params.items()}
            page = int(values.pop("page", 1))
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                query = search_from(values, tree)
                paginate_questions(query, page=page, per_page=50, text_search=bool(values.get("q"))).items  # noqa: B018
                timings.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            results[label] = statistics.median(timings)
    return results


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret",
        "YINGZHI_CONFIG": "development",
        "YINGZHI_BIND": f"127.0.0.1:{port}",
        "YINGZHI_WORKERS": "2",
        "YINGZHI_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "app:create_app()"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def sign_in(client):
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "benchadmin", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text[:300]


def main():
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default=None, help="an empty database (default: a temp SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bank-list-")
    from config import normalise_database_url

    url = normalise_database_url(args.database_url) or f"sqlite:///{folder}/bench.db"
    app, category_id = build_database(url, args.questions)
    raw = raw_sql_times(app, category_id)
    process, base = serve(url)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            sign_in(client)
            print(
                f"\nGET /bank/ at {args.questions} questions, {args.requests} sequential requests each "
                "(gunicorn, 2 sync workers)"
            )
            print(f"{'filter':34} {'p50 ms':>8} {'p95 ms':>8} {'raw SQL ms':>11} {'matches':>8}")
            for label, params in FILTERS:
                query = {k: (str(category_id) if v == "CAT" else v) for k, v in params.items()}
                client.get("/bank/", params=query)  # warm up
                timings, body = [], ""
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get("/bank/", params=query)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.status_code
                    body = response.text
                total = re.search(r"共 (\d+) 条|(\d+) in all", body)
                matches = next((g for g in (total.groups() if total else ()) if g), "0")
                p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
                print(f"{label:34} {statistics.median(timings):8.1f} {p95:8.1f} {raw[label]:11.1f} {matches:>8}")
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()

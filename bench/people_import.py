"""Benchmark: how many people an import writes within the web worker's timeout.

A people import runs inside one request: parse and check every row (the page's first step), then
create the accounts, their memberships and their places in the open tests, and commit (the
confirmation). Both must end well inside gunicorn's timeout (gunicorn.conf.py) or the user gets
a bare error. The database is the bench world (bench/world.py: the demo city and bank, bench
officers and their six open exams, which a new officer joins); each size imports into fresh units.

    python bench/people_import.py [--rows 200,1000,5000] [--db sqlite|postgres]

Prints rows/s for each pass, and the rows that would fit in the timeout at the slowest rate seen
beside the configured PEOPLE_IMPORT_MAX_ROWS.
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import world  # noqa: E402


def people_file(rows: int, unit_name: str, first: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["警号", "姓名", "单位", "角色", "手机"])
    for number in range(first, first + rows):
        sheet.append([f"9{number:06d}", f"导入警员{number:06d}", unit_name, "干警", f"139{number:08d}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="200,1000,5000")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]

    timeout = worker_timeout()
    with world.fresh_database(args.db, args.postgres_url) as url:
        print(f"building the bench world on {args.db} ...", flush=True)
        world.build(url, officers=200)
        app = bench_app(url)
        slowest = None
        print(f"{'rows':>6} {'check s':>8} {'check rows/s':>13} {'write s':>8} {'write rows/s':>13}")
        first = 0
        for rows in sizes:
            with app.app_context():
                check, write = import_once(rows, first)
            first += rows
            rate = rows / (check + write)
            slowest = rate if slowest is None else min(slowest, rate)
            print(f"{rows:>6} {check:>8.2f} {rows / check:>13.0f} {write:>8.2f} {rows / write:>13.0f}", flush=True)
        with app.app_context():
            from core.settings import get_setting

            configured = get_setting("PEOPLE_IMPORT_MAX_ROWS")
        # The confirmation re-reads the file and writes; the slower of the two requests decides.
        fits = int(slowest * timeout * 0.8)
        print(f"worker timeout {timeout} s: at {slowest:.0f} rows/s about {fits} rows fit in 80 % of it")
        print(f"PEOPLE_IMPORT_MAX_ROWS {configured}: {'fits' if configured <= fits else 'DOES NOT FIT'}")


def worker_timeout() -> int:
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    return int(namespace["timeout"])


def bench_app(url):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-people"})


def import_once(rows: int, first: int) -> tuple[float, float]:
    """(check seconds, check + write + commit seconds) of importing `rows` people into a new unit."""
    import sqlalchemy as sa

    from accounts import importer, units
    from accounts.models import Role, Unit, UnitKind, User
    from core import clock
    from core.extensions import db

    now = clock.now()
    admin = db.session.scalars(sa.select(User).where(User.role == Role.ADMIN)).first()
    root = db.session.scalars(sa.select(Unit).where(Unit.name == "压测支队")).one()
    unit = units.create_unit(None, name=f"导入中队{first:06d}", kind=UnitKind.DEPARTMENT, parent=root, now=now)
    db.session.commit()
    data = people_file(rows, f"{root.name}/{unit.name}", first)
    started = time.perf_counter()
    report = importer.parse_people(data, admin)
    check = time.perf_counter() - started
    assert not report.invalid, report.invalid[:3]
    started = time.perf_counter()
    _, created = importer.import_people(data, admin, valid_only=False, now=now)
    db.session.commit()
    write = time.perf_counter() - started
    assert len(created) == rows
    db.session.remove()
    return check, write


if __name__ == "__main__":
    main()

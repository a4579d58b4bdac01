"""Benchmark: importing the shared CMMLU sample (1,786 questions in 8 files) into an empty bank.

For each file: the dry run (parse and check every row) and the import (check again, write the
questions and their first versions, commit), through question_bank.importer exactly as the page
and the CLI do. Then the whole sample transcoded to GB18030 CSV and to .xlsx, and the peak
memory (RSS) of reading a 5,000-row .xlsx and of refusing a zip bomb, each in a fresh process.

    python bench/bank_import.py [--database-url URL]
"""

import argparse
import csv
import io
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cmmlu_dir():
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "cmmlu"
        if folder.is_dir():
            return folder
    raise SystemExit("../shared/data/cmmlu is absent: nothing to benchmark")


def make_app(url):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def empty_bank():
    import sqlalchemy as sa

    from core.extensions import db
    from question_bank.models import Question, QuestionVersion

    db.session.execute(sa.delete(QuestionVersion))
    db.session.execute(sa.delete(Question))
    db.session.commit()


def timed_import(data, category):
    from core import clock
    from core.extensions import db
    from question_bank import importer

    started = time.perf_counter()
    report = importer.parse_questions(data, default_category=category)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    report, created = importer.import_questions(
        data, None, valid_only=False, now=clock.now(), default_category=category
    )
    db.session.commit()
    return (
        len(report.rows),
        len(created),
        len(report.duplicates),
        len(report.invalid),
        checked,
        time.perf_counter() - started,
    )


def transcoded(folder):
    rows, header = [], None
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows.extend(reader)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return header, rows, buffer.getvalue().encode("gb18030")


def xlsx_bytes(header, rows):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("题目")
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _peak_rss_child(case, queue):
    from core import tabular
    from question_bank.importer import HEADER_ALIASES

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = ""
    if case == "xlsx-5000":
        rows = [
            ["单选", f"第{n}题：内存基准的题干，略长一些以接近真实题目的长度？", "甲", "乙", "丙", "丁", "A"]
            for n in range(5000)
        ]
        data = xlsx_bytes(["题型", "题干", "A", "B", "C", "D", "答案"], rows)
        table = tabular.read_table(data, HEADER_ALIASES, max_rows=5000, required=("stem", "answer"))
        outcome = f"{len(table.rows)} rows read from {len(data) // 1024} KB"
    elif case == "zip-bomb":
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
                for _ in range(1024):
                    member.write(b" " * (1024 * 1024))
        data = buffer.getvalue()
        try:
            tabular.read_table(data, HEADER_ALIASES, max_rows=5000)
        except tabular.TabularError as error:
            outcome = f"refused ({len(data) // 1024} KB declaring 1 GB): {error}"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((case, before, after, outcome))


def peak_rss():
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per case: peaks do not mix
    results = []
    for case in ("xlsx-5000", "zip-bomb"):
        queue = context.Queue()
        process = context.Process(target=_peak_rss_child, args=(case, queue))
        process.start()
        results.append(queue.get(timeout=300))
        process.join()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="an empty database (default: a temp SQLite file)")
    args = parser.parse_args()
    folder = cmmlu_dir()
    from config import normalise_database_url

    url = normalise_database_url(args.database_url) or f"sqlite:///{tempfile.mkdtemp(prefix='bank-import-')}/bench.db"
    app = make_app(url)
    with app.app_context():
        from core import clock
        from core.extensions import db
        from question_bank import services

        category = {c.name: c for c in services.ensure_default_categories(clock.now())}["业务知识"]
        db.session.commit()
        print(f"CMMLU import into an empty bank ({url.split(':')[0]}), category 业务知识")
        print(f"{'file':34} {'rows':>5} {'new':>5} {'dup':>4} {'err':>4} {'check s':>8} {'import s':>9} {'rows/s':>7}")
        total_rows, total_time = 0, 0.0
        for path in sorted(folder.glob("*.csv")):
            rows, new, dup, err, checked, imported = timed_import(path.read_bytes(), category)
            total_rows += new
            total_time += imported
            print(
                f"{path.name:34} {rows:5} {new:5} {dup:4} {err:4} {checked:8.2f} {imported:9.2f} {new / imported:7.0f}"
            )
        rate = total_rows / total_time
        print(f"{'all 8 files':34} {total_rows:5} {'':>5} {'':>4} {'':>4} {'':>8} {total_time:9.2f} {rate:7.0f}")

        header, rows, gb18030 = transcoded(folder)
        for label, data in (("all, GB18030 CSV", gb18030), ("all, .xlsx", xlsx_bytes(header, rows))):
            empty_bank()
            count, new, dup, err, checked, imported = timed_import(data, category)
            print(f"{label:34} {count:5} {new:5} {dup:4} {err:4} {checked:8.2f} {imported:9.2f} {new / imported:7.0f}")
        empty_bank()
    print("\npeak memory (RSS) of one read, each in a fresh process")
    for case, before, after, outcome in peak_rss():
        print(f"{case:12} start {before / 1024:6.1f} MB, peak {after / 1024:6.1f} MB  {outcome}")


if __name__ == "__main__":
    main()

"""Benchmark: question import speed per reader, real files, and hostile files.

1. The shared CMMLU sample (../shared/data/cmmlu, 1,786 questions in 8 files) and the real banks of
   ../shared/data/realbanks (with the profiles their tests use): for each file the check pass
   (parse and check every row, as the page's first step and `--dry-run`; the best of 3 runs) and
   the write pass (check again, write the questions and their first versions, commit, as the
   confirmation does), with each .xlsx reader: openpyxl and python-calamine (the import uses
   calamine). Text, CSV and JSON files go through neither reader: one figure.
2. The whole CMMLU sample transcoded to GB18030 CSV and to .xlsx (the large files, with the police
   table).
3. The hostile-file corpus (tests/support/hostile_files.py) through both importers, each in a fresh
   process: time and peak memory growth (RSS).

    python bench/bank_import.py [--database-url URL] [--skip-hostile]
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECK_RUNS = 3
PROFILES = {  # the mappings the realbanks tests save (tests/question_bank/test_realbanks.py)
    "gongan_dongcheng_test_question.xlsx": {"type": {"1": "single", "2": "multiple", "3": "true_false"}},
    "xingning_dishui_tiku_daoru_muban.xlsx": {"difficulty": {"9": "3"}},
    "yyy188_shiti_daoru_muban.xlsx": {"type": {"1": "single", "2": "multiple", "3": "true_false"}},
    "jiakaobaodian_kemu1_raw.jsonl": {
        "type": {"0": "true_false", "1": "single"},
        "answer": {"16": "A", "32": "B", "64": "C", "128": "D"},
    },
}
PROFILES["jiakaobaodian_kemu1_raw.xlsx"] = PROFILES["jiakaobaodian_kemu1_raw.jsonl"]


def shared_dir(name):
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / name
        if folder.is_dir():
            return folder
    return None


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
    from question_bank.models import Category, Question, QuestionVersion

    db.session.execute(sa.delete(QuestionVersion))
    db.session.execute(sa.delete(Question))
    db.session.execute(sa.delete(Category).where(Category.parent_id.is_not(None) | Category.name.like("%题库%")))
    db.session.commit()


def timed(data, category, mapping, reader):
    """(rows, new, duplicates, skipped, errors, check seconds, write seconds) on an empty bank."""
    from core import clock, file_readers
    from core.extensions import db
    from question_bank import importer

    file_readers.DEFAULT_READER = reader
    try:
        empty_bank()
        options = {"default_category": category, "create_categories": True, "mapping": mapping}
        checked = float("inf")
        for _ in range(CHECK_RUNS):  # the best of three: the box is shared
            started = time.perf_counter()
            report = importer.parse_questions(data, **options)
            checked = min(checked, time.perf_counter() - started)
            db.session.rollback()
        started = time.perf_counter()
        report, created = importer.import_questions(data, None, valid_only=True, now=clock.now(), **options)
        db.session.commit()
        written = time.perf_counter() - started
    finally:
        file_readers.DEFAULT_READER = "calamine"
    return (
        len(report.rows),
        len(created),
        len(report.duplicates),
        len(report.skipped),
        len(report.invalid),
        checked,
        written,
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


HEAD = (
    f"{'file':44} {'rows':>5} {'new':>5} {'dup':>4} {'skip':>4} {'err':>4}"
    f" {'openpyxl check/s':>16} {'write/s':>8} {'calamine check/s':>16} {'write/s':>8}"
)


def line(label, data, category, mapping, spreadsheet):
    figures = {}
    for reader in ("openpyxl", "calamine") if spreadsheet else ("calamine",):
        figures[reader] = timed(data, category, mapping, reader)
    rows, new, dup, skipped, err, _c, _w = figures["calamine"]
    cells = []
    for reader in ("openpyxl", "calamine"):
        if reader in figures:
            *_, checked, written = figures[reader]
            cells += [f"{rows / checked:16.0f}", f"{rows / written:8.0f}"]
        else:
            cells += [f"{'—':>16}", f"{'—':>8}"]
    print(f"{label:44} {rows:5} {new:5} {dup:4} {skipped:4} {err:4} " + " ".join(cells), flush=True)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="an empty database (default: a temp SQLite file)")
    parser.add_argument("--skip-hostile", action="store_true", help="leave out the hostile-file corpus")
    args = parser.parse_args()
    from config import normalise_database_url

    url = normalise_database_url(args.database_url) or f"sqlite:///{tempfile.mkdtemp(prefix='bank-import-')}/bench.db"
    app = make_app(url)
    cmmlu, realbanks = shared_dir("cmmlu"), shared_dir("realbanks")
    with app.app_context():
        from core import clock, file_readers
        from core.extensions import db
        from question_bank import services
        from question_bank.import_mapping import Mapping

        category = {c.name: c for c in services.ensure_default_categories(clock.now())}["业务知识"]
        db.session.commit()
        print(f"Question import into an empty bank ({url.split(':')[0]}), rows per second (rows / seconds)")
        print("check: parse and check every row (best of 3); write: check again, write, commit (the confirmation)\n")
        print(HEAD)
        if cmmlu:
            total = {"openpyxl": [0, 0.0, 0.0], "calamine": [0, 0.0, 0.0]}
            for path in sorted(cmmlu.glob("*.csv")):
                figures = line(f"cmmlu/{path.name}", path.read_bytes(), category, Mapping(), False)
                rows, *_, checked, written = figures["calamine"]
                for reader in total:
                    total[reader][0] += rows
                    total[reader][1] += checked
                    total[reader][2] += written
            rows, checked, written = total["calamine"]
            label = "cmmlu, all 8 CSV files"
            print(f"{label:44} {rows:5} {'':>25} {'—':>16} {'—':>8} {rows / checked:16.0f} {rows / written:8.0f}")
            header, rows, gb18030 = transcoded(cmmlu)
            line("cmmlu, all 1,786 as one GB18030 CSV", gb18030, category, Mapping(), False)
            line("cmmlu, all 1,786 as one .xlsx", xlsx_bytes(header, rows), category, Mapping(), True)
        if realbanks:
            for path in sorted([*realbanks.glob("*.*"), *realbanks.glob("lianjie_huoju_dangui/*.txt")]):
                if path.name == "README.md":
                    continue
                data = path.read_bytes()
                mapping = Mapping.from_json({"values": PROFILES.get(path.name, {})})
                spreadsheet = file_readers.detect_kind(data) == "xlsx"
                line(f"realbanks/{path.relative_to(realbanks)}", data, category, mapping, spreadsheet)
        empty_bank()
    if not args.skip_hostile:
        from tests.support import hostile_files

        print("\nhostile files, each read in a fresh process: seconds, peak RSS growth, the message")
        for name in hostile_files.CORPUS:
            for target in ("questions", "people"):
                seconds, growth, message = hostile_files.peak_rss_growth(name, target)
                print(f"{name:15} {target:9} {seconds:5.2f} s {growth:6.1f} MB  {message[:70]}", flush=True)


if __name__ == "__main__":
    main()

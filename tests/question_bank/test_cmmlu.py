"""I14: the shared CMMLU sample imports as-is, with only --category, as single-choice questions,
each file's full count; transcoded to GB18030 CSV and to .xlsx, with exact counts and a printed
timing figure. Skipped, with the reason, when ../shared/data/cmmlu is absent."""

import csv
import io
import time

import pytest
import sqlalchemy as sa

from core.extensions import db
from question_bank.models import Question, QuestionType, QuestionVersion
from tests.question_bank import files

CMMLU = files.cmmlu_dir()
COUNTS = {
    "marxist_theory.csv": 189,
    "legal_and_moral_basis.csv": 214,
    "chinese_civil_service_exam.csv": 160,
    "high_school_politics.csv": 143,
    "jurisprudence.csv": 411,
    "security_study.csv": 135,
    "professional_law.csv": 211,
    "chinese_history.csv": 323,
}
pytestmark = pytest.mark.skipif(
    CMMLU is None, reason="../shared/data/cmmlu is absent (the shared CMMLU sample is not in this checkout)"
)


def count(**filters):
    db.session.rollback()
    query = sa.select(sa.func.count()).select_from(Question)
    for name, value in filters.items():
        query = query.where(getattr(Question, name) == value)
    return db.session.scalar(query)


def empty():
    db.session.rollback()
    db.session.execute(sa.delete(QuestionVersion))
    db.session.execute(sa.delete(Question))
    db.session.commit()


def test_every_file_imports_as_is_with_only_category(app, runner):
    assert sorted(p.name for p in CMMLU.glob("*.csv")) == sorted(COUNTS)
    total = 0
    started = time.perf_counter()
    for name, expected in COUNTS.items():
        result = runner.invoke(args=["import-questions", str(CMMLU / name), "--category", "业务知识"])
        assert result.exit_code == 0, result.output
        assert result.output == f"导入 {expected}，重复 0，跳过 0，错误 0\n", name
        total += expected
        assert count() == total
    elapsed = time.perf_counter() - started
    assert count(type=QuestionType.SINGLE) == total == 1786
    print(f"\nI14 CMMLU UTF-8 CSV via the CLI: {total} questions in {elapsed:.2f} s ({total / elapsed:.0f} rows/s)")
    again = runner.invoke(args=["import-questions", str(CMMLU / "jurisprudence.csv"), "--category", "业务知识"])
    assert again.output == "导入 0，重复 411，跳过 0，错误 0\n"


def _all_rows():
    rows = []
    for name in COUNTS:
        with open(CMMLU / name, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows.extend(reader)
    return header, rows


def test_transcoded_to_gb18030_csv_and_to_xlsx_with_exact_counts(app, runner, tmp_path):
    header, rows = _all_rows()
    assert len(rows) == 1786
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    gb = tmp_path / "cmmlu-gb18030.csv"
    gb.write_bytes(buffer.getvalue().encode("gb18030"))
    book = tmp_path / "cmmlu.xlsx"
    book.write_bytes(files.xlsx(rows, header))
    for path in (gb, book):
        started = time.perf_counter()
        result = runner.invoke(args=["import-questions", str(path), "--category", "业务知识"])
        elapsed = time.perf_counter() - started
        assert result.output == "导入 1786，重复 0，跳过 0，错误 0\n", (path.name, result.output[-300:])
        assert count(type=QuestionType.SINGLE) == 1786
        rate = 1786 / elapsed
        print(f"\nI14 CMMLU as {path.suffix} ({path.name}): 1786 questions in {elapsed:.2f} s ({rate:.0f} rows/s)")
        empty()

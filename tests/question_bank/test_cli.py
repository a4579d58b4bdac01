"""`flask import-questions`: the one summary line, the exit codes, --dry-run, --category and
--valid-only."""

import sqlalchemy as sa

from core.extensions import db
from question_bank.models import Category, Question
from tests.question_bank import files
from tests.question_bank.test_importer import BAD_ROWS, REASONS


def count():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Question))


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_good_file_prints_the_summary_line_and_a_second_run_counts_duplicates(app, runner, tmp_path):
    path = write(tmp_path, "twenty.csv", files.delimited(files.TWENTY, encoding="gbk"))
    first = runner.invoke(args=["import-questions", path])
    assert first.exit_code == 0 and first.output == "导入 20，重复 0，跳过 0，错误 0\n"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 7  # an empty bank gets the defaults
    second = runner.invoke(args=["import-questions", path])
    assert second.exit_code == 0 and second.output == "导入 0，重复 20，跳过 0，错误 0\n"
    assert count() == 20


def test_errors_without_valid_only_import_nothing_and_exit_non_zero(app, runner, tmp_path):
    path = write(tmp_path, "bad.xlsx", files.xlsx(BAD_ROWS))
    result = runner.invoke(args=["import-questions", path])
    assert result.exit_code != 0
    assert result.stdout.strip().splitlines()[-1] == f"导入 0，重复 0，跳过 0，错误 {len(REASONS)}"
    assert "第 3 行：缺少题干" in result.stderr
    assert count() == 0


def test_valid_only_imports_the_good_rows_and_succeeds(app, runner, tmp_path):
    path = write(tmp_path, "bad.xlsx", files.xlsx(BAD_ROWS))
    result = runner.invoke(args=["import-questions", path, "--valid-only"])
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == f"导入 1，重复 0，跳过 0，错误 {len(REASONS)}"
    assert count() == 1


def test_dry_run_writes_nothing(app, runner, tmp_path):
    path = write(tmp_path, "twenty.xlsx", files.xlsx(files.TWENTY))
    result = runner.invoke(args=["import-questions", path, "--dry-run"])
    assert result.exit_code == 0 and "导入 20，重复 0，跳过 0，错误 0" in result.output
    assert count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Category)) == 0


def test_category_option(app, runner, tmp_path):
    data = files.delimited(
        [["0", "命令行默认分类？", "甲", "乙", "丙", "丁", "A"]], ["", "Question", "A", "B", "C", "D", "Answer"]
    )
    path = write(tmp_path, "cmmlu-like.csv", data)
    missing = runner.invoke(args=["import-questions", path])
    assert missing.exit_code != 0 and "分类" in missing.output
    unknown = runner.invoke(args=["import-questions", path, "--category", "不存在"])
    assert unknown.exit_code != 0 and "找不到分类" in unknown.output
    result = runner.invoke(args=["import-questions", path, "--category", "业务知识"])
    assert result.exit_code == 0 and result.output == "导入 1，重复 0，跳过 0，错误 0\n"
    question = db.session.scalars(sa.select(Question)).one()
    assert db.session.get(Category, question.category_id).name == "业务知识"


def test_an_unreadable_file_is_a_clear_error(app, runner, tmp_path):
    result = runner.invoke(args=["import-questions", write(tmp_path, "x.xlsx", files.png_as_xlsx())])
    assert result.exit_code != 0 and "这不是表格文件" in result.output

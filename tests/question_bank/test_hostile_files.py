"""Issue 15: a corpus of hostile files (tests/support/hostile_files.py: zip bomb, billion laughs,
deep XML, 100,000 rows, 36,000 formulas, a 10 MB cell, broken encodings, a renamed binary) goes
through the question import page and `flask import-questions`: each is refused with a clear Chinese
message in under 2 s, nothing written; and reading one takes under 100 MB more memory (measured
in a fresh process)."""

import io
import time

import pytest
import sqlalchemy as sa

from core import clock
from core.extensions import db
from question_bank import services
from question_bank.models import Category, ImportProfile, Question
from tests.support import hostile_files

NAMES = list(hostile_files.CORPUS)
PHRASES = {
    **{name: phrase for name, (_build, _file, phrase) in hostile_files.CORPUS.items()},
    "9mb-cell-csv": "超过 5 MB",
}
_CACHE = {}


def corpus(name):
    """Each file built once per run (the 100,000-row one takes a second)."""
    if name not in _CACHE:
        _CACHE[name] = hostile_files.CORPUS[name][0]()
    return _CACHE[name]


@pytest.fixture
def admin(world, login_as):
    services.ensure_default_categories(clock.now())
    db.session.commit()
    return login_as(world["admin"])


def written():
    db.session.rollback()
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Question, Category, ImportProfile)
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_import_page_refuses_each_hostile_file_quickly_and_writes_nothing(admin, name):
    data, filename = corpus(name), hostile_files.CORPUS[name][1]
    before = written()
    started = time.perf_counter()
    response = admin.post(
        "/bank/import/",
        data={"file": (io.BytesIO(data), filename), "category_id": "1"},
        content_type="multipart/form-data",
    )
    elapsed = time.perf_counter() - started
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and PHRASES[name] in body, body[-2000:]
    assert "导入全部" not in body and "仅导入" not in body  # nothing can be imported from it
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    assert written() == before


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_refuses_each_hostile_file_without_a_traceback(admin, runner, tmp_path, name):
    path = tmp_path / hostile_files.CORPUS[name][1]
    path.write_bytes(corpus(name))
    before = written()
    started = time.perf_counter()
    result = runner.invoke(args=["import-questions", str(path), "--category", "业务知识"])
    elapsed = time.perf_counter() - started
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert PHRASES[name] in result.output, result.output[-500:]
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    assert written() == before


@pytest.mark.parametrize("name", ["zip-bomb", "deep-xml", "100000-rows", "36000-formulas", "10mb-cell"])
def test_reading_a_hostile_file_takes_under_100_mb(app, name):
    seconds, growth, message = hostile_files.peak_rss_growth(name, "questions")
    print(f"\n{name}: {seconds:.2f} s, peak RSS +{growth:.1f} MB: {message[:60]}")
    assert growth < 100 and seconds < 2.0 and message

"""E15: 200 officers autosave and submit within the same few seconds against gunicorn with two
workers (SQLite in WAL mode, and PostgreSQL), through the real API. Every answer the server
acknowledged is stored at its version, every submitted attempt is graded once, and no reply is a
5xx. The p95 of the save is printed; city-scale figures are bench/exam_load.py's and
bench/load.py's job, not this test's."""

import asyncio
import threading

import pytest

from bench import exam_load

OFFICERS, CONNECTIONS, WORKERS = 200, 32, 2


def _in_a_thread(coroutine):
    """asyncio.run in a thread of its own: after the browser tests, Playwright's sync API leaves an
    event loop running in the main thread."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("result", asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return outcome["result"]


@pytest.mark.timeout(600)
def test_two_hundred_officers_save_and_submit_together_and_nothing_is_lost(is_postgres, capsys):
    url, drop = exam_load.create_database("postgres" if is_postgres else "sqlite")
    try:
        app, exam_id = exam_load.build(url, OFFICERS)
        process, base = exam_load.serve(url, WORKERS)
        try:
            stats, elapsed, failures = _in_a_thread(exam_load.drive(base, exam_id, OFFICERS, CONNECTIONS, seed=15))
        finally:
            process.terminate()
            process.wait(20)
        problems = exam_load.audit(app, stats)
        with capsys.disabled():
            print(
                f"\nE15 ({'PostgreSQL' if is_postgres else 'SQLite'}): {len(stats.save_ms)} saves by {OFFICERS} "
                f"officers in {elapsed:.1f} s, save p95 {exam_load.percentile(stats.save_ms, 95):.0f} ms"
            )
        assert failures == []
        assert not [status for status in stats.statuses if status >= 500], stats.statuses
        assert len(stats.submitted) == OFFICERS and len(stats.acked) == OFFICERS * 20
        assert problems == []
    finally:
        if drop:
            drop()

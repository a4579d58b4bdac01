"""The job runner: once per slot (S1, S2), catch-up once (S3's mechanism), crash-safety (S6),
lock released by a killed process (S7), cron in the deployment zone (S8), no pickled state (X13)."""

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.extensions import db
from notices.models import Notice
from scheduler import jobs as job_table
from scheduler import runner
from scheduler.models import JobRun

MONDAY_0800_LOCAL = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 08:00 Asia/Shanghai


def post_notice_per_call(now):
    """A job that is NOT idempotent on purpose: it shows how often it really ran."""
    from notices import services

    user_id = db.session.scalar(sa.select(sa.text("id")).select_from(sa.text("users")).limit(1))
    services.notify([user_id], kind="test", title="Test notice", now=now)
    return {"notices": 1}


def idempotent_reminder(now):
    """Like the real jobs: reads what is due, acts once (dedupe key), reports what it did."""
    from notices import services

    user_ids = db.session.scalars(sa.select(sa.text("id")).select_from(sa.text("users"))).all()
    return {
        "reminders": services.notify(
            user_ids,
            kind="test",
            title="Test notice",
            dedupe_key=f"weekly-{clock.week_key(clock.local(now).date())}",
            now=now,
        )
    }


def crash_halfway(now):
    post_notice_per_call(now)
    db.session.flush()
    raise RuntimeError("injected failure after writing")


@pytest.fixture
def test_jobs(monkeypatch):
    jobs = (
        job_table.Job(
            "weekly",
            {"day_of_week": "mon", "hour": 8, "minute": 0},
            post_notice_per_call,
            timedelta(days=7),
            "weekly test job",
        ),
        job_table.Job("reminder", {"minute": "*"}, idempotent_reminder, timedelta(minutes=1), "minutely"),
        job_table.Job("crash", {"minute": "*"}, crash_halfway, timedelta(minutes=1), "crashes"),
    )
    monkeypatch.setattr(job_table, "JOBS", jobs)
    return {job.name: job for job in jobs}


def runs(job=None, outcome=None):
    db.session.rollback()
    query = sa.select(JobRun)
    if job:
        query = query.where(JobRun.job == job)
    if outcome:
        query = query.where(JobRun.outcome == outcome)
    return db.session.scalars(query.order_by(JobRun.id)).all()


def notices():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notice))


def test_cron_times_are_in_the_deployment_zone(app, test_jobs):
    """S8: Monday 08:00 Asia/Shanghai is Monday 00:00 UTC; stored times are aware UTC."""
    slot = runner.latest_slot(test_jobs["weekly"], MONDAY_0800_LOCAL + timedelta(hours=30))
    assert slot == MONDAY_0800_LOCAL
    assert runner.latest_slot(test_jobs["weekly"], MONDAY_0800_LOCAL - timedelta(seconds=1)) < MONDAY_0800_LOCAL
    assert runner.slot_key(slot) == "2026-11-23T08:00+0800"


def test_a_slot_runs_once_and_is_recorded(world, test_jobs):
    at = MONDAY_0800_LOCAL + timedelta(minutes=5)
    first = runner.run_job("weekly", at, trigger="cli")
    second = runner.run_job("weekly", at + timedelta(hours=2), trigger="cli")
    assert (first.outcome, second.outcome) == ("ok", "done")
    assert notices() == 1
    (run,) = runs("weekly")
    assert run.counts == {"notices": 1} and run.slot == "2026-11-23T08:00+0800" and run.finished_at >= run.started_at


def test_running_an_idempotent_job_again_changes_nothing_and_logs_zero(world, test_jobs):
    """S2: the second run (next slot) finds nothing to do and says so in job_runs."""
    at = MONDAY_0800_LOCAL
    runner.run_job("reminder", at, trigger="cli")
    count = notices()
    runner.run_job("reminder", at + timedelta(minutes=1), trigger="cli")
    assert notices() == count
    assert [r.counts["reminders"] for r in runs("reminder")] == [count, 0]


def test_concurrent_runners_of_one_slot_run_it_once(app, world, test_jobs):
    """S1: two threads with their own sessions race for the same slot; the work is done once."""
    barrier = threading.Barrier(2)
    results = []

    def race():
        with app.app_context():
            barrier.wait()
            results.append(runner.run_job("weekly", MONDAY_0800_LOCAL, trigger="schedule"))
            db.session.remove()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(r.outcome for r in results) in (["done", "ok"], ["busy", "ok"])
    assert notices() == 1 and len(runs("weekly", "ok")) == 1


def test_catch_up_runs_a_job_once_for_its_latest_slot_not_once_per_missed_slot(world, test_jobs):
    three_weeks_later = MONDAY_0800_LOCAL + timedelta(weeks=3, hours=1)
    results = runner.run_due(three_weeks_later, trigger="catch-up")
    weekly = [r for r in results if r.job == "weekly"]
    assert len(weekly) == 1 and weekly[0].slot == "2026-12-14T08:00+0800"
    again = runner.run_due(three_weeks_later, trigger="catch-up")
    assert [r.job for r in again] == ["crash"]  # only the failed job is still due: it retries


def test_a_crash_halfway_writes_nothing_and_the_next_tick_retries(world, test_jobs):
    """S6: the failed run is rolled back whole and recorded; a retry of the slot is allowed."""
    result = runner.run_job("crash", MONDAY_0800_LOCAL, trigger="schedule")
    assert result.outcome == "error" and "injected failure" in result.error
    assert notices() == 0
    (failed,) = runs("crash")
    assert failed.outcome == "error" and "RuntimeError" in failed.error
    again = runner.run_job("crash", MONDAY_0800_LOCAL, trigger="schedule")
    assert again.outcome == "error" and len(runs("crash")) == 2  # retried, not "already done"


def test_cli_run_due_jobs_at_a_time(app, world, test_jobs):
    result = app.test_cli_runner().invoke(args=["run-due-jobs", "--at", "2026-11-23T08:00:30"])
    assert "weekly [2026-11-23T08:00+0800]: notices 1" in result.output
    assert "crash" in result.output and result.exit_code == 1  # an error makes the command fail
    run = runs("weekly")[0]
    assert run.started_at == datetime(2026, 11, 23, 0, 0, 30, tzinfo=UTC)  # the simulated time


@pytest.mark.postgres_only
def test_a_killed_lock_holder_does_not_block_the_next_run(app, world, test_jobs, database_url, is_postgres):
    """S7: the advisory lock is transaction-scoped; a SIGKILLed holder releases it."""
    if not is_postgres:
        pytest.skip("PostgreSQL advisory locks")
    lock = f"SELECT pg_try_advisory_xact_lock({runner._lock_key('weekly')})"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sqlalchemy as sa, sys, time\n"
                f"engine = sa.create_engine({database_url!r})\n"
                "conn = engine.connect()\n"
                f"assert conn.execute(sa.text({lock!r})).scalar()\n"
                "print('locked', flush=True)\n"
                "time.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert runner.run_job("weekly", MONDAY_0800_LOCAL, trigger="schedule").outcome == "busy"
        holder.kill()
        holder.wait(10)
        deadline = time.monotonic() + 10
        while True:
            result = runner.run_job("weekly", MONDAY_0800_LOCAL, trigger="schedule")
            if result.outcome != "busy" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert result.outcome == "ok"
    finally:
        holder.kill()


def test_the_scheduler_keeps_its_jobs_in_memory_never_pickled(app):
    """X13: the job store is in memory; no table holds pickled job state."""
    from apscheduler.jobstores.memory import MemoryJobStore

    from scheduler.process import build_scheduler

    scheduler = build_scheduler(app)
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            assert not isinstance(column.type, sa.PickleType), f"{table.name}.{column.name}"
    assert "apscheduler_jobs" not in sa.inspect(db.engine).get_table_names()

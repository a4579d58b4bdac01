"""Run a job once per slot, whoever else tries: the one place jobs are committed and recorded.

A run is one transaction: take the job's lock (PostgreSQL: a transaction-scoped advisory lock,
released even if the process dies; SQLite: the write lock of BEGIN IMMEDIATE), skip if the slot
already has a successful run, call the service, record the run, commit. A failure rolls the whole
run back (nothing half-done) and is recorded in a transaction of its own; the next tick retries.
"""

import logging
import os
import socket
import time
import traceback
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import OperationalError

from core import clock
from core.extensions import db
from scheduler import jobs as job_table
from scheduler.models import JobRun

log = logging.getLogger("yingzhi.scheduler")
RUNNER = f"{socket.gethostname()}:{os.getpid()}"
_EPSILON = timedelta(seconds=1)


@dataclass
class RunResult:
    job: str
    slot: str
    outcome: str  # ok, error, done (slot already ran), busy (another runner holds the job)
    counts: dict = field(default_factory=dict)
    error: str | None = None

    def summary(self) -> str:
        detail = ", ".join(f"{k} {v}" for k, v in self.counts.items()) or "nothing to do"
        if self.outcome == "ok":
            return f"{self.job} [{self.slot}]: {detail}"
        if self.outcome == "error":
            return f"{self.job} [{self.slot}]: ERROR {self.error}"
        return f"{self.job} [{self.slot}]: {'already done' if self.outcome == 'done' else 'running elsewhere'}"


def trigger_for(job) -> CronTrigger:
    return CronTrigger(timezone=clock.zone(), **job.cron)


def latest_slot(job, at: datetime) -> datetime | None:
    """The last fire time of `job` at or before `at` (None if it never fired in the window)."""
    trigger = trigger_for(job)
    fire = trigger.get_next_fire_time(None, at - job.every - job.every)
    latest = None
    while fire is not None and fire <= at:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + _EPSILON)
    return latest


def next_fire_time(job, after: datetime) -> datetime | None:
    return trigger_for(job).get_next_fire_time(None, after)


def slot_key(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%dT%H:%M%z")


def _lock_key(name: str) -> int:
    return zlib.crc32(f"yingzhi-job:{name}".encode()) - 2**31  # a signed 32-bit advisory lock id


def _take_lock(name: str) -> bool:
    if db.engine.dialect.name == "postgresql":
        return bool(db.session.scalar(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _lock_key(name)}))
    db.session.execute(sa.text("SELECT 1"))  # SQLite: starts the BEGIN IMMEDIATE transaction, the write lock
    return True


def _already_ran(name: str, slot: str) -> bool:
    query = sa.select(JobRun.id).where(JobRun.job == name, JobRun.slot == slot, JobRun.outcome == "ok")
    return db.session.scalar(query.limit(1)) is not None


def run_job(name: str, at: datetime, *, trigger: str, slot: str | None = None) -> RunResult:
    """Run job `name` as of `at` for `slot` (default: its latest fire time at or before `at`)."""
    job = job_table.job_named(name)
    if slot is None:
        latest = latest_slot(job, at)
        slot = slot_key(latest if latest is not None else at)
    started, began = clock.now(), time.perf_counter()
    try:
        if not _take_lock(name):
            db.session.rollback()
            return RunResult(name, slot, "busy")
        if _already_ran(name, slot):
            db.session.rollback()
            return RunResult(name, slot, "done")
        counts = _as_counts(job.func(at))
        db.session.add(
            JobRun(
                job=name,
                slot=slot,
                trigger=trigger,
                runner=RUNNER,
                started_at=started,
                finished_at=started + _elapsed(began),
                outcome="ok",
                counts=counts,
            )
        )
        db.session.commit()
        log.info("job %s slot %s: %s", name, slot, counts)
        return RunResult(name, slot, "ok", counts)
    except OperationalError as error:
        db.session.rollback()
        if "locked" in str(error).lower():  # SQLite: another runner kept the write lock past busy_timeout
            return RunResult(name, slot, "busy")
        return _record_failure(name, slot, trigger, started, began, error)
    except Exception as error:  # a job must never take the scheduler down; the failure is recorded
        db.session.rollback()
        return _record_failure(name, slot, trigger, started, began, error)


def _record_failure(name, slot, trigger, started, began, error) -> RunResult:
    log.exception("job %s slot %s failed", name, slot)
    message = f"{type(error).__name__}: {error}"
    db.session.add(
        JobRun(
            job=name,
            slot=slot,
            trigger=trigger,
            runner=RUNNER,
            started_at=started,
            finished_at=started + _elapsed(began),
            outcome="error",
            counts={},
            error=message + "\n" + traceback.format_exc(limit=8),
        )
    )
    db.session.commit()
    return RunResult(name, slot, "error", error=message)


def run_due(at: datetime, *, trigger: str) -> list[RunResult]:
    """Run, in table order, every job whose latest slot at `at` has no successful run yet.

    Used on start (catch-up: a job that missed several slots while nothing ran runs once, for
    its latest slot) and by `flask run-due-jobs --at`.
    """
    results = []
    for job in job_table.JOBS:
        latest = latest_slot(job, at)
        if latest is None:
            continue
        slot = slot_key(latest)
        if _already_ran(job.name, slot):
            db.session.rollback()
            continue
        db.session.rollback()
        results.append(run_job(job.name, at, trigger=trigger, slot=slot))
    return results


def _as_counts(result) -> dict:
    """Services return a dict of counts, or one number (the items they handled)."""
    if isinstance(result, dict):
        return result
    return {"items": int(result or 0)}


def _elapsed(began: float) -> timedelta:
    return timedelta(seconds=time.perf_counter() - began)

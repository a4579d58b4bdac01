"""Is a scheduler running? Each scheduler process writes its last tick to one row of its own
(`host:pid`) when it starts and whenever it runs its jobs, at most every BEAT_EVERY; cron's
`flask run-due-jobs` writes `host:run-due-jobs`. The jobs page reads the latest row and warns
when it is older than STALE_AFTER (jobs fire every minute, so a living scheduler is never that
quiet). One small UPDATE a minute: cheap on either database."""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db
from scheduler.models import SchedulerHeartbeat

log = logging.getLogger("yingzhi.scheduler")
BEAT_EVERY = timedelta(seconds=20)
STALE_AFTER = timedelta(minutes=2)
KEEP = timedelta(days=30)

_lock = threading.Lock()
_last: dict[str, datetime] = {}  # runner -> last beat written by this process


def beat(runner: str, now: datetime, *, force: bool = False) -> bool:
    """Record that `runner` ticked at `now`, in a transaction of its own (call it between job
    runs, never inside one). Skipped when this process wrote less than BEAT_EVERY ago, unless
    `force`. Never raises: a scheduler must not stop over its heartbeat. Returns whether written."""
    with _lock:
        last = _last.get(runner)
        if not force and last is not None and timedelta(0) <= now - last < BEAT_EVERY:
            return False
        try:
            updated = db.session.execute(
                sa.update(SchedulerHeartbeat).where(SchedulerHeartbeat.runner == runner).values(beat_at=now)
            ).rowcount
            if not updated:
                db.session.add(SchedulerHeartbeat(runner=runner, started_at=now, beat_at=now))
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("could not record the scheduler heartbeat")
            return False
        _last[runner] = now
        return True


@dataclass
class Heartbeat:
    latest: SchedulerHeartbeat | None
    alive: list  # runners that ticked within STALE_AFTER
    age: timedelta | None  # since the latest tick

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > STALE_AFTER


def read(now: datetime) -> Heartbeat:
    """The latest tick of any scheduler, and which runners are alive at `now`."""
    rows = db.session.scalars(sa.select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.beat_at.desc()).limit(10)).all()
    latest = rows[0] if rows else None
    alive = [row for row in rows if now - row.beat_at <= STALE_AFTER]
    return Heartbeat(latest, alive, now - latest.beat_at if latest else None)


def prune(now: datetime) -> int:
    """Forget runners silent for KEEP (each restart of the scheduler is a new host:pid)."""
    result = db.session.execute(sa.delete(SchedulerHeartbeat).where(SchedulerHeartbeat.beat_at < now - KEEP))
    return result.rowcount or 0

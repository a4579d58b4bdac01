"""Job history: one row per run of a scheduled job, with its outcome and counts; and the scheduler
process's heartbeat."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class JobRun(db.Model):
    """A run of a job for a slot (the fire time it served, or 'manual:…').

    At most one successful run per (job, slot): a partial unique index, so a second scheduler
    process that reaches the same slot finds it done. Failed runs are kept for the admin page and
    do not block a retry.
    """

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.Index(
            "uq_job_runs_ok_slot",
            "job",
            "slot",
            unique=True,
            postgresql_where=sa.text("outcome = 'ok'"),
            sqlite_where=sa.text("outcome = 'ok'"),
        ),
        sa.Index("ix_job_runs_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60))
    slot: Mapped[str] = mapped_column(sa.String(40))
    trigger: Mapped[str] = mapped_column(sa.String(20))  # schedule, catch-up, manual, cli
    runner: Mapped[str] = mapped_column(sa.String(80))  # host:pid
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(sa.String(10))  # ok, error
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)


class SchedulerHeartbeat(db.Model):
    """The last tick of each scheduler process (host:pid): written when it starts and whenever
    it runs its jobs, so the jobs page can tell whether a scheduler is running."""

    __tablename__ = "scheduler_heartbeats"

    runner: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime] = mapped_column(index=True)

"""The nightly clean-up: expired uploads, old sign-in records and remembered devices, old job
history, the heartbeats of schedulers long gone."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.devices import prune_remembered_devices
from accounts.services import prune_login_sessions
from core.extensions import db
from core.uploads import prune_expired_uploads
from quiz.prepared import discard_finished
from scheduler import heartbeat
from scheduler.models import JobRun

KEEP_JOB_HISTORY = timedelta(days=60)


def prune_job_runs(now) -> int:
    result = db.session.execute(sa.delete(JobRun).where(JobRun.started_at < now - KEEP_JOB_HISTORY))
    return result.rowcount or 0


def run_housekeeping(now) -> dict:
    """Delete what is past keeping; returns the counts per kind. Safe to run again."""
    return {
        "uploads": prune_expired_uploads(now),
        "login_sessions": prune_login_sessions(now),
        "remembered_devices": prune_remembered_devices(now),
        "job_runs": prune_job_runs(now),
        "heartbeats": heartbeat.prune(now),
        "prepared_papers": discard_finished(now),
    }

"""The scheduler process: one BlockingScheduler built from scheduler/jobs.py.

Used only by `flask scheduler`. In-memory job store (jobs are defined in code; nothing pickled in
the database). On start it catches up: every job whose latest slot has no successful run runs
once. Each fire pushes an app context and hands over to scheduler.runner, then records the
process's heartbeat (scheduler.heartbeat) for the jobs page.
"""

import logging
import signal

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from core import clock
from scheduler import heartbeat, runner
from scheduler import jobs as job_table

log = logging.getLogger("yingzhi.scheduler")


def _fire(app, name):
    with app.app_context():
        result = runner.run_job(name, clock.now(), trigger="schedule")
        log.info(result.summary())
        heartbeat.beat(runner.RUNNER, clock.now())


def build_scheduler(app) -> BlockingScheduler:
    with app.app_context():
        zone = clock.zone()
        scheduler = BlockingScheduler(
            timezone=zone,
            jobstores={"default": MemoryJobStore()},  # jobs live in code, never pickled into the database
            # A late fire (busy machine) still runs, once: coalesce missed fires into one.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        for job in job_table.JOBS:
            scheduler.add_job(_fire, runner.trigger_for(job), args=[app, job.name], id=job.name, name=job.name)
    return scheduler


def run_forever(app) -> None:
    """Catch up, then run the schedule until SIGTERM/SIGINT."""
    with app.app_context():
        heartbeat.beat(runner.RUNNER, clock.now(), force=True)
        for result in runner.run_due(clock.now(), trigger="catch-up"):
            log.info("catch-up %s", result.summary())
        heartbeat.beat(runner.RUNNER, clock.now(), force=True)
    scheduler = build_scheduler(app)

    def stop(_signum, _frame):
        if scheduler.running:  # a second signal, or one before start, has nothing left to stop
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started with %d jobs", len(job_table.JOBS))
    scheduler.start()

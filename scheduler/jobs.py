"""The job table: name → when (cron fields in the deployment zone) → service. Nothing else.

Every service takes `now` and returns a dict of counts; it flushes, never commits (the runner
commits once per run), and is safe to run again: each reads what is due from our own tables.
`every` is the longest gap between two fire times, used to find the latest slot at any moment.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from scheduler.housekeeping import run_housekeeping


@dataclass(frozen=True)
class Job:
    name: str
    cron: dict
    func: Callable
    every: timedelta
    description: object


JOBS = (
    Job(
        "housekeeping",
        {"hour": 3, "minute": 30},
        run_housekeeping,
        timedelta(days=1),
        _l("Remove expired uploads, old sign-in records and old job history"),
    ),
)


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)

"""The job table: name → when (cron fields in the deployment zone) → service. Nothing else.

Every service takes `now` and returns a dict of counts (or one count); it flushes, never commits (the runner
commits once per run), and is safe to run again: each reads what is due from our own tables.
`every` is the longest gap between two fire times, used to find the latest slot at any moment.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from quiz.closing import close_due_exams
from quiz.publishing import publish_due_exams
from quiz.reminders import post_exam_reminders
from reports.bulletins import draft_weekly_bulletins
from reports.summaries import refresh_summaries
from scheduler.housekeeping import run_housekeeping
from study.reminders import post_checkin_reminders, post_session_reminders
from study.sessions import close_due_sessions
from study.warnings import issue_warnings


@dataclass(frozen=True)
class Job:
    name: str
    cron: dict
    func: Callable
    every: timedelta
    description: object


MINUTE, HOUR, DAY, WEEK = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(weeks=1)

# fmt: off
JOBS = (
    Job("publish_exams", {"minute": "*"}, publish_due_exams, MINUTE,
        _l("Publish the exams of recurring test templates whose period has opened")),
    Job("close_exams", {"minute": "*"}, close_due_exams, MINUTE,
        _l("Close exams past their closing time: grade what was saved, mark absentees, flag failures, open retakes")),
    Job("exam_reminders", {"minute": "*/5"}, post_exam_reminders, 5 * MINUTE,
        _l("Tell officers a test is open, and remind those who have not taken one closing within 24 hours")),
    Job("close_sessions", {"minute": "*"}, close_due_sessions, MINUTE,
        _l("Fix the expected list of started study sessions; mark absentees of ended ones")),
    Job("session_reminders", {"minute": 10}, post_session_reminders, HOUR,
        _l("Remind officers of study sessions that start tomorrow")),
    Job("checkin_reminders", {"hour": 8, "minute": 30}, post_checkin_reminders, DAY,
        _l("Remind officers who did not check in yesterday")),
    Job("study_warnings", {"hour": 7, "minute": 0}, issue_warnings, DAY,
        _l("Warn officers absent from sessions in a row or far below the study target")),
    Job("refresh_reports", {"minute": "*/5"}, refresh_summaries, 5 * MINUTE,
        _l("Bring the report summaries up to date with what changed since the last run")),
    Job("weekly_bulletins", {"day_of_week": "mon", "hour": 7, "minute": 30}, draft_weekly_bulletins, WEEK,
        _l("Draft last week's bulletin for the city and each district, for a supervisor to publish")),
    Job("housekeeping", {"hour": 3, "minute": 30}, run_housekeeping, DAY,
        _l("Remove expired uploads, old sign-in records and old job history")),
)
# fmt: on


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)

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
from quiz.prepared import prepare_papers
from quiz.reminders import post_exam_reminders
from quiz.schedule import publish_due_exams
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
    title: object = None  # a short name for people (the jobs page shows it, the code name beneath)


MINUTE, HOUR, DAY, WEEK = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(weeks=1)

# fmt: off
JOBS = (
    Job("publish_exams", {"minute": "*"}, publish_due_exams, MINUTE,
        _l("Publish the exams of recurring test templates whose period has opened; hold those found too late"),
        title=_l("Publish scheduled tests")),
    Job("prepare_papers", {"minute": "*"}, prepare_papers, MINUTE,
        _l("Draw the papers of published tests ahead of the start, a batch a minute, so that starting is quick"),
        title=_l("Prepare test papers")),
    Job("close_exams", {"minute": "*"}, close_due_exams, MINUTE,
        _l("Close each officer whose window is over: grade, mark absentees, flag failures, put them in the retake"),
        title=_l("Close tests and grade")),
    Job("exam_reminders", {"minute": "*/5"}, post_exam_reminders, 5 * MINUTE,
        _l("Tell officers a test is open, and remind those who have not taken one closing within 24 hours"),
        title=_l("Test reminders")),
    Job("close_sessions", {"minute": "*"}, close_due_sessions, MINUTE,
        _l("Fix the expected list of started study sessions; mark absentees of ended ones"),
        title=_l("Settle session attendance")),
    Job("session_reminders", {"minute": 10}, post_session_reminders, HOUR,
        _l("Remind officers of study sessions that start tomorrow"),
        title=_l("Session reminders")),
    Job("checkin_reminders", {"hour": 8, "minute": 30}, post_checkin_reminders, DAY,
        _l("Remind officers who did not check in yesterday"),
        title=_l("Check-in reminders")),
    Job("study_warnings", {"hour": 7, "minute": 0}, issue_warnings, DAY,
        _l("Warn officers absent from sessions in a row or far below the study target"),
        title=_l("Study warnings")),
    Job("refresh_reports", {"minute": "*/5"}, refresh_summaries, 5 * MINUTE,
        _l("Bring the report summaries up to date with what changed since the last run"),
        title=_l("Refresh report figures")),
    Job("weekly_bulletins", {"day_of_week": "mon", "hour": 7, "minute": 30}, draft_weekly_bulletins, WEEK,
        _l("Draft last week's bulletin for the city and each district, for a supervisor to publish"),
        title=_l("Draft weekly bulletins")),
    Job("housekeeping", {"hour": 3, "minute": 30}, run_housekeeping, DAY,
        _l("Remove expired uploads, old sign-in records and old job history"),
        title=_l("Housekeeping")),
)
# fmt: on


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)

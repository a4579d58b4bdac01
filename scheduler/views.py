"""Admin page for scheduled jobs: what runs when, recent history with errors, and "run now"."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from accounts.access import admin_required
from accounts.forms import EmptyForm
from core import clock
from core.extensions import db
from scheduler import jobs as job_table
from scheduler import runner
from scheduler.models import JobRun

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


@bp.get("/")
@admin_required
def index():
    now = clock.now()
    last_runs = {
        run.job: run
        for run in db.session.scalars(
            sa.select(JobRun).where(JobRun.id.in_(sa.select(sa.func.max(JobRun.id)).group_by(JobRun.job)))
        )
    }
    table = [
        {"job": job, "next": runner.next_fire_time(job, now), "last": last_runs.get(job.name)} for job in job_table.JOBS
    ]
    history = db.session.scalars(sa.select(JobRun).order_by(JobRun.id.desc()).limit(50)).all()
    return render_template("scheduler/jobs.html", table=table, history=history, form=EmptyForm())


@bp.post("/<job_name>/run")
@admin_required
def run_now(job_name):
    """Run one job now. The runner commits: it is the edge of this request, as of a scheduled run."""
    if job_name not in {job.name for job in job_table.JOBS}:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = clock.now()
    result = runner.run_job(job_name, now, trigger="manual", slot="manual:" + runner.slot_key(now)[:16])
    if result.outcome == "ok":
        flash(_("Job %(job)s ran: %(summary)s", job=job_name, summary=_counts(result.counts)), "success")
    elif result.outcome == "error":
        flash(_("Job %(job)s failed: %(error)s", job=job_name, error=result.error), "error")
    else:
        flash(_("Job %(job)s is already running or just ran; try again in a minute.", job=job_name), "info")
    return redirect(url_for("jobs.index"))


def _counts(counts: dict) -> str:
    return "，".join(f"{key} {value}" for key, value in counts.items()) or _("nothing to do")

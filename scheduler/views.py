"""Admin page for scheduled jobs: whether the scheduler is ticking, what runs when, recent history
with errors, "run now", and the tests the scheduler held because it found them too late (publish
with a new window, or let go)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.access import admin_required
from accounts.forms import EmptyForm
from core import clock
from core.errors import DomainError
from core.extensions import db
from quiz import schedule
from quiz.forms import PublishForm
from quiz.recurrence import period_title
from scheduler import heartbeat, runner
from scheduler import jobs as job_table
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
    missed = []
    for item in schedule.missed_periods():
        opens_at, closes_at = schedule.default_new_window(item, now)
        form = PublishForm(prefix=f"missed{item.id}")
        form.opens_at.data = clock.local(opens_at).replace(tzinfo=None)
        form.closes_at.data = clock.local(closes_at).replace(tzinfo=None)
        missed.append({"item": item, "title": period_title(item.template, item.period_key), "form": form})
    return render_template(
        "scheduler/jobs.html",
        table=table,
        history=history,
        missed=missed,
        titles={job.name: job.title or job.name for job in job_table.JOBS},
        heartbeat=heartbeat.read(now),
        stale_minutes=int(heartbeat.STALE_AFTER.total_seconds() // 60),
        form=EmptyForm(),
    )


@bp.post("/missed/<int:missed_id>/publish")
@admin_required
def publish_missed(missed_id):
    """Publish a held test with the window the admin chose."""
    item = schedule.get_missed(missed_id)
    form = PublishForm(prefix=f"missed{item.id}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("jobs.index"))
    try:
        exam = schedule.publish_missed(
            current_user,
            item,
            opens_at=clock.parse_local(form.opens_at.data.isoformat()),
            closes_at=clock.parse_local(form.closes_at.data.isoformat()),
            now=clock.now(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("jobs.index"))
    db.session.commit()
    flash(_("Published: %(title)s.", title=exam.title), "success")
    return redirect(url_for("jobs.index"))


@bp.post("/missed/<int:missed_id>/dismiss")
@admin_required
def dismiss_missed(missed_id):
    """Let a held test go: nobody is assigned or marked absent for it."""
    item = schedule.get_missed(missed_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        schedule.dismiss_missed(current_user, item, clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("jobs.index"))
    db.session.commit()
    flash(_("%(title)s will not be published.", title=period_title(item.template, item.period_key)), "info")
    return redirect(url_for("jobs.index"))


@bp.post("/<job_name>/run")
@admin_required
def run_now(job_name):
    """Run one job now. The runner commits: it is the edge of this request, as of a scheduled run."""
    if job_name not in {job.name for job in job_table.JOBS}:
        abort(404)
    title = job_table.job_named(job_name).title or job_name
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = clock.now()
    result = runner.run_job(job_name, now, trigger="manual", slot="manual:" + runner.slot_key(now)[:16])
    if result.outcome == "ok":
        flash(_("Job %(job)s ran: %(summary)s", job=title, summary=_counts(result.counts)), "success")
    elif result.outcome == "error":
        flash(_("Job %(job)s failed: %(error)s", job=title, error=result.error), "error")
    else:
        flash(_("Job %(job)s is already running or just ran; try again in a minute.", job=title), "info")
    return redirect(url_for("jobs.index"))


def _counts(counts: dict) -> str:
    return "，".join(f"{key} {value}" for key, value in counts.items()) or _("nothing to do")

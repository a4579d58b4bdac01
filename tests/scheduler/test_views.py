"""The admin jobs page: the table of jobs with next run times, history, and "run now"."""

import sqlalchemy as sa

from core.extensions import db
from scheduler.models import JobRun


def test_admin_sees_jobs_and_can_run_one_now(world, login_as):
    admin = login_as(world["admin"])
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert "housekeeping" in page and "计划任务" in page
    response = admin.post("/admin/jobs/housekeeping/run", follow_redirects=True)
    assert "已运行" in response.get_data(as_text=True)
    run = db.session.scalars(sa.select(JobRun)).one()
    assert (run.job, run.trigger, run.outcome) == ("housekeeping", "manual", "ok")
    assert "run now" not in admin.get("/admin/jobs/").get_data(as_text=True)  # shown in Chinese
    assert "立即运行" in admin.get("/admin/jobs/").get_data(as_text=True)


def test_unknown_job_is_404(world, login_as):
    assert login_as(world["admin"]).post("/admin/jobs/nope/run").status_code == 404


def test_supervisors_cannot_see_or_run_jobs(world, login_as):
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.get("/admin/jobs/").status_code == 403
    assert supervisor.post("/admin/jobs/housekeeping/run").status_code == 403

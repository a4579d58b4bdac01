"""The jobs page says whether a scheduler is running: each scheduler process records its last tick
when it starts and when it runs its jobs (cron's run-due-jobs too), and the page warns once the
latest tick is older than two minutes. Jobs are named in Chinese, their code beneath."""

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from core.extensions import db
from scheduler import heartbeat, housekeeping, process, runner
from scheduler.models import SchedulerHeartbeat
from tests.scheduler.test_processes import FLASK, env_for, start, stop

NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def beats():
    db.session.rollback()
    return {row.runner: row.beat_at for row in db.session.scalars(sa.select(SchedulerHeartbeat))}


def test_each_fire_of_the_scheduler_records_its_tick_at_most_every_20_seconds(app, frozen_clock):
    frozen_clock.set(NOON)
    heartbeat._last.clear()
    process._fire(app, "housekeeping")
    assert beats() == {runner.RUNNER: NOON}
    frozen_clock.advance(timedelta(seconds=5))
    process._fire(app, "close_sessions")  # three jobs fire each minute: one write is enough
    assert beats() == {runner.RUNNER: NOON}
    frozen_clock.advance(timedelta(seconds=60))
    process._fire(app, "close_sessions")
    assert beats() == {runner.RUNNER: NOON + timedelta(seconds=65)}


def test_cron_s_run_due_jobs_ticks_as_its_host(app, frozen_clock):
    cli = app.test_cli_runner()
    frozen_clock.set(NOON)
    result = cli.invoke(args=["run-due-jobs"])
    assert result.exit_code == 0, result.output
    assert [name.endswith(":run-due-jobs") for name in beats()] == [True]
    cli.invoke(args=["run-due-jobs", "--at", "2026-11-23T13:00"])  # a simulated time is no tick
    assert list(beats().values()) == [NOON]


def test_the_jobs_page_shows_the_heartbeat_and_warns_after_two_minutes(world, login_as, frozen_clock):
    frozen_clock.set(NOON)
    admin = login_as(world["admin"])
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert 'data-heartbeat="stale"' in page and "尚无调度进程运行" in page
    heartbeat.beat("host-a:101", NOON, force=True)
    frozen_clock.set(NOON + timedelta(seconds=100))
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert 'data-heartbeat="alive"' in page
    assert "调度进程最后一次运行于 12:00:00（100 秒前），进程：host-a:101。" in page
    frozen_clock.set(NOON + timedelta(minutes=2, seconds=1))
    page = login_as(world["admin"]).get("/admin/jobs/").get_data(as_text=True)
    assert 'data-heartbeat="stale"' in page and "已过去 2 分钟" in page and "似乎已停止" in page
    heartbeat.beat("host-b:202", NOON + timedelta(minutes=2), force=True)
    heartbeat.beat("host-a:101", NOON + timedelta(minutes=2), force=True)
    page = login_as(world["admin"]).get("/admin/jobs/").get_data(as_text=True)
    assert 'data-heartbeat="alive"' in page and "当前有 2 个调度进程在运行" in page


def test_jobs_have_chinese_names_with_their_code_beneath(world, login_as):
    page = login_as(world["admin"]).get("/admin/jobs/").get_data(as_text=True)
    assert "<strong>自动发布测试</strong> <code>publish_exams</code>" in page
    assert "<strong>清理过期数据</strong> <code>housekeeping</code>" in page
    response = login_as(world["admin"]).post("/admin/jobs/housekeeping/run", follow_redirects=True)
    assert "任务 清理过期数据 已运行" in response.get_data(as_text=True)


def test_housekeeping_forgets_schedulers_gone_for_a_month(app):
    heartbeat.beat("old:1", NOON - timedelta(days=31), force=True)
    heartbeat.beat("new:2", NOON - timedelta(days=1), force=True)
    assert housekeeping.run_housekeeping(NOON)["heartbeats"] == 1
    db.session.commit()
    assert list(beats()) == ["new:2"]


def test_the_scheduler_process_ticks_as_soon_as_it_starts(app, database_url):
    child = start([*FLASK, "scheduler"], env_for(database_url))
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not beats():
            time.sleep(0.3)
    finally:
        output = stop(child)
    (name,) = beats()
    assert name.endswith(f":{child.pid}"), output

"""The scheduler as processes: `flask scheduler` is the one runner (S4), the web app never runs
jobs even under the reloader, and two scheduler processes started together still run each job
once per slot (PostgreSQL)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.extensions import db
from scheduler.jobs import JOBS
from scheduler.models import JobRun

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def env_for(database_url, **extra):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "process-test",
            "YINGZHI_CONFIG": "development",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def start(command, env):
    """`command` as a terminal or a supervisor starts it: SIGINT at its default. A suite run in the
    background (`nohup … &`) hands its children SIGINT ignored, and bash cannot trap a signal
    ignored at entry, so bin/serve would never see a SIGINT a test sends it."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 (no threads started yet)
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    return process.stdout.read()


def wait_for_runs(count, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        runs = db.session.scalars(sa.select(JobRun)).all()
        if len(runs) >= count:
            return runs
        time.sleep(0.3)
    return db.session.scalars(sa.select(JobRun)).all()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def catch_up_runs():
    db.session.rollback()
    return db.session.scalars(sa.select(JobRun).where(JobRun.trigger == "catch-up")).all()


def test_flask_scheduler_catches_up_once_then_keeps_running(app, database_url):
    """S4: `flask scheduler` starts one scheduler, which first runs every job once for its latest
    slot (catch-up), then keeps running."""
    process = start([*FLASK, "scheduler"], env_for(database_url))
    try:
        wait_for_runs(len(JOBS))
        time.sleep(1.5)
        assert process.poll() is None, "the scheduler should keep running"
    finally:
        output = stop(process)
    runs = catch_up_runs()
    assert sorted(r.job for r in runs) == sorted(job.name for job in JOBS), output
    assert all(r.outcome == "ok" and r.runner.endswith(f":{process.pid}") for r in runs), output
    assert "scheduler started" in output


def test_the_development_server_with_reloader_has_exactly_one_scheduler(app, database_url):
    """S4: bin/serve (what bin/demo runs) under Flask's reloader: web requests work, and job
    history shows one runner only."""
    port = free_port()
    process = start(
        ["bin/serve"],
        env_for(database_url, FLASK=str(Path(sys.executable).with_name("flask")), PORT=str(port), FLASK_DEBUG="1"),
    )
    try:
        deadline = time.monotonic() + 40
        status = None
        while time.monotonic() < deadline and status != 200:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status
            except OSError:
                time.sleep(0.3)
        wait_for_runs(len(JOBS))
        time.sleep(2)
    finally:
        output = stop(process)
    assert status == 200, output
    runs = catch_up_runs()
    assert len({r.runner for r in runs}) == 1, output
    assert sorted(r.job for r in runs) == sorted(job.name for job in JOBS), output


def test_two_scheduler_processes_started_together_run_each_slot_once(app, database_url, is_postgres):
    """Two schedulers against one PostgreSQL database: each job's slot is run and recorded once."""
    if not is_postgres:
        pytest.skip("multi-process locking is shown on PostgreSQL")
    env = env_for(database_url)
    first, second = start([*FLASK, "scheduler"], env), start([*FLASK, "scheduler"], env)
    try:
        wait_for_runs(len(JOBS))
        time.sleep(3)  # give the second process every chance to run them again
    finally:
        outputs = stop(first) + stop(second)
    runs = catch_up_runs()
    assert sorted(r.job for r in runs) == sorted(job.name for job in JOBS), outputs  # each once
    assert {r.runner.rsplit(":", 1)[1] for r in runs} <= {str(first.pid), str(second.pid)}

"""`flask scheduler` (the one scheduler process) and `flask run-due-jobs [--at TIME]`."""

import logging
import socket

import click
from flask import current_app
from flask.cli import with_appcontext

from core import clock
from scheduler import heartbeat, process, runner


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the job scheduler in the foreground (one such process per deployment)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    process.run_forever(current_app._get_current_object())


@click.command("run-due-jobs")
@click.option("--at", "at_text", default=None, help="ISO-8601 time to run as (default now); no offset = local zone.")
@with_appcontext
def run_due_jobs_command(at_text):
    """Run every job due at that time once, and print what each did (for cron, operators and tests)."""
    at = clock.parse_local(at_text) if at_text else clock.now()
    if at_text:
        clock.freeze(at)  # everything the jobs stamp reads the simulated time
    try:
        results = runner.run_due(at, trigger="cli")
        if not at_text:  # a real tick (cron), not a simulated time
            heartbeat.beat(f"{socket.gethostname()}:run-due-jobs", at, force=True)
    finally:
        if at_text:
            clock.freeze(None)
    if not results:
        click.echo(f"{clock.local(at).isoformat()}: no job due")
    for result in results:
        click.echo(result.summary())
    if any(r.outcome == "error" for r in results):
        raise SystemExit(1)


COMMANDS = (scheduler_command, run_due_jobs_command)

"""CLI: close-sessions (mark absentees of ended sessions) and study-warnings."""

import click
from flask.cli import with_appcontext

from core import clock
from core.extensions import db
from study import sessions, warnings


def _at(value):
    return clock.parse_local(value) if value else clock.now()


@click.command("close-sessions")
@click.option("--at", "at", help="Act as if it were this time (ISO 8601; local time without an offset).")
@with_appcontext
def close_sessions_command(at):
    """Fix the expected list of started sessions and mark the absentees of ended ones."""
    closed = sessions.close_due_sessions(_at(at))
    db.session.commit()
    click.echo(f"sessions closed: {closed}")


@click.command("study-warnings")
@click.option("--at", "at", help="Act as if it were this time (ISO 8601; local time without an offset).")
@with_appcontext
def study_warnings_command(at):
    """Warn officers absent from sessions in a row or far below the week's study target."""
    issued = warnings.issue_warnings(_at(at))
    db.session.commit()
    click.echo(f"warnings issued: {issued}")


COMMANDS = (close_sessions_command, study_warnings_command)

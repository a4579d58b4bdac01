"""CLI: publish-exam (a one-off exam from a template, as the system) and close-exams (what the
scheduler's close job does every minute)."""

import time

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from core import clock
from core.errors import DomainError
from core.extensions import db
from quiz import authoring
from quiz.closing import close_due_exams
from quiz.models import ExamAssignment
from quiz.prepared import prepare_all
from quiz.schedule import publish_by_hand


def _at(value):
    return clock.parse_local(value) if value else clock.now()


@click.command("publish-exam")
@click.option("--template", "template_id", type=int, required=True, help="The test template's id.")
@click.option("--opens", required=True, help="Opening time (ISO 8601; local time without an offset).")
@click.option("--closes", required=True, help="Closing time (ISO 8601; local time without an offset).")
@click.option("--title", default=None, help="The exam's title (default: the template's).")
@with_appcontext
def publish_exam_command(template_id, opens, closes, title):
    """Publish an exam from a template for every active officer of its scope (for a recurring
    template: the exam of the week or month the opening falls in, unless it is published already)."""
    try:
        template = authoring.get_template(template_id)
        exam = publish_by_hand(None, template, opens_at=_at(opens), closes_at=_at(closes), now=clock.now(), title=title)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    assigned = db.session.scalar(
        sa.select(sa.func.count()).select_from(ExamAssignment).where(ExamAssignment.exam_id == exam.id)
    )
    click.echo(f"exam {exam.id} published: {exam.title}, {assigned} officers assigned")


@click.command("close-exams")
@click.option("--at", "at", help="Act as if it were this time (ISO 8601; local time without an offset).")
@with_appcontext
def close_exams_command(at):
    """Close every due exam: grade open papers, mark absentees, flag and open retakes."""
    counts = close_due_exams(_at(at))
    db.session.commit()
    click.echo("exams closed: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none due"))


@click.command("prepare-papers")
@click.option("--batch", default=500, show_default=True, help="Papers drawn per transaction.")
@with_appcontext
def prepare_papers_command(batch):
    """Draw now every paper the prepare_papers job would draw over its next runs (after a large
    publish, before a test evening)."""
    began = time.perf_counter()
    drawn = prepare_all(clock.now(), batch)
    click.echo(f"papers prepared: {drawn} in {time.perf_counter() - began:.1f} s")


COMMANDS = (publish_exam_command, close_exams_command, prepare_papers_command)

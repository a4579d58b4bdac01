"""`flask seed-demo`: build the demo deployment, step by step, through the services."""

import random
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from accounts.models import Unit
from core import clock
from core.extensions import db
from demo.appraisal import seed_inspections
from demo.bank import seed_bank
from demo.people import DEMO_PASSWORD, seed_people
from demo.quiz import seed_quiz
from demo.reports import seed_reports
from demo.study import seed_study

HISTORY_WEEKS = 10

# Each later feature adds its step here: (label, function(now, rng, city) -> summary text).
STEPS = (
    ("question bank", seed_bank),
    ("study", seed_study),
    ("tests", seed_quiz),
    ("inspections", seed_inspections),
    ("reports", seed_reports),
)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if the database already has data.")
@with_appcontext
def seed_demo_command(if_empty):
    """Build a fictional city with people, and the demo accounts (password yingzhi2026)."""
    if current_app.config["YINGZHI_ENV"] == "production":
        raise click.ClickException("seed-demo refuses to run with the production configuration")
    if db.session.scalar(sa.select(Unit.id).limit(1)) is not None:
        if if_empty:
            click.echo("database already has data; demo not seeded")
            return
        raise click.ClickException("the database already has data; seed-demo needs an empty database")
    now = clock.now()
    rng = random.Random(2026)
    # The people joined before the ten weeks of history the later steps write (memberships count
    # nobody before their account).
    city = seed_people(now - timedelta(weeks=HISTORY_WEEKS), rng)
    db.session.commit()
    click.echo(f"people: {len(city['officers'])} officers in {len(city['districts'])} districts")
    for label, step in STEPS:
        summary = step(now, rng, city)
        db.session.commit()
        click.echo(f"{label}: {summary}")
    click.echo(f"demo accounts (password {DEMO_PASSWORD}): admin, supervisor, supervisor2, officer, officer2")


COMMANDS = (seed_demo_command,)

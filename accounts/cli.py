"""Command-line tools for people: create-user, import-users."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from accounts import importer, services
from accounts.models import Role, Unit
from core import clock
from core.errors import DomainError
from core.extensions import db


@click.command("create-user")
@click.option("--username", required=True, help="Badge or staff number (login name).")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--unit", "unit_name", required=True, help="Unit name, or its path 'A/B/C'.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OFFICER.value)
@click.option("--phone", default=None)
@click.option("--password", default=None, help="Omit to generate a one-time password.")
@with_appcontext
def create_user_command(username, full_name, unit_name, role, phone, password):
    """Create one person; prints the one-time password if one was generated."""
    unit = _find_unit(unit_name)
    try:
        user, one_time = services.create_user(
            None,
            username=username,
            full_name=full_name,
            unit=unit,
            role=Role(role),
            phone=phone,
            password=password,
            now=clock.now(),
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.full_name}, {user.role.value}) in {unit.name}")
    if one_time:
        click.echo(f"one-time password: {one_time}")


@click.command("import-users")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others have errors.")
@with_appcontext
def import_users_command(file, dry_run, valid_only):
    """Import people from an .xlsx or .csv file (警号/工号, 姓名, 单位, 角色, 手机)."""
    data = file.read_bytes()
    try:
        report = importer.parse_people(data, None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    for row in report.invalid:
        click.echo(f"row {row.number}: " + "; ".join(str(e) for e in row.errors), err=True)
    if dry_run:
        click.echo(f"checked {len(report.rows)} rows: {len(report.valid)} valid, {len(report.invalid)} with errors")
        raise SystemExit(1 if report.invalid else 0)
    if report.invalid and not valid_only:  # nothing would be written: do not read the file twice
        click.echo(f"imported 0, errors {len(report.invalid)}")
        raise SystemExit(1)
    try:
        _report, created = importer.import_people(data, None, valid_only=valid_only, now=clock.now())
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"imported {len(created)}, errors {len(report.invalid)}")
    for user, password in created:
        click.echo(f"{user.username}\t{user.full_name}\t{password}")


def _find_unit(text: str) -> Unit:
    unit, problem = importer.UnitResolver(None).find(text)
    if problem:
        raise click.ClickException(str(problem))
    return unit


COMMANDS = (create_user_command, import_users_command)

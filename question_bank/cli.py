"""Command-line tools for the question bank: import-questions, export-questions."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from accounts import audit
from core import clock
from core.errors import DomainError
from core.extensions import db
from question_bank import exporter, importer, services
from question_bank.categories import CategoryTree


def _default_category(name, create_categories, now):
    if not name:
        return None
    tree = CategoryTree()
    category, problem = tree.find(name)
    if category is None and create_categories and not tree.matches(name):
        return tree.create_path(name, now)
    if category is None:
        raise click.ClickException(str(problem))
    return category


@click.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", "category_name", default=None, help="Category (name or path 'A/B') for rows without one.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others have errors.")
@click.option("--create-categories", is_flag=True, help="Create categories named in the file that do not exist.")
@with_appcontext
def import_questions_command(file, category_name, dry_run, valid_only, create_categories):
    """Import questions from an .xlsx or .csv file; prints `imported N, duplicates D, errors E`.

    Exits non-zero when rows have errors and nothing was imported."""
    data = file.read_bytes()
    now = clock.now()
    services.ensure_categories_exist(now)
    default = _default_category(category_name, create_categories, now)
    try:
        report = importer.parse_questions(data, default_category=default, create_categories=create_categories)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    for row in report.invalid:
        click.echo(f"row {row.number}: " + "; ".join(str(e) for e in row.errors), err=True)
    if dry_run:
        db.session.rollback()
        click.echo("dry run, nothing written: " + report.summary())
        raise SystemExit(1 if report.invalid else 0)
    if report.invalid and not valid_only:
        db.session.rollback()
        click.echo(report.summary(imported=0))
        raise SystemExit(1)
    try:
        report, created = importer.import_questions(
            data, None, valid_only=valid_only, now=now, default_category=default, create_categories=create_categories
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(report.summary(imported=len(created)))
    if report.invalid and not created:
        raise SystemExit(1)


@click.command("export-questions")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--category", "category_name", default=None, help="Only this category (name or path) and its subcategories."
)
@click.option("--include-retired", is_flag=True, help="Export retired questions too.")
@with_appcontext
def export_questions_command(file, category_name, include_retired):
    """Export questions to FILE (.xlsx, or .csv by its extension) in the import template's layout."""
    category = None
    if category_name:
        category, problem = CategoryTree().find(category_name)
        if category is None:
            raise click.ClickException(str(problem))
    query = services.search_questions(category=category, status="all" if include_retired else "active")
    fmt = "csv" if file.suffix.lower() == ".csv" else "xlsx"
    rows = exporter.export_rows(query)
    file.write_bytes(exporter.write_rows(rows, fmt))
    audit.record("bank.export", detail={"format": fmt, "category": category_name, "rows": len(rows), "file": str(file)})
    db.session.commit()
    click.echo(f"exported {len(rows)} questions to {file}")


COMMANDS = (import_questions_command, export_questions_command)

"""Command-line tools for the question bank: import-questions, export-questions."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from accounts import audit
from core import clock
from core.errors import DomainError, ValidationFailed
from core.extensions import db
from question_bank import exporter, import_profiles, importer, services
from question_bank.categories import CategoryTree


def _default_category(name, create_categories, now):
    if not name:
        return None
    tree = CategoryTree()
    category, problem = tree.find(name)
    if category is None and create_categories and not tree.matches(name):
        return tree.create_path(name, now)
    if category is None:
        raise ValidationFailed(problem, field="category")
    return category


LANGUAGES = ("zh_CN", "en")
LISTED_ROWS = 500  # rows listed one by one, as on the page


def _echo_report(report) -> None:
    """What the admin would read on the page: ignored columns, each bad row and each change (the
    first LISTED_ROWS of each), the skipped subjective rows."""
    if report.unknown_headers:
        click.echo(str(_l("Columns ignored: %(cols)s", cols="、".join(report.unknown_headers))), err=True)
    for row in report.invalid[:LISTED_ROWS]:
        problems = "；".join(map(str, row.errors))
        click.echo(str(_l("Row %(row)d: %(problems)s", row=row.number, problems=problems)), err=True)
    if len(report.invalid) > LISTED_ROWS:
        click.echo(str(_l("… and %(n)d more rows with errors.", n=len(report.invalid) - LISTED_ROWS)), err=True)
    for row in report.warned[:LISTED_ROWS]:
        notes = "；".join(map(str, row.warnings))
        click.echo(str(_l("Row %(row)d (changed): %(notes)s", row=row.number, notes=notes)), err=True)
    if len(report.warned) > LISTED_ROWS:
        click.echo(str(_l("… and %(n)d more rows changed.", n=len(report.warned) - LISTED_ROWS)), err=True)
    if report.skipped:
        rows = "、".join(str(r.number) for r in report.skipped)
        click.echo(str(_l("Subjective rows skipped: %(rows)s", rows=rows)), err=True)


@click.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", "category_name", default=None, help="Category (name or path 'A/B') for rows without one.")
@click.option("--profile", "profile_name", default=None, help="An import profile saved on the import page.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others have errors.")
@click.option("--create-categories", is_flag=True, help="Create categories named in the file that do not exist.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh_CN", show_default=True, help="Language of messages.")
@with_appcontext
def import_questions_command(file, category_name, profile_name, dry_run, valid_only, create_categories, lang):
    """Import questions from a spreadsheet, text, JSON or Word file; prints one line:
    imported N, duplicates D, skipped S, errors E (in Chinese unless --lang en).

    Exits non-zero when rows have errors and nothing was imported."""
    with force_locale(lang):
        try:
            _import(file.read_bytes(), category_name, profile_name, dry_run, valid_only, create_categories)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from None


def _import(data, category_name, profile_name, dry_run, valid_only, create_categories):
    now = clock.now()
    services.ensure_categories_exist(now)
    default = _default_category(category_name, create_categories, now)
    mapping = import_profiles.profile_mapping(import_profiles.get_profile(profile_name) if profile_name else None)
    options = {"default_category": default, "create_categories": create_categories, "mapping": mapping}
    report = importer.parse_questions(data, **options)
    _echo_report(report)
    if dry_run:
        db.session.rollback()
        click.echo(str(_l("Dry run, nothing written: %(summary)s", summary=report.summary())))
        raise SystemExit(1 if report.invalid else 0)
    if report.invalid and not valid_only:
        db.session.rollback()
        click.echo(report.summary(imported=0))
        raise SystemExit(1)
    report, created = importer.import_questions(data, None, valid_only=valid_only, now=now, **options)
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

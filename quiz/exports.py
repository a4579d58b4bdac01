"""A contest's leaderboard as a spreadsheet sheet (core.exporting), ranked as its page."""

from flask_babel import lazy_gettext as _l

from core.exporting import Column, Sheet

LEADERBOARD_COLUMNS = (
    Column(_l("Rank"), lambda e: e["rank"]),
    Column(_l("Officer"), lambda e: e["assignment"].user.full_name),
    Column(_l("Number"), lambda e: e["assignment"].user.username),
    Column(_l("Unit"), lambda e: e["assignment"].unit.name),
    Column(_l("Score"), lambda e: e["score"]),
    Column(_l("Time taken"), lambda e: f"{e['seconds'] // 60}:{e['seconds'] % 60:02d}"),
    Column(_l("Seconds"), lambda e: e["seconds"]),
)


def leaderboard_sheet(entries: list[dict]) -> Sheet:
    return Sheet(_l("Leaderboard"), LEADERBOARD_COLUMNS, entries)

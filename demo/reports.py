"""Demo reports: the summaries built from the demo's tests and study, and last week's bulletins
drafted, so the board, the exam reports and the bulletins have something to show at once."""

from reports.bulletins import draft_weekly_bulletins
from reports.summaries import rebuild_all


def seed_reports(now, rng, city) -> str:
    rows = rebuild_all(now)
    drafted = draft_weekly_bulletins(now)
    return f"{rows} summary rows, {drafted} bulletin drafts for last week"

"""The report tests all read the hand-built campaign (tests/reports/campaign.py)."""

from tests.reports.campaign import campaign  # noqa: F401

"""The report tests all read the hand-built campaign (tests/reports/campaign.py)."""

import pytest

from tests.reports.campaign import build_campaign


@pytest.fixture
def campaign(world, frozen_clock):
    return build_campaign(world, frozen_clock)

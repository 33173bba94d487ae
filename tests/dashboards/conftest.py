import pytest

from tests.factories import running_campaign


@pytest.fixture
def campaign(county):
    """The 2024 calendar for the test county: work plan due 2024-10-31, monthly reports 11-30 and 12-31."""
    return running_campaign(bureau=county.bureau)


@pytest.fixture
def deadlines(campaign):
    return {d.code: d for d in campaign.deadlines.all()}

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from tests.factories import running_campaign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: the tests' today: inside the 2024 campaign's enforcement phase
TODAY = dt.date(2024, 12, 2)


@pytest.fixture
def campaign(county, time_machine):
    time_machine.move_to(dt.datetime(2024, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    return running_campaign(bureau=county.bureau)

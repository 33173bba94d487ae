import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook

from reporting import services
from reporting.selectors import matrix_organizations, submission_matrix
from tests.factories import MineFactory
from tests.hazards.xlsx import table_rows

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PLAN = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "内容")


def send(officer, deadline, at):
    s = services.submission_open(actor=officer, deadline=deadline)
    services.submission_save(actor=officer, submission=s, narrative={**PLAN, "summary": "自查", "done": "已开展"})
    return services.submission_submit(actor=officer, submission=s, now=at)


def test_matrix_shows_the_right_state_for_each_cell(county, deadlines):
    wp, sc, nov, dec, summary = (
        deadlines[c] for c in ("work_plan", "self_check_lists", "monthly_2024_11", "monthly_2024_12", "summary")
    )
    approved = send(county.mine1_officer, wp, dt.datetime(2024, 10, 30, tzinfo=SHANGHAI))
    services.submission_approve(actor=county.inspector, submission=approved)
    send(county.mine2_officer, wp, dt.datetime(2024, 11, 2, tzinfo=SHANGHAI))  # late
    send(county.ent1_officer, wp, dt.datetime(2024, 10, 31, 12, tzinfo=SHANGHAI))  # on time, waiting
    returned = send(county.mine1_officer, sc, dt.datetime(2024, 11, 25, tzinfo=SHANGHAI))
    services.submission_return(actor=county.inspector, submission=returned, reason="补充")
    services.submission_open(actor=county.mine2_officer, deadline=nov)  # a draft: not sent, but not nothing

    today = dt.date(2024, 11, 27)
    orgs = list(matrix_organizations(user=county.inspector))
    rows = submission_matrix(deadlines=[wp, sc, nov, dec, summary], organizations=orgs, today=today)
    states = {r["organization"].name: [c["state"] for c in r["cells"]] for r in rows}
    assert states["东峰煤矿"] == ["approved", "returned", "due_soon", "not_due", "not_due"]
    assert states["西岭煤矿"] == ["late", "missing", "draft", "not_due", "not_due"]  # a draft shows as one
    assert states["北坡煤矿"] == ["missing", "missing", "due_soon", "not_due", "not_due"]
    assert states["晋阳煤业集团"] == ["submitted", "not_owed", "due_soon", "not_due", "not_due"]
    assert "外县煤矿" not in states


def test_matrix_page_for_bureau_and_enterprise(client, county, deadlines):
    with time_machine.travel(dt.datetime(2024, 12, 2, 4, tzinfo=dt.UTC), tick=False):
        client.force_login(county.ent1_officer)
        html = client.get("/submissions/matrix/").content.decode()
        assert "东峰煤矿" in html and "西岭煤矿" in html and "北坡煤矿" not in html
        client.force_login(county.inspector)
        response = client.get("/submissions/matrix/")
        assert response.context["rows"][0]["cells"][0]["state"] == "missing"
        assert "北坡煤矿" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_matrix_query_count_does_not_grow(client, county, deadlines, extra, django_assert_max_num_queries):
    for i in range(extra):
        MineFactory(name=f"矿{i}", parent=county.ent2)
    client.force_login(county.inspector)
    # 14 with the campaign switcher's
    with time_machine.travel(dt.datetime(2024, 12, 2, 4, tzinfo=dt.UTC), tick=False), django_assert_max_num_queries(14):
        assert client.get("/submissions/matrix/").status_code == 200


def test_county_workbook_has_a_row_per_organisation(client, county, deadlines):
    send(county.mine1_officer, deadlines["monthly_2024_11"], dt.datetime(2024, 11, 29, tzinfo=SHANGHAI))
    client.force_login(county.inspector)
    response = client.get(f"/submissions/deadline/{deadlines['monthly_2024_11'].pk}/workbook/")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    overview = wb["汇总"]
    names = [row[1] for row in table_rows(overview)]
    assert sorted(names) == sorted(["晋阳煤业集团", "华泰能源", "东峰煤矿", "西岭煤矿", "北坡煤矿"])
    status = {row[1]: row[4] for row in table_rows(overview)}
    assert status["东峰煤矿"] == "已报送" and status["北坡煤矿"] == "未报送"
    assert len(wb.sheetnames) == 1 + 5
    client.force_login(county.mine1_officer)
    assert client.get(f"/submissions/deadline/{deadlines['monthly_2024_11'].pk}/workbook/").status_code == 404
    client.force_login(county.ent1_officer)
    wb = load_workbook(
        io.BytesIO(
            b"".join(client.get(f"/submissions/deadline/{deadlines['monthly_2024_11'].pk}/workbook/").streaming_content)
        )
    )
    assert sorted(r[1] for r in table_rows(wb["汇总"])) == [
        "东峰煤矿",
        "晋阳煤业集团",
        "西岭煤矿",
    ]

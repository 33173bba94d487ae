"""疑似重大隐患 in the risk ranking and in 自查不实 (issue 25 item 3): a finding 待核实 adds RISK_WEIGHTS
["suspected_major"] to its mine's score, and one on a hazard of the mine's own checks lists the mine under 自查不实
(the dashboard, its workbook, the API, the 问责线索); dismissed it counts no more, confirmed it counts as a major."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability.candidates import candidates_for
from dashboards.dashboard import RISK_WEIGHTS, compute_dashboard, risk_ranking, self_check_gaps
from hazards import services
from hazards.models import SuspectedMajorHazard
from hazards.services.suspected import suspected_major_confirm, suspected_major_dismiss, suspected_major_record_many
from tests.factories import HazardFactory, MineFactory

pytestmark = pytest.mark.django_db

MAJOR_TEXT = "2105回风巷甲烷传感器超限后不能断电"
WEIGHT = RISK_WEIGHTS["suspected_major"]


def _row(user, mine):
    ranking = risk_ranking(user=user, campaign=None, today=timezone.localdate())
    return next(r for r in ranking if r["mine"].pk == mine.pk)


def _record(county, general_fields, *, source="unit_weekly", actor=None, mine=None, location="2401回风巷"):
    hazard = services.hazard_create(
        actor=actor or county.mine1_officer,
        mine=mine or county.mine1,
        **{**general_fields, "description": MAJOR_TEXT, "source": source, "location": location},
    )
    return SuspectedMajorHazard.objects.get(hazard=hazard)


def _gap(user, mine):
    return next((g for g in self_check_gaps(user=user) if g["mine_id"] == mine.pk), None)


def _candidate(user, mine):
    found = candidates_for(user=user, campaign=None, today=timezone.localdate(), sources=["self_check_not_true"])
    return next((c for c in found if c.target.pk == mine.pk), None)


def test_a_pending_finding_raises_the_score_until_dismissed(county, general_fields):
    before = _row(county.inspector, county.mine1)
    assert before["suspected_major"] == 0
    finding = _record(county, general_fields)
    after = _row(county.inspector, county.mine1)
    assert after["suspected_major"] == 1
    # the hazard itself counts as an open general one (×1) and its finding on top (×WEIGHT)
    assert after["score"] == before["score"] + RISK_WEIGHTS["open"] + WEIGHT
    assert _row(county.inspector, county.mine2)["suspected_major"] == 0
    suspected_major_dismiss(actor=county.inspector, finding=finding, reason="现场核实传感器能断电")
    dismissed = _row(county.inspector, county.mine1)
    assert dismissed["suspected_major"] == 0
    assert dismissed["score"] == before["score"] + RISK_WEIGHTS["open"]


def test_a_confirmed_finding_counts_as_the_major_hazard_it_became(county, general_fields):
    finding = _record(county, general_fields)
    suspected_major_confirm(
        actor=county.inspector, finding=finding, funds=Decimal("5000"), contingency_plan="撤人、断电"
    )
    row = _row(county.inspector, county.mine1)
    assert (row["suspected_major"], row["major_open"], row["open"]) == (0, 1, 0)
    assert _gap(county.inspector, county.mine1) is None


def test_self_check_not_true_lists_the_mine_with_its_pending_findings(county, general_fields):
    assert _gap(county.inspector, county.mine1) is None and _candidate(county.inspector, county.mine1) is None
    finding = _record(county, general_fields)
    gap = _gap(county.inspector, county.mine1)
    assert (gap["missed"], gap["missed_major"], gap["suspected_major"]) == (0, 0, 1)
    assert gap["mine__name"] == county.mine1.name and gap["mine__parent__name"] == county.mine1.parent.name
    candidate = _candidate(county.inspector, county.mine1)
    assert "疑似重大隐患1项（待核实）" in candidate.reason and "自查不实" in candidate.reason
    assert candidate.figures == {"missed": 0, "major": 0, "suspected": 1}
    assert candidate.evidence_url == f"/hazards/suspected/?mine={county.mine1.pk}&state=pending&self_check=true"
    suspected_major_dismiss(actor=county.inspector, finding=finding, reason="内容为一般隐患")
    assert _gap(county.inspector, county.mine1) is None and _candidate(county.inspector, county.mine1) is None


def test_beside_the_inspections_findings_the_reason_says_both(county, general_fields):
    HazardFactory(mine=county.mine1, source="bureau_inspection", location="无人列过的地点")
    _record(county, general_fields)
    gap = _gap(county.inspector, county.mine1)
    assert (gap["missed"], gap["suspected_major"]) == (1, 1)
    candidate = _candidate(county.inspector, county.mine1)
    assert "隐患1项，该矿自查未列出" in candidate.reason and "疑似重大隐患1项（待核实）" in candidate.reason
    assert candidate.evidence_url == reverse("self_check_gaps", args=[county.mine1.pk])


def test_an_inspectors_own_general_finding_is_a_risk_but_not_the_mines_self_check(county, general_fields):
    _record(county, general_fields, source="bureau_inspection", actor=county.inspector)
    assert _row(county.inspector, county.mine1)["suspected_major"] == 1
    gap = _gap(county.inspector, county.mine1)
    assert gap is not None and gap["suspected_major"] == 0  # listed for the missed place, not for the finding
    assert "疑似重大隐患" not in _candidate(county.inspector, county.mine1).reason


def test_another_countys_findings_are_never_counted(county, general_fields):
    _record(county, general_fields, actor=county.other_inspector, mine=county.other_mine)
    assert all(r["suspected_major"] == 0 for r in risk_ranking(user=county.inspector, campaign=None, today=None))
    assert self_check_gaps(user=county.inspector) == []


def test_the_page_the_api_and_the_workbook_show_the_same_figure(client, api_client, county, general_fields):
    _record(county, general_fields)
    _record(county, general_fields, location="2105回风巷")
    d = compute_dashboard(user=county.inspector, today=timezone.localdate())
    score = next(r["score"] for r in d["ranking"] if r["mine"].pk == county.mine1.pk)
    api_client.force_authenticate(county.inspector)
    body = api_client.get("/api/v1/dashboard/").json()
    row = next(r for r in body["ranking"] if r["mine_id"] == county.mine1.pk)
    assert (row["suspected_major"], row["score"]) == (2, score)
    gap = next(g for g in body["self_check_gaps"] if g["mine_id"] == county.mine1.pk)
    assert gap["suspected_major"] == 2
    client.force_login(county.inspector)
    html = client.get("/dashboard/").content.decode()
    assert f"/hazards/suspected/?mine={county.mine1.pk}&amp;state=pending" in html
    assert "疑似重大隐患 2 项（待核实）" in html
    assert f"×{WEIGHT}" in html  # the formula under the ranking names the weight
    # the link lists exactly what was counted
    listed = client.get(f"/hazards/suspected/?mine={county.mine1.pk}&state=pending&self_check=true")
    assert listed.status_code == 200
    assert len(re.findall(r'data-testid="suspected-\d+"', listed.content.decode())) == 2
    response = client.get("/dashboard/export/")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ranking, gaps = wb["风险排名"], wb["自查不实"]
    headers = [c.value for c in ranking[2]]
    column = headers.index("疑似重大隐患（待核实）")
    by_mine = {r[0].value: r[column].value for r in ranking.iter_rows(min_row=3)}
    assert by_mine[county.mine1.name] == 2
    gap_headers = [c.value for c in gaps[2]]
    gap_rows = {r[0].value: r[gap_headers.index("疑似重大隐患（待核实）")].value for r in gaps.iter_rows(min_row=3)}
    assert gap_rows[county.mine1.name] == 2


def test_a_mine_officer_sees_the_count_without_the_bureaus_link(client, county, general_fields):
    _record(county, general_fields)
    client.force_login(county.mine1_officer)
    html = client.get("/dashboard/").content.decode()
    assert 'data-figure="own_suspected_major">1<' in html
    assert "/hazards/suspected/" not in html  # the list is the bureau's (403 to a mine)


@pytest.mark.parametrize("extra", [0, 20])
def test_counting_findings_costs_the_same_queries_for_any_number_of_mines(
    county, general_fields, extra, django_assert_num_queries
):
    _record(county, general_fields)
    readings = [
        HazardFactory(mine=MineFactory(parent=county.ent2), description=f"{MAJOR_TEXT}{i}") for i in range(extra)
    ]
    assert suspected_major_record_many(hazard_ids=[h.pk for h in readings]) == extra
    today = timezone.localdate()
    with django_assert_num_queries(3):  # the mines, the hazards grouped, the findings grouped (no campaign)
        ranking = risk_ranking(user=county.inspector, campaign=None, today=today)
    assert sum(r["suspected_major"] for r in ranking) == 1 + extra
    with django_assert_num_queries(2):  # the inspections' findings grouped, the findings grouped
        gaps = self_check_gaps(user=county.inspector)
    assert sum(g["suspected_major"] for g in gaps) == 1 + extra
    with django_assert_num_queries(4):  # the units, the two groups of the source, the actions made from proposals
        found = candidates_for(user=county.inspector, campaign=None, today=today, sources=["self_check_not_true"])
    assert sum(c.figures["suspected"] for c in found) == 1 + extra


def test_found_dates_outside_the_campaign_are_not_its_candidates(county, general_fields):
    from tests.factories import running_campaign

    campaign = running_campaign(bureau=county.bureau, starts_on=timezone.localdate() - dt.timedelta(days=1))
    _record(county, general_fields)  # found two days ago: before the campaign
    found = candidates_for(
        user=county.inspector, campaign=campaign, today=timezone.localdate(), sources=["self_check_not_true"]
    )
    assert all(c.target.pk != county.mine1.pk for c in found)

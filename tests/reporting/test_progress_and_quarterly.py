import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from campaign.models import RequirementProgress
from campaign.progress import progress_tree, progress_update
from core.errors import DomainError, NotPermitted
from hazards.services import hazard_list_publicly
from tests.factories import HazardFactory
from tests.images import image_bytes
from workforce.services import training_session_record, work_unit_create

pytestmark = pytest.mark.django_db


def item(campaign, code):
    return campaign.requirements.get(code=code)


def test_progress_tree_and_section_bars(county, campaign):
    officer, mine = county.mine1_officer, county.mine1
    # 1.1.a and 1.1.b follow the records: one warning-education session with two accident cases.
    team = work_unit_create(actor=officer, mine=mine, kind="team", name="综采一班")
    training_session_record(
        actor=officer,
        mine=mine,
        kind="warning_education",
        held_on=campaign.starts_on + dt.timedelta(days=5),
        topic="警示教育",
        case_one="顶板事故",
        case_two="透水事故",
        lecturer_name="周伟",
        units=[team],
    )
    progress_update(actor=officer, organization=mine, requirement=item(campaign, "1.2.b"), status="in_progress")
    progress_update(
        actor=officer,
        organization=mine,
        requirement=item(campaign, "1.2.a"),
        status="not_applicable",
        reason="已于年初完成",
    )
    tree = progress_tree(campaign=campaign, organization=mine)
    section1 = tree["sections"][0]
    assert (section1["applicable"], section1["finished"]) == (12, 2)  # 1.1.a and 1.1.b
    assert (section1["not_applicable"], section1["counted"]) == (1, 11)  # 1.2.a does not apply: out of the count
    assert section1["percent"] == 18  # 2 of 11
    section4 = tree["sections"][3]
    assert section4["applicable"] == 6  # 4.2's three items, 4.3.c and 4.3.d are the bureau's
    first_item = section1["measures"][0]["items"][0]
    assert first_item["progress"].meets_target is True


def test_progress_rules(county, campaign):
    with pytest.raises(DomainError, match="理由"):
        progress_update(
            actor=county.mine1_officer,
            organization=county.mine1,
            requirement=item(campaign, "1.2.a"),
            status="not_applicable",
        )
    with pytest.raises(DomainError, match="本单位"):
        progress_update(
            actor=county.mine1_officer, organization=county.mine2, requirement=item(campaign, "1.2.a"), status="done"
        )
    with pytest.raises(DomainError, match="不由本单位落实"):
        progress_update(
            actor=county.mine1_officer, organization=county.mine1, requirement=item(campaign, "4.2.c"), status="done"
        )
    # the bureau's own items are read from its records (enforcement.selectors.bureau_items), not typed, by it either
    with pytest.raises(NotPermitted, match="不能手工填报"):
        progress_update(
            actor=county.inspector,
            organization=county.bureau,
            requirement=item(campaign, "4.2.c"),
            status="done",
            figure=Decimal(2),
        )
    with pytest.raises(DomainError):
        progress_update(
            actor=county.leader, organization=county.bureau, requirement=item(campaign, "4.2.b"), status="done"
        )


def test_progress_pages(client, county, campaign):
    client.force_login(county.mine1_officer)
    req = item(campaign, "1.2.b")
    response = client.post(
        f"/campaigns/{campaign.pk}/progress/{req.pk}/",
        {
            "status": "done",
            "figure": "1",
            "note": "11月5日开展",
            "evidence": SimpleUploadedFile("签到表.jpg", image_bytes("JPEG")),
            "row_version": 0,  # nobody had filled it in
        },
    )
    assert response.status_code == 302
    progress = RequirementProgress.objects.get()
    assert progress.files.count() == 1
    html = client.get(f"/campaigns/{campaign.pk}/progress/").content.decode()
    assert "签到表.jpg" in html and "已完成" in html
    client.force_login(county.mine2_officer)
    assert client.get(f"/campaigns/{campaign.pk}/progress/?org={county.mine1.pk}").status_code == 404
    assert client.get(f"/campaigns/progress-files/{progress.files.get().pk}/").status_code == 404
    client.force_login(county.inspector)
    html = client.get(f"/campaigns/{campaign.pk}/progress/overview/").content.decode()
    assert "1.2.b" in html
    html = client.get(f"/campaigns/{campaign.pk}/progress/{req.pk}/all/").content.decode()
    assert "东峰煤矿" in html and "11月5日开展" in html
    assert client.get(f"/campaigns/{campaign.pk}/progress/?org={county.mine1.pk}").status_code == 200
    client.force_login(county.leader)
    assert client.get(f"/campaigns/{campaign.pk}/progress/{req.pk}/").status_code == 404


def test_quarterly_statistics_from_the_ledger(client, county):
    q4 = {"found_on": dt.date(2024, 11, 3), "due_on": dt.date(2024, 11, 10)}
    HazardFactory(mine=county.mine1, status="closed", accepted_on=dt.date(2024, 11, 9), **q4)
    HazardFactory(mine=county.mine1, status="open", **q4)
    HazardFactory(mine=county.mine1, status="closed", accepted_on=dt.date(2025, 1, 3), **q4)  # closed after the quarter
    major = HazardFactory(
        mine=county.mine1, level="major", status="open", funds=Decimal("50000"), contingency_plan="x", **q4
    )
    HazardFactory(mine=county.mine1, found_on=dt.date(2024, 9, 30))  # Q3
    HazardFactory(mine=county.mine2, **q4)
    hazard_list_publicly(
        actor=county.inspector,
        hazard=major,
        listed_on=dt.date(2024, 11, 4),
        supervising_unit="县局",
        notice_text="挂牌",
    )
    client.force_login(county.mine1_officer)
    response = client.get("/submissions/quarterly/", {"year": 2024, "quarter": 4})
    rows = response.context["rows"]
    assert len(rows) == 1
    r = rows[0]
    assert (r["total"], r["general"], r["general_closed"], r["general_rate"]) == (4, 3, 1, 33.3)
    assert (r["major"], r["major_closed"], r["major_open"], r["major_funds"], r["listed"]) == (
        1,
        0,
        1,
        Decimal("50000"),
        1,
    )
    assert "2025年1月15日" in response.content.decode()
    wb = load_workbook(
        io.BytesIO(
            b"".join(
                client.get("/submissions/quarterly/", {"year": 2024, "quarter": 4, "format": "xlsx"}).streaming_content
            )
        )
    )
    assert wb.active["A1"].value == "2024年第4季度事故隐患排查治理情况统计分析表"
    assert wb.active.cell(4, 3).value == 4  # after 序号 and 煤矿
    assert client.get("/submissions/quarterly/", {"year": "abc", "quarter": 9}).status_code == 200


def test_quarterly_page_opens_on_the_quarter_with_the_latest_data(client, county):
    """In the campaign (late October to February) the page opened on the quarter before, empty; it opens on the
    latest quarter with data (the current one as soon as something is found in it), the current one if none."""
    import time_machine

    client.force_login(county.mine1_officer)
    with time_machine.travel(dt.datetime(2024, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        response = client.get("/submissions/quarterly/")
        assert (response.context["year"], response.context["quarter"]) == (2024, 4)  # nothing yet: the current one
        HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, 3))
        HazardFactory(mine=county.mine2, found_on=dt.date(2024, 11, 28))
        response = client.get("/submissions/quarterly/")
        assert (response.context["year"], response.context["quarter"]) == (2024, 4)
        assert len(response.context["rows"]) == 1
    with time_machine.travel(dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC), tick=False):
        # Early in a quarter with nothing found in it yet: the quarter just ended, due by the 15th.
        response = client.get("/submissions/quarterly/")
        assert (response.context["year"], response.context["quarter"]) == (2024, 4)
        HazardFactory(mine=county.mine1, found_on=dt.date(2025, 1, 5))
        response = client.get("/submissions/quarterly/")
        assert (response.context["year"], response.context["quarter"]) == (2025, 1)
        # What the user asks for is kept.
        response = client.get("/submissions/quarterly/", {"year": 2024, "quarter": 3})
        assert (response.context["year"], response.context["quarter"]) == (2024, 3)

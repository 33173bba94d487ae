import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import DomainError
from violations import services
from violations.models import RedLineList, Tipoff

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def red_line_xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["东峰煤矿违法违规违章行为红线清单"])
    ws.append(["序号", "层级", "岗位", "行为", "处理措施"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("红线清单.xlsx", out.getvalue())


def test_red_line_versions_keep_the_old_ones(client, county):
    client.force_login(county.mine1_officer)
    data = {"kind": "red_line", "title": "红线清单", "effective_on": TODAY.isoformat()}
    client.post("/red-lines/new/", {**data, "file": red_line_xlsx([["矿级", "矿长", "超能力生产", "停职"]])})
    client.post(
        "/red-lines/new/",
        {**data, "file": red_line_xlsx([["班组级", "瓦检员", "假检", "开除"], ["岗位", "全员", "不戴自救器", "罚款"]])},
    )
    lists = list(RedLineList.objects.filter(mine=county.mine1).order_by("version"))
    assert [(x.version, x.is_current, x.items.count()) for x in lists] == [(1, False, 1), (2, True, 2)]
    html = client.get("/red-lines/").content.decode()
    assert "第2版" in html and "第1版" not in html
    assert "第1版" in client.get("/red-lines/", {"current": "0"}).content.decode()
    ws = load_workbook(
        io.BytesIO(b"".join(client.get(f"/red-lines/{lists[1].pk}/", {"format": "xlsx"}).streaming_content))
    ).active
    assert [c.value for c in ws[3]] == ["序号", "层级", "岗位", "行为", "处理措施"]
    assert ws.cell(4, 4).value == "假检"
    client.force_login(county.mine2_officer)
    assert client.get(f"/red-lines/{lists[1].pk}/").status_code == 404


def test_red_line_upload_refuses_bad_files_and_other_roles(client, county):
    client.force_login(county.mine1_officer)
    data = {"kind": "red_line", "title": "红线清单", "effective_on": TODAY.isoformat()}
    html = client.post(
        "/red-lines/new/", {**data, "file": red_line_xlsx([["矿级", "", "超能力生产", ""]])}
    ).content.decode()
    assert "第 3 行" in html and "岗位" in html
    assert not RedLineList.objects.exists()
    with pytest.raises(DomainError, match="煤矿或其主体企业"):
        services.red_line_list_publish(
            actor=county.inspector,
            mine=county.mine1,
            kind="red_line",
            title="t",
            effective_on=TODAY,
            items=[{"level": "a", "post": "b", "content": "c"}],
        )


def test_tipoff_stores_no_identity(client, county):
    client.logout()
    response = client.post(
        "/report/",
        {
            "category": "violation",
            "mine": county.mine1.pk,
            "location": "1302工作面",
            "content": "夜班有人不带自救器下井，班长不管。",
        },
        REMOTE_ADDR="10.20.30.40",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) 举报人的手机",
    )
    assert response.status_code == 200
    tipoff = Tipoff.objects.get()
    assert tipoff.tracking_code in response.content.decode()
    stored = {f.name: getattr(tipoff, f.name) for f in Tipoff._meta.concrete_fields}
    text = repr(stored)
    assert "10.20.30.40" not in text and "Android" not in text
    assert not any(
        f.name in ("ip", "ip_address", "user", "created_by", "user_agent", "created_at") for f in Tipoff._meta.fields
    )
    assert isinstance(tipoff.received_on, dt.date) and not isinstance(tipoff.received_on, dt.datetime)
    assert tipoff.handled_by is None


def test_tipoff_tracking_and_reply(client, county):
    tipoff = services.tipoff_submit(bureau=county.bureau, category="hazard", content="主斜井皮带跑偏保护长期失效。")
    html = client.post("/report/track/", {"tracking_code": tipoff.tracking_code.lower()}).content.decode()
    assert "已受理" in html and "尚未答复" in html
    # The code goes by POST only: one in the query string (an old link) is not looked up.
    html = client.get("/report/track/", {"tracking_code": tipoff.tracking_code}).content.decode()
    assert 'data-testid="report-status"' not in html and 'method="post"' in html
    with pytest.raises(DomainError, match="答复"):
        services.tipoff_handle(actor=county.inspector, tipoff=tipoff, status="closed")
    with pytest.raises(DomainError, match="县局执法人员"):
        services.tipoff_handle(actor=county.mine1_officer, tipoff=tipoff, status="handling")
    services.tipoff_handle(
        actor=county.inspector, tipoff=tipoff, status="closed", public_reply="经核查属实，已责令整改。"
    )
    html = client.post("/report/track/", {"tracking_code": tipoff.tracking_code}).content.decode()
    assert "已办结" in html and "经核查属实" in html
    assert "没有找到" in client.post("/report/track/", {"tracking_code": "ABCDEFGHJKLM"}).content.decode()


@pytest.mark.parametrize(("content", "message"), [("", "该字段是必填项"), ("太短了", "太短"), ("长" * 2001, "2000")])
def test_tipoff_refuses_empty_or_oversized_input(client, county, content, message):
    html = client.post("/report/", {"category": "other", "content": content}).content.decode()
    assert message in html
    assert not Tipoff.objects.exists()


def test_tipoff_is_rate_limited(client, county):
    for _ in range(5):
        assert (
            client.post("/report/", {"category": "other", "content": "井口检身制度没有执行到位。"}).status_code == 200
        )
    response = client.post("/report/", {"category": "other", "content": "井口检身制度没有执行到位。"})
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Tipoff.objects.count() == 5
    # Another address is not affected.
    assert (
        client.post(
            "/report/", {"category": "other", "content": "另一个人的举报内容。"}, REMOTE_ADDR="10.9.9.9"
        ).status_code
        == 200
    )


def test_tipoff_api(api_client, county):
    response = api_client.post(
        "/api/v1/anonymous-reports/", {"category": "violation", "content": "有人在井下吸烟，没人管。"}, format="json"
    )
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    assert Tipoff.objects.get().tracking_code == code
    lookup = "/api/v1/anonymous-reports/lookup/"
    status = api_client.post(lookup, {"tracking_code": code}, format="json").json()
    assert status["status"] == "received" and status["public_reply"] == ""
    missing = api_client.post(lookup, {"tracking_code": "NOPE"}, format="json")
    assert missing.status_code == 404 and "没有找到" in missing.json()["detail"]
    assert "tracking_code" in api_client.post(lookup, {}, format="json").json()
    # The code never goes in a URL: the old GET route is gone.
    assert api_client.get(f"/api/v1/anonymous-reports/{code}/").status_code in (404, 405)
    assert (
        api_client.post(
            "/api/v1/anonymous-reports/", {"category": "violation", "content": ""}, format="json"
        ).status_code
        == 400
    )
    for _ in range(3):
        api_client.post(
            "/api/v1/anonymous-reports/", {"category": "other", "content": "重复提交的测试内容。"}, format="json"
        )
    assert (
        api_client.post(
            "/api/v1/anonymous-reports/", {"category": "other", "content": "第七次提交内容。"}, format="json"
        ).status_code
        == 429
    )


def test_reports_are_the_bureaus_to_triage(client, county):
    tipoff = services.tipoff_submit(
        bureau=county.bureau, category="violation", mine=county.mine1, location="1302", content="夜班有人不带自救器。"
    )
    client.force_login(county.mine1_officer)
    assert client.get(f"/reports/{tipoff.pk}/").status_code == 404  # the mine never sees who reported it
    assert "夜班有人" not in client.get("/reports/").content.decode()
    client.force_login(county.inspector)
    response = client.post(f"/reports/{tipoff.pk}/to-hazard/")
    tipoff.refresh_from_db()
    assert tipoff.hazard is not None and tipoff.hazard.source == "report" and tipoff.status == "handling"
    assert response["Location"] == f"/hazards/{tipoff.hazard_id}/"
    response = client.post(f"/reports/{tipoff.pk}/to-violation/")
    assert response["Location"] == f"/violations/new/?tipoff={tipoff.pk}"
    form = client.get(response["Location"]).content.decode()
    assert "来自匿名举报" in form and "夜班有人不带自救器" in form
    client.post(
        "/violations/new/",
        {
            "tipoff": tipoff.pk,
            "mine": county.mine1.pk,
            "occurred_on": TODAY.isoformat(),
            "location": "1302",
            "person_name": "不详",
            "type": "discipline",
            "severity": "general",
            "description": "不带自救器下井",
            "found_by": "other",
        },
    )
    tipoff.refresh_from_db()
    assert tipoff.violation is not None and tipoff.violation.description == "不带自救器下井"


def _reported(county, **fields):
    tipoff = services.tipoff_submit(
        bureau=county.bureau, category="hazard", location="1302", content="主斜井皮带跑偏保护长期失效。", **fields
    )
    tipoff.internal_note = "已电话核实"
    tipoff.save()
    return Tipoff.objects.get(pk=tipoff.pk)


def _as_stored(tipoff):
    return {f.name: getattr(tipoff, f.attname) for f in Tipoff._meta.concrete_fields}


def test_triage_into_a_hazard_is_one_transaction_of_the_service(county):
    # The hazard is made, then the triage is refused (a mine's officer may record a hazard at its own mine, never
    # triage the bureau's tip-offs): neither the hazard nor any change to the tip-off stays.
    from hazards.models import Hazard

    tipoff = _reported(county, mine=county.mine1)
    before = _as_stored(tipoff)
    with pytest.raises(DomainError):
        services.tipoff_to_hazard(actor=county.mine1_officer, tipoff=tipoff)
    assert not Hazard.objects.exists() and _as_stored(Tipoff.objects.get(pk=tipoff.pk)) == before
    # A tip-off that names no mine is refused before anything is made, in Chinese.
    unnamed = _reported(county)
    before = _as_stored(unnamed)
    with pytest.raises(DomainError, match="被举报的煤矿"):
        services.tipoff_to_hazard(actor=county.inspector, tipoff=unnamed)
    assert not Hazard.objects.exists() and _as_stored(Tipoff.objects.get(pk=unnamed.pk)) == before
    # The bureau's triage: the hazard and the tip-off's link and status, together.
    hazard = services.tipoff_to_hazard(actor=county.inspector, tipoff=tipoff)
    tipoff.refresh_from_db()
    assert tipoff.hazard == hazard and tipoff.status == "handling" and tipoff.internal_note == "已电话核实"
    assert hazard.source == "report" and hazard.description == tipoff.content


def test_triage_into_a_violation_is_one_transaction_of_the_service(county, violation_fields):
    from violations.models import Violation

    tipoff = _reported(county, mine=county.mine1)
    before = _as_stored(tipoff)
    fields = {**violation_fields, "mine": county.mine1}
    with pytest.raises(DomainError):
        services.tipoff_to_violation(actor=county.mine1_officer, tipoff=tipoff, **fields)
    assert not Violation.objects.exists() and _as_stored(Tipoff.objects.get(pk=tipoff.pk)) == before
    violation = services.tipoff_to_violation(actor=county.inspector, tipoff=tipoff, **fields)
    tipoff.refresh_from_db()
    assert tipoff.violation == violation and tipoff.status == "handling" and tipoff.internal_note == "已电话核实"

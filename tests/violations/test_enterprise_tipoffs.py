"""4.1.c, the enterprises' own anonymous channels: a worker addresses a report to the bureau or to the enterprise of
the mine reported. The enterprise reads and triages only those made to it about its mines (page, API, export), never
those made to the bureau or about another enterprise's mines; the bureau sees how many each enterprise received, not
their text, until the enterprise escalates one. Anonymity is unchanged: nothing of the reporter is stored."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.errors import DomainError, InvalidState, NotPermitted
from notifications.models import Notification
from violations import services
from violations.models import Tipoff, TipoffStatus

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _tip(county, text, *, mine=None, to="enterprise"):
    return services.tipoff_submit(
        bureau=county.bureau, category="violation", content=text, mine=mine or county.mine1, addressee=to
    )


@pytest.fixture
def tips(county):
    return {
        "ent1": _tip(county, "企业甲：一号煤矿二采区有人不戴自救器下井"),
        "ent1_mine2": _tip(county, "企业甲：二号煤矿皮带机无人看护", mine=county.mine2),
        "ent2": _tip(county, "企业乙：三号煤矿瓦斯检查员空班漏检", mine=county.mine3),
        "bureau": _tip(county, "县局：一号煤矿超层越界开采，请查处", to="bureau"),
    }


def _texts(response):
    return response.content.decode()


def test_the_enterprise_reads_only_its_own_channel_on_the_page_api_and_export(client, api_client, county, tips):
    client.force_login(county.ent1_officer)
    page = _texts(client.get(reverse("tipoff_list")))
    assert "企业甲：一号煤矿" in page and "企业甲：二号煤矿" in page
    assert "企业乙" not in page and "县局：" not in page
    assert client.get(reverse("tipoff_detail", args=[tips["ent1"].pk])).status_code == 200
    for other in ("ent2", "bureau"):
        assert client.get(reverse("tipoff_detail", args=[tips[other].pk])).status_code == 404
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("tipoff_list"), {"format": "xlsx"}).streaming_content))
    )
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row if c.value)
    assert "企业甲：一号煤矿" in cells and "企业乙" not in cells and "县局：" not in cells
    api_client.force_authenticate(county.ent1_officer)
    rows = api_client.get("/api/v1/anonymous-reports/received/").json()["results"]
    assert {r["content"][:3] for r in rows} == {"企业甲"}
    assert api_client.get(f"/api/v1/anonymous-reports/received/{tips['bureau'].pk}/").status_code == 404
    assert not any("tracking_code" in r for r in rows)  # the code stays the reporter's
    # A mine reads none, not even those about itself.
    client.force_login(county.mine1_officer)
    assert client.get(reverse("tipoff_detail", args=[tips["ent1"].pk])).status_code == 404
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.get("/api/v1/anonymous-reports/received/").json()["count"] == 0


def test_the_bureau_sees_counts_not_text_until_escalated(client, api_client, county, tips):
    client.force_login(county.inspector)
    page = _texts(client.get(reverse("tipoff_list")))
    assert "县局：一号煤矿" in page and "企业甲" not in page and "企业乙" not in page
    counts = page.split('data-testid="enterprise-tipoff-counts"')[1]
    assert county.ent1.name in counts and county.ent2.name in counts
    assert client.get(reverse("tipoff_detail", args=[tips["ent1"].pk])).status_code == 404
    api_client.force_authenticate(county.inspector)
    assert {r["content"][:2] for r in api_client.get("/api/v1/anonymous-reports/received/").json()["results"]} == {
        "县局"
    }
    services.tipoff_escalate(actor=county.ent1_officer, tipoff=tips["ent1"], reason="涉及矿领导，需县局查处")
    page = _texts(client.get(reverse("tipoff_list")))
    assert "企业甲：一号煤矿" in page and "企业甲：二号煤矿" not in page
    assert client.get(reverse("tipoff_detail", args=[tips["ent1"].pk])).status_code == 200
    assert Notification.objects.filter(recipient=county.inspector, key=f"tipoff:escalated:{tips['ent1'].pk}").exists()
    # The leader (bureau, read-only) reads what the bureau reads.
    client.force_login(county.leader)
    assert "企业甲：二号煤矿" not in _texts(client.get(reverse("tipoff_list")))


def test_who_handles_follows_the_addressee_and_the_escalation(county, tips):
    tip = tips["ent1"]
    with pytest.raises(NotPermitted, match="企业"):
        services.tipoff_handle(actor=county.inspector, tipoff=tip, status=TipoffStatus.HANDLING)
    services.tipoff_handle(actor=county.ent1_officer, tipoff=tip, status=TipoffStatus.HANDLING, internal_note="核查")
    hazard = services.tipoff_to_hazard(actor=county.ent1_officer, tipoff=tip)
    assert hazard.mine == county.mine1 and Tipoff.objects.get(pk=tip.pk).hazard == hazard
    with pytest.raises(NotPermitted):  # ent2 does not handle ent1's
        services.tipoff_escalate(actor=county.mine3_officer, tipoff=tip, reason="x")
    with pytest.raises(DomainError, match="理由"):
        services.tipoff_escalate(actor=county.ent1_officer, tipoff=tip, reason=" ")
    services.tipoff_escalate(actor=county.ent1_officer, tipoff=tip, reason="需县局查处")
    with pytest.raises(InvalidState):
        services.tipoff_escalate(actor=county.ent1_officer, tipoff=tip, reason="再次")
    with pytest.raises(NotPermitted, match="已提交县局"):
        services.tipoff_handle(actor=county.ent1_officer, tipoff=tip, status=TipoffStatus.CLOSED, public_reply="x")
    services.tipoff_handle(actor=county.inspector, tipoff=tip, status=TipoffStatus.CLOSED, public_reply="已查处")
    # A closed one is not escalated.
    other = tips["ent1_mine2"]
    services.tipoff_handle(actor=county.ent1_officer, tipoff=other, status=TipoffStatus.CLOSED, public_reply="已整改")
    with pytest.raises(InvalidState, match="已办结"):
        services.tipoff_escalate(actor=county.ent1_officer, tipoff=other, reason="x")


def test_the_public_form_addresses_the_enterprise_and_the_code_works_the_same(client, county):
    response = client.post(
        reverse("tipoff_form"),
        {"addressee": "enterprise", "category": "violation", "content": "二采区有人违章放炮，请企业查处。"},
    )
    assert "请选择被举报的煤矿" in _texts(response) and not Tipoff.objects.exists()
    response = client.post(
        reverse("tipoff_form"),
        {
            "addressee": "enterprise",
            "category": "violation",
            "mine": county.mine1.pk,
            "content": "二采区有人违章放炮，请企业查处。",
        },
    )
    tip = Tipoff.objects.get()
    assert tip.addressee == "enterprise" and tip.tracking_code in _texts(response)
    services.tipoff_handle(actor=county.ent1_officer, tipoff=tip, status=TipoffStatus.CLOSED, public_reply="已处理")
    found = client.post(reverse("tipoff_track"), {"tracking_code": tip.tracking_code})
    assert "已处理" in _texts(found)
    # Nothing about the reporter: the same fields as before, and no user, address or time of day.
    names = {f.name for f in Tipoff._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user", "reporter", "created_at", "user_agent"}


def test_the_api_takes_the_addressee(api_client, county):
    created = api_client.post(
        "/api/v1/anonymous-reports/",
        {"addressee": "enterprise", "category": "hazard", "mine": county.mine3.pk, "content": "三号煤矿水仓淤积严重。"},
        format="json",
    )
    assert created.status_code == 201
    assert Tipoff.objects.get().addressee == "enterprise"
    bad = api_client.post(
        "/api/v1/anonymous-reports/",
        {"addressee": "enterprise", "category": "hazard", "content": "不知道哪个矿，水仓淤积严重。"},
        format="json",
    )
    assert bad.status_code == 400 and "请选择被举报的煤矿" in str(bad.json())


def test_the_desk_list_keeps_its_queries_at_two_sizes(client, county):
    _tip(county, "企业甲：第一件举报内容，请核查。")
    _tip(county, "县局：第一件举报内容，请核查。", to="bureau")
    for user in (county.ent1_officer, county.inspector):
        client.force_login(user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("tipoff_list")).status_code == 200
        for n in range(8):
            _tip(county, f"企业举报第{n}件，内容足够长。", mine=(county.mine2, county.mine3)[n % 2])
            _tip(county, f"县局举报第{n}件，内容足够长。", to="bureau")
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("tipoff_list")).status_code == 200
        assert len(many) == len(few)

"""The workforce forms and filters as an officer uses them in the browser."""

import datetime as dt

import pytest

from workforce import services
from workforce.models import DispatchHandover, WorkUnit

from .conftest import SHANGHAI, TODAY

pytestmark = pytest.mark.django_db


def test_units_are_added_on_their_list_page(client, county, campaign):
    client.force_login(county.mine1_officer)
    assert client.post("/workforce/units/", {"kind": "workshop", "name": "综采队"}).status_code == 302
    workshop = WorkUnit.objects.get(name="综采队")
    client.post("/workforce/units/", {"kind": "team", "name": "综采一班", "workshop": workshop.pk})
    assert WorkUnit.objects.get(name="综采一班").workshop == workshop
    again = client.post("/workforce/units/", {"kind": "team", "name": "综采一班"}).content.decode()
    assert "本矿已有名为“综采一班”的班组" in again
    html = client.get("/workforce/units/").content.decode()
    assert '<td class="small">车间（科队）</td>' in html and ">workshop<" not in html  # labels, not codes


def test_a_handover_is_entered_with_the_browser_date_time_fields(client, county, campaign):
    client.force_login(county.mine1_officer)
    form = {
        "shift": "middle",
        "shift_starts_at": "2024-12-01T16:00",
        "dispatched_at": "2024-12-01T15:10",
        "dispatcher": "马丽",
        "tasks": "割煤 6 刀",
        "following_leader": "",
        "leader_notified_at": "",
    }
    assert client.post("/workforce/handovers/new/", form).status_code == 302
    handover = DispatchHandover.objects.get()
    assert handover.shift_starts_at == dt.datetime(2024, 12, 1, 16, 0, tzinfo=SHANGHAI) and handover.lead_minutes == 50
    html = client.get("/workforce/handovers/?late=true").content.decode()
    assert "不足2小时" in html and "中班" in html
    refused = client.post("/workforce/handovers/new/", {**form, "tight_schedule": "on"}).content.decode()
    assert "须提前通知跟班领导" in refused and DispatchHandover.objects.count() == 1


def test_certificates_filter_by_state(client, county, campaign):
    person = services.person_create(actor=county.mine1_officer, mine=county.mine1, name="孙伟")
    for number, days in (("证书甲", -3), ("证书乙", 10), ("证书丙", 400)):
        services.certificate_record(
            actor=county.mine1_officer,
            person=person,
            kind="electrical",
            number=number,
            expires_on=TODAY + dt.timedelta(days=days),
        )
    client.force_login(county.inspector)
    listed = {
        state: client.get(f"/workforce/certificates/?state={state}").content.decode()
        for state in ("expired", "expiring", "valid")
    }
    assert "证书甲" in listed["expired"] and "证书乙" not in listed["expired"] and "已过期" in listed["expired"]
    assert "证书乙" in listed["expiring"] and "证书甲" not in listed["expiring"] and "证书丙" not in listed["expiring"]
    assert "证书丙" in listed["valid"] and "证书甲" not in listed["valid"] and "证书乙" not in listed["valid"]
    assert "煤矿井下电气作业" in listed["valid"]  # the kind's label, not its code

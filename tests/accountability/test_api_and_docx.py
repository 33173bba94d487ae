"""`/api/v1/accountability-actions/` (the contract's fields; the bureau writes, a unit 403) and the .docx."""

import datetime as dt
import io

import pytest
from docx import Document

from accountability.models import AccountabilityAction

from .helpers import TODAY, criticism, summons

pytestmark = pytest.mark.django_db
URL = "/api/v1/accountability-actions/"


def test_the_list_has_the_contracts_fields(api_client, county):
    criticism(county.inspector, [county.mine1, county.mine2])
    api_client.force_authenticate(county.ent1_officer)
    row = api_client.get(URL).json()["results"][0]
    assert {"id", "kind", "target", "issued_on"} <= set(row)
    assert row["kind"] == "notice_criticism" and row["target"] == "东峰煤矿、西岭煤矿"
    assert row["issued_on"] == TODAY.isoformat()
    assert api_client.get(URL, {"kind": "summons"}).json()["count"] == 0
    assert api_client.get(URL, {"target": county.mine2.pk}).json()["count"] == 1


def test_the_bureau_drafts_issues_and_follows_up_a_summons(api_client, county):
    # Dates relative to today: an action is not issued more than BACKDATE_DAYS back.
    summoned = TODAY - dt.timedelta(days=20)
    issued_on, follow_up = summoned + dt.timedelta(days=1), (summoned + dt.timedelta(days=15)).isoformat()
    body = {
        "kind": "summons",
        "targets": [county.mine1.pk],
        "title": "约谈东峰煤矿",
        "reason": "重大隐患逾期",
        "summoned_by": "局长",
        "summoned_at": f"{summoned.isoformat()}T09:00:00+08:00",
        "problems": "x",
        "commitments": "y",
        "follow_up_on": follow_up,
    }
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.post(URL, body, format="json").status_code == 403
    api_client.force_authenticate(county.leader)
    assert api_client.post(URL, body, format="json").status_code == 403
    api_client.force_authenticate(county.inspector)
    assert api_client.post(URL, {**body, "targets": [county.other_mine.pk]}, format="json").status_code == 400
    created = api_client.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    issued = api_client.post(f"{URL}{pk}/issue/", {"issued_on": issued_on.isoformat()}, format="json")
    assert issued.status_code == 200 and issued.json()["number"] == f"阳应急约谈〔{issued_on.year}〕1号"
    assert api_client.post(f"{URL}{pk}/issue/", {}, format="json").status_code == 409
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.post(f"{URL}{pk}/follow-up/", {"done_on": follow_up, "result": "x"}).status_code == 403
    api_client.force_authenticate(county.inspector)
    done = api_client.post(f"{URL}{pk}/follow-up/", {"done_on": follow_up, "result": "已落实"}, format="json")
    assert done.status_code == 200 and done.json()["follow_up_done_on"] == follow_up


def _docx(client, action):
    response = client.get(f"/accountability/{action.pk}/docx/")
    assert response.status_code == 200
    return Document(io.BytesIO(b"".join(response.streaming_content)))


def test_the_docx_opens_with_its_title_and_number(client, county):
    note = criticism(county.inspector, [county.mine1], title="关于对东峰煤矿予以通报批评的决定")
    talk = summons(county.inspector, [county.mine1], title="约谈东峰煤矿主要负责人的记录")
    client.force_login(county.mine1_officer)
    for action in (note, talk):
        document = _docx(client, action)
        texts = [p.text for p in document.paragraphs]
        assert action.title in texts and action.number in texts
        assert document.core_properties.title == action.title
        assert "阳城县应急管理局" in texts
    talk_text = " ".join(p.text for p in _docx(client, talk).paragraphs)
    assert "整改承诺" in talk_text and "跟踪复查" in talk_text and "7日内整改到位" in talk_text
    client.force_login(county.inspector)
    draft = criticism(county.inspector, [county.mine2], title="草稿", issue=False)
    assert "（草稿，尚未签发）" in [p.text for p in _docx(client, draft).paragraphs]
    assert AccountabilityAction.objects.count() == 3

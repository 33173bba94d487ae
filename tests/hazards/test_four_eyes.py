"""One person does not check their own work: whoever asked for a hazard's acceptance (验收) neither accepts it nor
returns it; another officer of the mine or its enterprise does (for a major hazard, another inspector)."""

import datetime as dt

import pytest

from accounts.models import Role
from core.errors import NotPermitted
from core.permissions import may
from hazards import services
from hazards.models import Hazard, HazardStatus
from hazards.selectors import hazard_acceptors
from tests.factories import UserFactory

from .xlsx import HEADERS, workbook_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_officer(county):
    return UserFactory(username="mine1b", full_name="赵安全", role=Role.MINE_OFFICER, organization=county.mine1)


def asked_by(county, fields, actor):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **fields)
    return services.hazard_submit_for_acceptance(actor=actor, hazard=hazard)


def test_the_requester_may_neither_accept_nor_return(county, general_fields):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    assert hazard.acceptance_requested_by == county.mine1_officer
    assert not may(county.mine1_officer, "hazards.accept", hazard)
    with pytest.raises(NotPermitted, match="是您申请的"):
        services.hazard_accept(actor=county.mine1_officer, hazard=hazard)
    with pytest.raises(NotPermitted, match="是您申请的"):
        services.hazard_reject(actor=county.mine1_officer, hazard=hazard, reason="照片不清")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE


@pytest.mark.parametrize("who", ["second_officer", "ent1_officer"])
def test_another_officer_of_the_mine_or_the_enterprise_accepts(county, general_fields, second_officer, who):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    actor = second_officer if who == "second_officer" else county.ent1_officer
    assert may(actor, "hazards.accept", hazard)
    services.hazard_accept(actor=actor, hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert hazard.accepted_by_name == actor.display_name


def test_a_return_clears_the_request_and_the_next_request_names_its_own_requester(
    county, general_fields, second_officer
):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    services.hazard_reject(actor=second_officer, hazard=hazard, reason="照片不清")
    hazard.refresh_from_db()
    assert hazard.acceptance_requested_by is None
    # The second time it is the other officer who asks: now the first one may accept.
    services.hazard_submit_for_acceptance(actor=second_officer, hazard=hazard)
    hazard.refresh_from_db()
    assert may(county.mine1_officer, "hazards.accept", hazard)
    assert not may(second_officer, "hazards.accept", hazard)


def test_an_enterprise_officer_who_asked_leaves_it_to_the_mine(county, general_fields):
    hazard = asked_by(county, general_fields, county.ent1_officer)
    assert not may(county.ent1_officer, "hazards.accept", hazard)
    assert may(county.mine1_officer, "hazards.accept", hazard)


def test_a_mine_with_one_officer_is_accepted_by_its_enterprise(county, general_fields):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    assert [u.username for u in hazard_acceptors(hazard)] == ["ent1"]


def test_the_acceptors_are_every_other_officer_of_the_mine_and_its_enterprise(county, general_fields, second_officer):
    UserFactory(username="mine1_gone", role=Role.MINE_OFFICER, organization=county.mine1, is_active=False)
    hazard = asked_by(county, general_fields, county.mine1_officer)
    assert sorted(u.username for u in hazard_acceptors(hazard)) == ["ent1", "mine1b"]


def test_a_major_hazard_asked_by_an_inspector_is_accepted_by_another_inspector(county, major_fields):
    colleague = UserFactory(username="inspector2", role=Role.INSPECTOR, organization=county.bureau)
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **major_fields)
    services.hazard_submit_for_acceptance(actor=county.inspector, hazard=hazard)
    with pytest.raises(NotPermitted, match="是您申请的"):
        services.hazard_accept(actor=county.inspector, hazard=hazard)
    assert not may(county.ent1_officer, "hazards.accept", hazard)  # still the bureau's
    services.hazard_accept(actor=colleague, hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED


def test_the_api_refuses_the_requester_with_403_and_says_why(api_client, county, general_fields):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post(f"/api/v1/hazards/{hazard.pk}/accept/", {}, format="json")
    assert response.status_code == 403
    assert "是您申请的" in response.json()["detail"]
    assert api_client.post(f"/api/v1/hazards/{hazard.pk}/reject/", {"reason": "x"}, format="json").status_code == 403


def test_the_page_hides_accept_from_the_requester_and_names_who_may(client, county, general_fields, second_officer):
    hazard = asked_by(county, general_fields, county.mine1_officer)
    client.force_login(county.mine1_officer)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/hazards/{hazard.pk}/accept/" not in html and f"/hazards/{hazard.pk}/reject/" not in html
    assert "您申请了验收" in html
    assert county.ent1_officer.display_name in html and second_officer.display_name in html

    client.force_login(county.ent1_officer)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/hazards/{hazard.pk}/accept/" in html and f"/hazards/{hazard.pk}/reject/" in html


def test_the_page_says_when_no_one_is_left_to_accept(client, county, general_fields):
    hazard = services.hazard_create(actor=county.mine3_officer, mine=county.mine3, **general_fields)
    services.hazard_submit_for_acceptance(actor=county.mine3_officer, hazard=hazard)  # ent2 has no officer here
    client.force_login(county.mine3_officer)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "暂无其他可验收" in html


def test_a_mine_officer_who_asked_for_a_major_hazard_is_told_it_is_the_bureaus(client, county, major_fields):
    hazard = asked_by(county, major_fields, county.mine1_officer)
    with pytest.raises(NotPermitted, match="只能由县局执法人员"):
        services.hazard_accept(actor=county.mine1_officer, hazard=hazard)
    client.force_login(county.mine1_officer)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "等待县局执法人员验收：" in html and county.inspector.display_name in html
    assert "您申请了验收" not in html  # it was never this officer's to accept


def test_who_imports_a_line_as_awaiting_acceptance_is_its_requester_and_may_not_accept_it(county):
    """A ledger line brought in as 已整改/待验收 is the importer's word that it was rectified: the importer asked for
    its acceptance, so another officer (or the enterprise) accepts it."""
    today = dt.date.today()
    line = [1, today, "周查", "2307工作面", "顶板离层", "顶板", "一般", "补强支护", "张三", "已整改", today]
    upload = workbook_upload([line], headers=[*HEADERS[:-2], "状态", "整改完成日期"])
    result = services.hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    hazard = Hazard.objects.get(pk=result.ids[0])
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE
    assert hazard.acceptance_requested_by == county.mine1_officer
    with pytest.raises(NotPermitted, match="同一人不能既申请又验收"):
        services.hazard_accept(actor=county.mine1_officer, hazard=hazard, row_version=hazard.row_version)
    services.hazard_accept(actor=county.ent1_officer, hazard=hazard, row_version=hazard.row_version)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED

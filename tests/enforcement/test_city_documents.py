"""A city's regulators draft and issue their own enforcement documents (issue 22 item 1): at the city's own inspection
of a mine below it, numbered in the city's own series under the city's settings (issuing authority, number formats),
with the city's regulators holding a 执法证号 as officers. The county cannot edit, issue or serve them; the city cannot
touch the county's (403); a mine of another city is 404; the county and the mine read them once issued, not before.
Penalty cases and suspensions stay the county's."""

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, NotPermitted
from enforcement import services
from enforcement.models import DocumentKind, DocumentStatus, EnforcementDocument
from enforcement.selectors import document_list
from hazards import services as hz
from tests.enforcement.document_helpers import ORDER, RECORD, inspection_with_findings, order_for
from tests.factories import UserFactory, regulator_levels

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def lv(county):
    lv = regulator_levels(county)
    lv.city_user.certificate_no = "14050012345"
    lv.city_user.save(update_fields=["certificate_no"])
    lv.city_second = UserFactory(
        username="city2", role="regulator", organization=lv.city, full_name="市局监管员二", certificate_no="14050067890"
    )
    county.inspector.certificate_no = "14052211111"
    county.inspector.save(update_fields=["certificate_no"])
    county.inspector2 = UserFactory(
        username="inspector2", role="inspector", organization=county.bureau, certificate_no="14052222222"
    )
    services.enforcement_settings_save(actor=lv.city_user, number_prefix="晋市应急", authority_name="晋城市应急管理局")
    services.enforcement_settings_save(
        actor=county.inspector, number_prefix="阳应急", authority_name="阳城县应急管理局"
    )
    lv.inspection = hz.inspection_create(
        actor=lv.city_user, mine=county.mine1, inspected_on=TODAY, mode="four_no_two_direct"
    )
    lv.hazard = hz.hazard_create(
        actor=lv.city_user,
        mine=county.mine1,
        inspection=lv.inspection,
        found_on=TODAY,
        location="1301工作面",
        specialty="ventilation",
        description="市局发现：局部通风机无专人管理",
        level="general",
        measures="指定专人",
        responsible_unit="通风科",
        responsible_person="张三",
        due_on=TODAY + dt.timedelta(days=7),
    )
    return lv


def _city_order(lv, *, issue=True):
    officers = [lv.city_user, lv.city_second]
    return order_for(officers, lv.inspection.mine, lv.inspection, [lv.hazard], issue=issue, issued_on=TODAY)


def test_the_city_drafts_and_issues_in_its_own_series(county, lv):
    county_inspection, county_hazards = inspection_with_findings(county.mine1, days_ago=1)
    county_order = order_for([county.inspector, county.inspector2], county.mine1, county_inspection, county_hazards)
    order = _city_order(lv)
    assert order.bureau_id == lv.city.pk and order.status == DocumentStatus.ISSUED
    assert order.number.startswith("晋市应急") and county_order.number.startswith("阳应急")
    assert order.serial == 1 and county_order.serial == 1  # two series, each from 1
    record = services.document_draft(
        actor=lv.city_user,
        kind=DocumentKind.INSPECTION_RECORD,
        mine=county.mine1,
        inspection=lv.inspection,
        officers=[lv.city_user, lv.city_second],
        items=[{"hazard": lv.hazard}],
        content=RECORD,
    )
    services.document_issue(actor=lv.city_user, document=record, issued_on=TODAY)
    # the county's officers are not the city's: a county inspector cannot be named on the city's document
    with pytest.raises(DomainError, match="执法人员"):
        services.document_draft(
            actor=lv.city_user,
            kind=DocumentKind.RECTIFICATION_ORDER,
            mine=county.mine1,
            inspection=lv.inspection,
            officers=[lv.city_user, county.inspector],
            items=[{"hazard": lv.hazard, "due_on": lv.hazard.due_on}],
            content=ORDER,
        )


def test_neither_writes_the_others_documents(county, lv):
    county_inspection, county_hazards = inspection_with_findings(county.mine1, days_ago=1)
    county_draft = order_for(
        [county.inspector, county.inspector2], county.mine1, county_inspection, county_hazards, issue=False
    )
    city_draft = _city_order(lv, issue=False)
    # the city: not at the county's inspection, not the county's drafts, not without an inspection of its own
    with pytest.raises(NotPermitted):
        order_for([lv.city_user, lv.city_second], county.mine1, county_inspection, county_hazards, issue=False)
    with pytest.raises(NotPermitted):
        services.document_draft(actor=lv.city_user, kind=DocumentKind.INSPECTION_RECORD, mine=county.mine1)
    for service in (services.document_issue, services.document_delete_draft):
        with pytest.raises(NotPermitted):
            service(actor=lv.city_user, document=county_draft)
    with pytest.raises(NotPermitted):
        services.document_update_draft(actor=lv.city_user, document=county_draft, content=ORDER)
    # the county: not the city's draft, nor its issued document's receipt
    for service in (services.document_issue, services.document_delete_draft):
        with pytest.raises(NotPermitted):
            service(actor=county.inspector, document=city_draft)
    issued = services.document_issue(actor=lv.city_user, document=city_draft, issued_on=TODAY)
    with pytest.raises(NotPermitted):
        services.document_record_receipt(actor=county.inspector, document=issued, signer_name="x", received_on=TODAY)
    services.document_record_receipt(actor=lv.city_user, document=issued, signer_name="矿长", received_on=TODAY)
    # another city's regulator writes nothing here
    with pytest.raises(NotPermitted):
        services.document_draft(
            actor=lv.other_city_user, kind=DocumentKind.INSPECTION_RECORD, mine=county.mine1, inspection=lv.inspection
        )


def test_who_sees_the_citys_documents(county, lv):
    draft = _city_order(lv, issue=False)
    # the city's draft is the city's: neither the county nor the mine sees it yet
    assert draft in document_list(user=lv.city_user)
    assert draft not in document_list(user=county.inspector)
    assert draft not in document_list(user=county.mine1_officer)
    issued = services.document_issue(actor=lv.city_user, document=draft, issued_on=TODAY)
    for user in (county.inspector, county.leader, county.mine1_officer, lv.province_user):
        assert issued in document_list(user=user), user
    for user in (county.mine2_officer, county.other_inspector, lv.other_city_user):
        assert issued not in document_list(user=user), user
    # the county's drafts: the city reads them (everything below, read-only)
    county_inspection, county_hazards = inspection_with_findings(county.mine1, days_ago=1)
    county_draft = order_for(
        [county.inspector, county.inspector2], county.mine1, county_inspection, county_hazards, issue=False
    )
    assert county_draft in document_list(user=lv.city_user)


def test_the_pages_of_the_citys_documents(client, county, lv):
    client.force_login(lv.city_user)
    url = f"{reverse('document_create')}?inspection={lv.inspection.pk}"
    assert client.get(url).status_code == 200
    page = client.get(f"{url}&kind={DocumentKind.RECTIFICATION_ORDER}")
    assert page.status_code == 200 and "市局监管员" in page.content.decode()
    detail = client.get(reverse("inspection_detail", kwargs={"pk": lv.inspection.pk})).content.decode()
    assert "制作执法文书" in detail
    city_draft = _city_order(lv, issue=False)
    assert client.get(reverse("document_edit", kwargs={"pk": city_draft.pk})).status_code == 200
    response = client.post(
        reverse("document_issue", kwargs={"pk": city_draft.pk}),
        {"issued_on": str(TODAY), "row_version": city_draft.row_version},
    )
    assert response.status_code == 302
    city_draft.refresh_from_db()
    assert city_draft.status == DocumentStatus.ISSUED and city_draft.number.startswith("晋市应急")
    # the county's inspection and documents: 403, nothing changes
    county_inspection, county_hazards = inspection_with_findings(county.mine1, days_ago=1)
    county_draft = order_for(
        [county.inspector, county.inspector2], county.mine1, county_inspection, county_hazards, issue=False
    )
    assert client.get(f"{reverse('document_create')}?inspection={county_inspection.pk}").status_code == 403
    assert client.get(reverse("document_create")).status_code == 403
    assert client.get(reverse("document_edit", kwargs={"pk": county_draft.pk})).status_code == 403
    response = client.post(reverse("document_issue", kwargs={"pk": county_draft.pk}), {"issued_on": str(TODAY)})
    assert response.status_code == 403
    response = client.post(reverse("document_delete", kwargs={"pk": county_draft.pk}))
    assert response.status_code == 403 and EnforcementDocument.objects.filter(pk=county_draft.pk).exists()
    county_draft.refresh_from_db()
    assert county_draft.is_draft
    # another city's mine: 404
    other = hz.inspection_create(actor=county.other_inspector, mine=county.other_mine, inspected_on=TODAY, mode="open")
    assert client.get(f"{reverse('document_create')}?inspection={other.pk}").status_code == 404
    # the county reads the city's issued document, and may not edit it
    client.force_login(county.inspector)
    page = client.get(reverse("document_detail", kwargs={"pk": city_draft.pk}))
    assert page.status_code == 200 and city_draft.number in page.content.decode()
    response = client.post(
        reverse("document_receipt", kwargs={"pk": city_draft.pk}), {"signer_name": "x", "received_on": str(TODAY)}
    )
    assert response.status_code == 403
    client.force_login(county.mine1_officer)
    assert client.get(reverse("document_detail", kwargs={"pk": city_draft.pk})).status_code == 200
    # its .docx and print view name the city as the issuing authority
    assert client.get(reverse("document_docx", kwargs={"pk": city_draft.pk})).status_code == 200
    printed = client.get(reverse("document_print", kwargs={"pk": city_draft.pk})).content.decode()
    assert "晋城市应急管理局" in printed and city_draft.number in printed
    # the mine heard of it from the city
    from notifications.models import Notification

    assert Notification.objects.filter(recipient=county.mine1_officer, title__startswith="晋城市应急管理局向").exists()


def test_the_api_of_the_citys_documents(api_client, county, lv):
    api_client.force_authenticate(lv.city_user)
    body = {
        "kind": DocumentKind.RECTIFICATION_ORDER,
        "mine": county.mine1.pk,
        "inspection": lv.inspection.pk,
        "officers": [lv.city_user.pk, lv.city_second.pk],
        "items": [{"hazard": lv.hazard.pk, "due_on": str(lv.hazard.due_on)}],
        "content": ORDER,
    }
    response = api_client.post(reverse("enforcement-document-list"), body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api_client.post(reverse("enforcement-document-issue", kwargs={"pk": pk}), {"issued_on": str(TODAY)})
    assert response.status_code == 200, response.content
    assert response.json()["number"].startswith("晋市应急")
    # the county's: 403; without an inspection of its own: 403
    county_inspection, county_hazards = inspection_with_findings(county.mine1, days_ago=1)
    county_draft = order_for(
        [county.inspector, county.inspector2], county.mine1, county_inspection, county_hazards, issue=False
    )
    response = api_client.post(
        reverse("enforcement-document-issue", kwargs={"pk": county_draft.pk}), {"issued_on": str(TODAY)}
    )
    assert response.status_code == 403
    body = {**body, "inspection": county_inspection.pk, "officers": [lv.city_user.pk, lv.city_second.pk], "items": []}
    body["kind"] = DocumentKind.INSPECTION_RECORD
    body["content"] = RECORD
    assert api_client.post(reverse("enforcement-document-list"), body, format="json").status_code == 403
    # the county reads it
    api_client.force_authenticate(county.inspector)
    assert api_client.get(reverse("enforcement-document-detail", kwargs={"pk": pk})).status_code == 200
    response = api_client.post(reverse("enforcement-document-issue", kwargs={"pk": pk}), {"issued_on": str(TODAY)})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["inspector", "city"])
def test_the_document_list_costs_the_same_with_more_city_documents(client, county, lv, who):
    """Hiding the city's drafts from the county is a condition of the list's one query, not a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county.inspector if who == "inspector" else lv.city_user)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("document_list")).status_code == 200
        return len(ctx.captured_queries)

    _city_order(lv)
    _city_order(lv, issue=False)
    small = cost()
    for _ in range(4):
        _city_order(lv)
        _city_order(lv, issue=False)
    assert cost() == small


def test_the_county_drafts_nothing_at_the_citys_inspection(client, county, lv):
    """A 现场检查记录 of the city's inspection signed by the county's officers would be false: the county is refused at
    the service and the page, and its inspection page offers no 制作执法文书 there."""
    with pytest.raises(NotPermitted):
        services.document_draft(
            actor=county.inspector, kind=DocumentKind.INSPECTION_RECORD, mine=county.mine1, inspection=lv.inspection
        )
    client.force_login(county.inspector)
    page = client.get(reverse("inspection_detail", kwargs={"pk": lv.inspection.pk})).content.decode()
    assert "制作执法文书" not in page
    answer = client.get(f"{reverse('document_create')}?kind=inspection_record&inspection={lv.inspection.pk}")
    assert answer.status_code == 403

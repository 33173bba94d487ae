"""摘牌 and 曝光: the bureau takes a listing down only after its hazard is closed, once; then it may publish the case
with a summary for the public, and withdraw it. Who may is the permission layer's; the state is the service's (409)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, InvalidState, NotPermitted
from hazards import services
from hazards.models import HazardEvent, HazardListing, HazardStatus
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def listed(county, ventilation_category):
    """A major hazard of mine2 listed by the bureau ten days ago, still being rectified."""
    hazard = HazardFactory(
        mine=county.mine2,
        level="major",
        major_category=ventilation_category,
        status=HazardStatus.RECTIFYING,
        found_on=TODAY - dt.timedelta(days=12),
        contingency_plan="撤人",
    )
    services.hazard_list_publicly(
        actor=county.inspector,
        hazard=hazard,
        listed_on=TODAY - dt.timedelta(days=10),
        supervising_unit="阳城县应急管理局",
        notice_text="挂牌督办",
    )
    return hazard


def close(hazard, day=None):
    hazard.status = HazardStatus.CLOSED
    hazard.accepted_on = day or TODAY - dt.timedelta(days=1)
    hazard.save(update_fields=["status", "accepted_on"])
    return hazard


def test_delisting_waits_for_the_closure_then_happens_once(county, listed):
    with pytest.raises(InvalidState, match="验收销号后才能摘牌"):
        services.hazard_delist(actor=county.inspector, hazard=listed, note="已整改")
    close(listed)
    listing = services.hazard_delist(actor=county.inspector, hazard=listed, note="经复查，隐患已消除，同意摘牌。")
    assert listing.is_delisted and listing.delisted_on == TODAY and listing.delisted_by == county.inspector
    assert listing.get_status_display() == "已摘牌"
    event = HazardEvent.objects.filter(hazard=listed).latest("id")
    assert event.action == "摘牌" and event.actor == county.inspector and "同意摘牌" in event.note
    with pytest.raises(InvalidState, match="已于"):
        services.hazard_delist(actor=county.inspector, hazard=listed, note="再摘一次")


def test_a_hazard_never_listed_is_not_delisted(county, ventilation_category):
    hazard = HazardFactory(
        mine=county.mine2, level="major", major_category=ventilation_category, status=HazardStatus.CLOSED
    )
    with pytest.raises(InvalidState, match="未挂牌督办"):
        services.hazard_delist(actor=county.inspector, hazard=hazard, note="x")


@pytest.mark.parametrize("who", ["mine2_officer", "ent1_officer", "leader", "other_inspector"])
def test_only_the_bureaus_inspectors_delist(county, listed, who):
    close(listed)
    with pytest.raises(NotPermitted):
        services.hazard_delist(actor=getattr(county, who), hazard=listed, note="x")
    assert not HazardListing.objects.get(hazard=listed).is_delisted


@pytest.mark.parametrize(
    ("note", "day", "field"),
    [
        ("  ", None, "note"),
        ("同意", TODAY + dt.timedelta(days=1), "delisted_on"),
        ("同意", TODAY - dt.timedelta(days=11), "delisted_on"),  # before the listing
        ("同意", TODAY - dt.timedelta(days=3), "delisted_on"),  # before the closure
        ("长" * 2001, None, "delisting_note"),
    ],
)
def test_a_bad_delisting_is_refused_naming_its_field(county, listed, note, day, field):
    close(listed, TODAY - dt.timedelta(days=2))
    with pytest.raises(DomainError) as refused:
        services.hazard_delist(actor=county.inspector, hazard=listed, note=note, delisted_on=day)
    assert type(refused.value) is DomainError and refused.value.field == field
    assert not HazardListing.objects.get(hazard=listed).is_delisted


def test_publication_follows_delisting_and_can_be_withdrawn(county, listed):
    with pytest.raises(InvalidState, match="尚未摘牌"):
        services.hazard_listing_publish(actor=county.inspector, hazard=listed, public_summary="已整改")
    close(listed)
    services.hazard_delist(actor=county.inspector, hazard=listed, note="同意摘牌")
    with pytest.raises(DomainError) as empty:
        services.hazard_listing_publish(actor=county.inspector, hazard=listed, public_summary=" ")
    assert empty.value.field == "public_summary"
    for phone in ("联系人张三 13900000000", "电话0356-4222333", "举报请拨 139 0000 0000"):
        with pytest.raises(DomainError, match="电话号码") as personal:
            services.hazard_listing_publish(actor=county.inspector, hazard=listed, public_summary=phone)
        assert personal.value.field == "public_summary"
    with pytest.raises(NotPermitted):
        services.hazard_listing_publish(actor=county.leader, hazard=listed, public_summary="已整改")
    listing = services.hazard_listing_publish(
        actor=county.inspector, hazard=listed, public_summary="该矿串联通风隐患已整改到位，县局依法予以处罚。"
    )
    assert listing.is_published and listing.published_on == TODAY
    with pytest.raises(InvalidState, match="已公开"):
        services.hazard_listing_publish(actor=county.inspector, hazard=listed, public_summary="改一改")
    with pytest.raises(NotPermitted):
        services.hazard_listing_withdraw(actor=county.mine2_officer, hazard=listed)
    listing = services.hazard_listing_withdraw(actor=county.inspector, hazard=listed, reason="公示期满")
    assert not listing.is_published and listing.public_summary  # kept for a later publication
    with pytest.raises(InvalidState, match="未公开"):
        services.hazard_listing_withdraw(actor=county.inspector, hazard=listed)
    actions = list(HazardEvent.objects.filter(hazard=listed).values_list("action", flat=True))
    assert actions[-3:] == ["摘牌", "公开曝光", "撤回公开"]


def test_the_database_refuses_a_publication_without_delisting(county, listed):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HazardListing.objects.filter(hazard=listed).update(published_on=TODAY)


# ---------------------------------------------------------------- the pages


def detail(client, hazard):
    return client.get(reverse("hazard_detail", kwargs={"pk": hazard.pk})).content.decode()


def test_the_hazard_page_offers_delisting_only_when_allowed(client, county, listed):
    delist_url = reverse("hazard_delist", kwargs={"pk": listed.pk})
    client.force_login(county.inspector)
    page = detail(client, listed)
    assert "挂牌中" in page and delist_url not in page and "验收销号后摘牌" in page
    close(listed)
    page = detail(client, listed)
    assert delist_url in page and "待县局摘牌" not in page
    for who in (county.leader, county.mine2_officer, county.ent1_officer):
        client.force_login(who)
        page = detail(client, listed)
        assert delist_url not in page and "挂牌中" in page and "待县局摘牌" in page


def test_the_inspector_delists_publishes_and_withdraws_from_the_page(client, county, listed):
    close(listed)
    client.force_login(county.inspector)
    response = client.post(
        reverse("hazard_delist", kwargs={"pk": listed.pk}), {"delisted_on": str(TODAY), "note": "同意摘牌"}
    )
    assert response.status_code == 302
    page = detail(client, listed)
    assert "已摘牌" in page and "同意摘牌" in page
    publish_url = reverse("hazard_listing_publish", kwargs={"pk": listed.pk})
    assert publish_url in page
    client.post(publish_url, {"public_summary": "公开的整改情况说明"})
    page = detail(client, listed)
    assert "公开的整改情况说明" in page and reverse("hazard_listing_withdraw", kwargs={"pk": listed.pk}) in page
    assert f'action="{publish_url}"' not in page and "/public/listed-hazards/?bureau=" in page
    client.post(reverse("hazard_listing_withdraw", kwargs={"pk": listed.pk}), {"reason": ""})
    assert "曾公开，已撤回" in detail(client, listed)


def test_a_refused_step_on_the_page_says_why_and_changes_nothing(client, county, listed):
    client.force_login(county.inspector)
    response = client.post(
        reverse("hazard_delist", kwargs={"pk": listed.pk}), {"delisted_on": str(TODAY), "note": "同意"}, follow=True
    )
    assert "验收销号后才能摘牌" in response.content.decode()
    assert not HazardListing.objects.get(hazard=listed).is_delisted
    client.force_login(county.mine2_officer)
    close(listed)
    response = client.post(reverse("hazard_delist", kwargs={"pk": listed.pk}), {"delisted_on": str(TODAY), "note": "x"})
    assert not HazardListing.objects.get(hazard=listed).is_delisted
    client.force_login(county.other_inspector)
    response = client.post(reverse("hazard_delist", kwargs={"pk": listed.pk}), {"delisted_on": str(TODAY), "note": "x"})
    assert response.status_code == 404


def test_ledgers_show_listed_and_delisted(client, county, listed):
    client.force_login(county.inspector)
    assert "挂牌中" in client.get(reverse("hazard_list")).content.decode()
    close(listed)
    services.hazard_delist(actor=county.inspector, hazard=listed, note="同意")
    assert "已摘牌" in client.get(reverse("hazard_list")).content.decode()
    listed_page = client.get(reverse("listed_hazard_list")).content.decode()
    assert "已摘牌" in listed_page and "/public/listed-hazards/?bureau=" in listed_page

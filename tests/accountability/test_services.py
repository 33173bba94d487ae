"""The services: only the bureau's inspectors draft and issue; issuing numbers in the bureau's series; the states
refuse what they forbid (409); bad values are 400 with a Chinese message naming the field."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability import services
from accountability.models import AccountabilityAction, ActionRead, ActionStatus
from core.errors import DomainError, InvalidState, NotPermitted

from .helpers import TODAY, criticism, summons

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_only_the_bureaus_inspectors_draft(county, who):
    with pytest.raises(NotPermitted) as refused:
        criticism(getattr(county, who), [county.mine1], issue=False)
    assert "县局执法人员" in refused.value.message
    assert not AccountabilityAction.objects.exists()


def test_only_the_bureau_issues_and_another_bureau_may_not(county):
    draft = criticism(county.inspector, [county.mine1], issue=False)
    for user in (county.mine1_officer, county.leader, county.other_inspector):
        with pytest.raises(NotPermitted):
            services.action_issue(actor=user, action=draft)
    draft.refresh_from_db()
    assert draft.status == ActionStatus.DRAFT and draft.number == ""


def test_issuing_numbers_each_kind_in_its_series(county):
    first = criticism(county.inspector, [county.mine1])
    second = criticism(county.inspector, [county.mine2, county.ent1])
    talk = summons(county.inspector, [county.mine1])
    year = TODAY.year
    assert first.number == f"阳应急通〔{year}〕1号" and second.number == f"阳应急通〔{year}〕2号"
    assert talk.number == f"阳应急约谈〔{year}〕1号"
    assert first.issued_on == TODAY and first.status == ActionStatus.ISSUED
    with pytest.raises(InvalidState):
        services.action_issue(actor=county.inspector, action=first)
    with pytest.raises(InvalidState):
        services.action_update(actor=county.inspector, action=first, targets=[county.mine1], title="x", reason="x")
    with pytest.raises(InvalidState):
        services.action_delete_draft(actor=county.inspector, action=first)


def test_targets_are_units_of_the_bureau(county):
    with pytest.raises(DomainError) as bad:
        criticism(county.inspector, [], issue=False)
    assert bad.value.field == "targets"
    with pytest.raises(DomainError) as bad:
        criticism(county.inspector, [county.other_mine], issue=False)
    assert "不在本局监管范围" in bad.value.message
    with pytest.raises(DomainError):
        criticism(county.inspector, [county.bureau], issue=False)


def test_a_summons_is_issued_only_complete(county):
    draft = summons(county.inspector, [county.mine1], issue=False, commitments="")
    with pytest.raises(DomainError) as bad:
        services.action_issue(actor=county.inspector, action=draft)
    assert bad.value.field == "commitments" and bad.value.status == 400
    with pytest.raises(DomainError) as bad:
        summons(county.inspector, [county.mine1], follow_up_on=TODAY - dt.timedelta(days=1), issue=False)
    assert bad.value.field == "follow_up_on"
    with pytest.raises(DomainError) as bad:
        services.action_draft(
            actor=county.inspector, kind="accountability", targets=[county.mine1], title="x", reason="x", measure="?"
        )
    assert bad.value.field == "measure"
    problem = services.action_draft(
        actor=county.inspector, kind="accountability", targets=[county.mine1], title="问责", reason="x"
    )
    with pytest.raises(DomainError) as bad:
        services.action_issue(actor=county.inspector, action=problem)
    assert bad.value.field == "measure"


def test_the_follow_up_is_recorded_once_by_the_bureau(county):
    talk = summons(county.inspector, [county.mine1])
    with pytest.raises(NotPermitted):
        services.summons_follow_up(actor=county.mine1_officer, action=talk, done_on=TODAY, result="已落实")
    with pytest.raises(DomainError) as bad:
        services.summons_follow_up(actor=county.inspector, action=talk, done_on=TODAY, result=" ")
    assert bad.value.field == "result"
    services.summons_follow_up(actor=county.inspector, action=talk, done_on=TODAY, result="承诺事项已落实")
    talk.refresh_from_db()
    assert talk.follow_up_done_on == TODAY and not talk.follow_up_open
    with pytest.raises(InvalidState):
        services.summons_follow_up(actor=county.inspector, action=talk, done_on=TODAY, result="again")
    note = criticism(county.inspector, [county.mine1])
    with pytest.raises(InvalidState):
        services.summons_follow_up(actor=county.inspector, action=note, done_on=TODAY, result="x")


def test_minutes_are_checked_files(county):
    with pytest.raises(DomainError):
        summons(county.inspector, [county.mine1], minutes=SimpleUploadedFile("记录.pdf", b"MZ not a pdf"))
    assert not AccountabilityAction.objects.exists()
    talk = summons(county.inspector, [county.mine1], minutes=SimpleUploadedFile("记录.pdf", b"%PDF-1.4 x"))
    assert talk.minutes_type == "application/pdf" and talk.minutes.name.endswith(".pdf")


def test_reading_is_a_receipt_for_the_named_units_only(county):
    note = criticism(county.inspector, [county.mine1])
    services.action_mark_read(user=county.inspector, action=note)
    services.action_mark_read(user=county.mine1_officer, action=note)
    services.action_mark_read(user=county.mine1_officer, action=note)
    assert list(ActionRead.objects.values_list("user__username", flat=True)) == ["mine1"]


def test_issuing_tells_the_named_units_once(county):
    from notifications.models import Notification

    note = criticism(county.inspector, [county.mine1, county.ent1])
    told = Notification.objects.filter(topic="accountability_issued")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["ent1", "mine1"]
    first = told.first()
    assert first.title == f"县局通报批评：{note.title}" and note.number in first.body


@pytest.mark.parametrize(
    ("url", "kept"),
    [("/hazards/?mine=1", True), ("//evil.example/x", False), ("https://evil.example", False), ("javascript:x", False)],
)
def test_the_evidence_link_stays_on_this_site(county, url, kept):
    draft = criticism(county.inspector, [county.mine1], issue=False, evidence_url=url)
    assert draft.evidence_url == (url if kept else "")


def test_an_issue_date_is_not_far_back_nor_before_the_last_of_its_kind(county):
    """Review: a 通报批评 issued as of 2020-01-01 started a 2020 series six years before the campaign."""
    draft = criticism(county.inspector, [county.mine1], issue=False)
    with pytest.raises(DomainError) as refused:
        services.action_issue(actor=county.inspector, action=draft, issued_on=dt.date(2020, 1, 1))
    assert refused.value.field == "issued_on" and f"{services.BACKDATE_DAYS}天前" in refused.value.message
    issued = services.action_issue(actor=county.inspector, action=draft, issued_on=TODAY - dt.timedelta(days=3))
    late_entry = criticism(county.inspector, [county.mine2], issue=False)
    with pytest.raises(DomainError) as refused:
        services.action_issue(actor=county.inspector, action=late_entry, issued_on=TODAY - dt.timedelta(days=10))
    assert issued.number in refused.value.message
    # another kind has its own series and order
    ten_days_ago = TODAY - dt.timedelta(days=10)
    summons(
        county.inspector,
        [county.mine2],
        issued_on=ten_days_ago,
        summoned_at=timezone.make_aware(dt.datetime.combine(ten_days_ago, dt.time(9))),
    )
    assert services.action_issue(actor=county.inspector, action=late_entry).issued_on == TODAY

"""After 挂牌督办: 摘牌 (the bureau takes a listing down once its hazard is closed) and 曝光 (it publishes a delisted
case with a summary written for the public, and may withdraw it). Each step locks the listing, checks who may
(hazards.permissions), guards the state (409), writes an event on the hazard's log and tells the public page's cache,
in one transaction."""

import re

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, InvalidState, NotPermitted
from core.validation import field_problems, raise_first

from ..models import HazardEvent, HazardListing
from ..permissions import can_delist, can_publish
from ..public import public_changed

NOT_LISTED = "该隐患未挂牌督办，不能摘牌或公开。"
#: a mainland mobile (13812345678, 138-1234-5678) or a landline with its area code (0356-1234567)
PHONE_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d[ -]?\d{4}[ -]?\d{4}|0\d{2,3}[ -]?\d{7,8})(?!\d)")


def _locked_listing(hazard):
    """The hazard's listing under a row lock (two inspectors acting at once give one step), or 409 when none."""
    listing = (
        HazardListing.objects.select_for_update(of=("self",))
        .select_related("hazard", "hazard__mine")
        .filter(hazard_id=hazard.pk)
        .first()
    )
    if listing is None:
        raise InvalidState(NOT_LISTED)
    return listing


def _event(listing, *, actor, action, note=""):
    hazard = listing.hazard
    HazardEvent.objects.create(
        hazard=hazard, action=action, from_status=hazard.status, to_status=hazard.status, note=note, actor=actor
    )


def _text(value, *, field, label, required=True):
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写{label}。", field=field)
    return text


@transaction.atomic
def hazard_delist(*, actor, hazard, note, delisted_on=None):
    """摘牌: only after the hazard is closed (验收销号), once. `delisted_on` defaults to today; it may not precede the
    listing nor the closure, nor lie in the future."""
    if not can_delist(actor, hazard):
        raise NotPermitted("只有县局执法人员可以摘牌。")
    listing = _locked_listing(hazard)
    hazard = listing.hazard
    if listing.is_delisted:
        raise InvalidState(f"该隐患已于{listing.delisted_on:%Y-%m-%d}摘牌。")
    if not hazard.is_closed:
        raise InvalidState(f"隐患当前为“{hazard.get_status_display()}”，须整改完成并经县局验收销号后才能摘牌。")
    note = _text(note, field="note", label="摘牌意见")
    today = timezone.localdate()
    delisted_on = delisted_on or today
    if delisted_on > today:
        raise DomainError("摘牌日期不能晚于今天。", field="delisted_on")
    if delisted_on < listing.listed_on:
        raise DomainError("摘牌日期不能早于挂牌日期。", field="delisted_on")
    if hazard.accepted_on and delisted_on < hazard.accepted_on:
        raise DomainError("摘牌日期不能早于验收销号日期。", field="delisted_on")
    listing.delisted_on = delisted_on
    listing.delisted_by = actor
    listing.delisting_note = note
    raise_first(field_problems(listing, ["delisting_note"]))  # its length bound (core.bounds)
    listing.save(update_fields=["delisted_on", "delisted_by", "delisting_note"])
    _event(listing, actor=actor, action="摘牌", note=note)
    public_changed()
    return listing


@transaction.atomic
def hazard_listing_publish(*, actor, hazard, public_summary):
    """曝光: a delisted case goes on the public page with `public_summary`, a text for the public (no names of
    people, phones, money or internal notes: the page shows only this and the hazard's public fields)."""
    if not can_publish(actor, hazard):
        raise NotPermitted("只有县局执法人员可以公开（曝光）案例。")
    listing = _locked_listing(hazard)
    if not listing.is_delisted:
        raise InvalidState("该隐患尚未摘牌，摘牌后才能作为案例公开。")
    if listing.is_published:
        raise InvalidState("该案例已公开；如需修改公开说明，请先撤回公开。")
    listing.public_summary = _text(public_summary, field="public_summary", label="公开说明")
    if PHONE_NUMBER.search(listing.public_summary):
        # the public page shows this text to anyone: a person's phone number is the leak most easily typed in
        raise DomainError("公开说明中不能含有电话号码等个人信息，请删除后再公开。", field="public_summary")
    listing.published_on = timezone.localdate()
    listing.published_by = actor
    raise_first(field_problems(listing, ["public_summary"]))
    listing.save(update_fields=["public_summary", "published_on", "published_by"])
    _event(listing, actor=actor, action="公开曝光", note=listing.public_summary)
    public_changed()
    return listing


@transaction.atomic
def hazard_listing_withdraw(*, actor, hazard, reason=""):
    """Take a published case off the public page (its summary is kept, for a later publication)."""
    if not can_publish(actor, hazard):
        raise NotPermitted("只有县局执法人员可以撤回公开的案例。")
    listing = _locked_listing(hazard)
    if not listing.is_published:
        raise InvalidState("该案例未公开，无需撤回。")
    listing.published_on = None
    listing.published_by = None
    listing.save(update_fields=["published_on", "published_by"])
    reason = _text(reason, field="reason", label="撤回理由", required=False)
    _event(listing, actor=actor, action="撤回公开", note=reason)
    public_changed()
    return listing

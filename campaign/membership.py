"""Which campaign a record, a unit or a deadline belongs to: the one reading of a campaign's scope and dates.

A bureau may run several campaigns at once (百日行动 and 冬季“三防”, say), each over all its mines and
enterprises or over the ones it names (`Campaign.covers_all_units`, `Campaign.participants`). A record (a hazard, a
三违, a training session, a positioning day, a submission) belongs to every campaign whose units include its mine
and whose dates hold its day; nothing is stored for that, so shifting a campaign's dates or changing who takes part
moves its records with it. Lists, charts, exports, sweeps and the progress filled from records all ask here.

Naming an enterprise brings in all its mines; naming a mine brings in its enterprise too (it oversees the mine and
owes the enterprises' reports). One campaign's records, deadlines and progress never show in another's.
"""

from django.db.models import Q

from core.scoping import ENTERPRISE, MINE, NONE

from .models import Campaign, CampaignStatus


def _participants(campaign):
    """The named units (from the prefetch cache when there is one, as `running_campaigns` loads it; else read once
    per instance, so a loop over one campaign's deadlines and units asks once)."""
    cached = getattr(campaign, "_prefetched_objects_cache", {}).get("participants")
    if cached is not None:
        return list(cached)
    if not hasattr(campaign, "_participants_read"):
        campaign._participants_read = list(campaign.participants.only("pk", "parent_id", "kind"))
    return campaign._participants_read


def takes_part(campaign, unit):
    """Whether the mine or enterprise `unit` takes part in `campaign` (the bureau itself runs it: always)."""
    if unit is None or campaign.bureau_id is None:
        return False
    if unit.kind == "bureau":
        return unit.pk == campaign.bureau_id
    if unit.bureau_id != campaign.bureau_id:
        return False
    if campaign.covers_all_units:
        return True
    for chosen in _participants(campaign):
        if chosen.pk == unit.pk or chosen.pk == unit.parent_id or chosen.parent_id == unit.pk:
            return True
    return False


def units_q(campaign, path=""):
    """A Q on an Organization (reached through `path`) keeping the mines and enterprises taking part in `campaign`
    (and its bureau). A subquery, not a query of its own."""
    from accounts.models import Organization

    p = f"{path}__" if path else ""
    q = Q(**{f"{p}bureau_id": campaign.bureau_id})
    if campaign.covers_all_units:
        return q
    chosen = Campaign.participants.through.objects.filter(campaign_id=campaign.pk)
    chosen_ids = chosen.values("organization_id")
    enterprises_of_chosen_mines = Organization.objects.filter(pk__in=chosen_ids, kind="mine").values("parent_id")
    return q & (
        Q(**{f"{p}pk__in": chosen_ids})
        | Q(**{f"{p}parent_id__in": chosen_ids})  # the mines of a chosen enterprise
        | Q(**{f"{p}pk__in": enterprises_of_chosen_mines})
        | Q(**{f"{p}pk": campaign.bureau_id})
    )


def units_of(campaign, kinds=("mine", "enterprise")):
    """The mines and enterprises taking part in `campaign` (a queryset)."""
    from accounts.models import Organization

    return Organization.objects.filter(units_q(campaign), kind__in=list(kinds))


def records_in(campaign, queryset, *, date_field, unit_field="mine"):
    """The rows of `queryset` that belong to `campaign`: their unit takes part and their day is in its dates."""
    if campaign is None:
        return queryset.none()
    return queryset.filter(
        units_q(campaign, unit_field), **{f"{date_field}__range": (campaign.starts_on, campaign.ends_on)}
    )


def reports_upward(campaign, regulator):
    """Whether `regulator` (a county bureau, a city) owes `campaign`'s upward deadlines (Deadline.owed_by_bureau): a
    county its own campaign's (its work plan, summary… to the city above it), and every county (or, for a province,
    city) directly below the campaign's issuer that takes part in it — all of them, or those the campaign names."""
    if regulator is None or campaign.bureau_id is None or regulator.kind not in ("bureau", "city"):
        return False
    if regulator.kind == "bureau" and regulator.pk == campaign.bureau_id:
        return True
    if regulator.parent_id != campaign.bureau_id:
        return False
    return campaign.covers_all_units or any(chosen.pk == regulator.pk for chosen in _participants(campaign))


def upward_q(campaign, path=""):
    """A Q on an Organization (through `path`) keeping the regulators that owe `campaign`'s upward deadlines (as
    `reports_upward` reads them)."""
    p = f"{path}__" if path else ""
    below = Q(**{f"{p}kind__in": ["bureau", "city"], f"{p}parent_id": campaign.bureau_id})
    if not campaign.covers_all_units:
        chosen = Campaign.participants.through.objects.filter(campaign_id=campaign.pk)
        below &= Q(**{f"{p}pk__in": chosen.values("organization_id")})
    return below | Q(**{f"{p}kind": "bureau", f"{p}pk": campaign.bureau_id})


def joined_by_q(scope):
    """A Q on Campaign keeping the campaigns the `scope`'s organisation takes part in (every one of its bureau for a
    bureau; for a mine or an enterprise, those over all units or naming it, its enterprise or one of its mines)."""
    if scope.kind == NONE:
        return Q(pk__in=[])
    if scope.over_units:  # a bureau, or a city or province above its bureaus
        return Q()
    named = Q(participants__pk=scope.org_id)
    if scope.kind == MINE:
        # its enterprise named: the subquery reads the mine's parent
        from accounts.models import Organization

        named |= Q(participants__pk__in=Organization.objects.filter(pk=scope.org_id).values("parent_id"))
    elif scope.kind == ENTERPRISE:
        named |= Q(participants__parent_id=scope.org_id)
    return Q(covers_all_units=True) | Q(pk__in=Campaign.objects.filter(named).values("pk"))


def running_campaigns(*, bureau_id):
    """The bureau's published campaigns (participants loaded), oldest first: pass to `campaigns_of` and
    `campaign_of_record` as `campaigns` to look many days or units up without a query each."""
    return list(
        Campaign.objects.filter(bureau_id=bureau_id, is_template=False, status=CampaignStatus.PUBLISHED)
        .prefetch_related("participants")
        .order_by("starts_on", "pk")
    )


def campaigns_of(*, unit, day, campaigns=None):
    """Every campaign `unit` (a mine or an enterprise, or the bureau) takes part in that runs on `day`, oldest
    first. A draft runs nowhere."""
    if unit is None:
        return []
    if campaigns is None:
        bureau_id = unit.pk if unit.kind == "bureau" else unit.bureau_id
        campaigns = running_campaigns(bureau_id=bureau_id)
    return [
        c
        for c in campaigns
        if not c.is_draft and not c.is_template and c.starts_on <= day <= c.ends_on and takes_part(c, unit)
    ]


def campaign_of_record(*, unit, day, campaigns=None):
    """The campaign whose figures a record of `unit` on `day` is judged by (its own deadlines: 倒查 and 问责 days,
    leader review): the oldest of those it belongs to, so a short campaign opened on top of a running one does not
    change the rules mid-way. None outside every campaign. The record belongs to all of `campaigns_of` alike."""
    found = campaigns_of(unit=unit, day=day, campaigns=campaigns)
    return found[0] if found else None


def campaigns_touched(*, unit, days, campaigns=None):
    """The campaigns a record of `unit` on any of `days` belongs to (a record moved from one day to another leaves
    the campaigns of the first and joins those of the second: the progress of both is filled again)."""
    found = {}
    for day in days:
        if day is None:
            continue
        for c in campaigns_of(unit=unit, day=day, campaigns=campaigns):
            found.setdefault(c.pk, c)
    return list(found.values())


def bureau_campaign_on(*, bureau_id, day):
    """The campaign the bureau's own acts of `day` are filed under (a 通报, a 问责): the oldest running one."""
    running = [c for c in running_campaigns(bureau_id=bureau_id) if c.starts_on <= day <= c.ends_on]
    return running[0] if running else None

"""What the public sees of 挂牌督办: a bureau's current listings and the closed cases it chose to publish (曝光).

One list of public fields, used by the page, the API and the tests that check nothing else leaks. The rows are read
with `.only()` those columns, so an internal field (responsible person, funds, measures, notes, files, users) is not
even fetched. The page is the same for everyone (no login, no per-user data), so its rendered pages are cached; the
listing services bump a version on commit, and the cache also expires by itself for the hazard's own edits.
"""

import re

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from accounts.models import Bureau

from .models import HazardListing

#: (name, Chinese label) of every field the public page and API show, in their order
PUBLIC_FIELDS = (
    ("mine", "煤矿"),
    ("description", "隐患内容"),
    ("major_category", "重大隐患类别"),
    ("major_item", "判定依据"),
    ("listed_on", "挂牌日期"),
    ("supervising_unit", "督办单位"),
    ("due_on", "整改期限"),
    ("status", "挂牌状态"),
    ("delisted_on", "摘牌日期"),
    ("public_summary", "公开说明"),
)

#: what a public code may be (a SlugField, at most its 40 characters)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
#: seconds a rendered public page is kept; a listing step invalidates it at once (public_changed)
CACHE_SECONDS = 300
_VERSION_KEY = "public-listed-hazards:version"


def public_bureau(code):
    """The bureau a public address names: by its public code, else by its id; without one, the deployment's bureau
    (the first, as for the public report form). None when nothing matches (the page answers 404)."""
    code = (code or "").strip()
    bureaus = Bureau.objects.only("pk", "name", "short_name", "public_code")
    if not code:
        return bureaus.order_by("pk").first()
    if not SLUG.fullmatch(code):
        return None  # no code looks like this (and a NUL or a page of text never reaches the database)
    found = bureaus.filter(public_code=code.lower()).first()
    if found is None and code.isdigit() and len(code) < 10:
        found = bureaus.filter(pk=int(code)).first()
    return found


def public_listings(*, bureau_id):
    """The rows of a bureau's public page: listings still on the board first, then published cases, newest first."""
    return (
        HazardListing.objects.public(bureau_id=bureau_id)
        .select_related("hazard__mine", "hazard__major_category", "hazard__major_item__category__standard")
        .only(
            "hazard",
            "hazard__mine",
            "hazard__major_category",
            "listed_on",
            "supervising_unit",
            "delisted_on",
            "published_on",
            "public_summary",
            "hazard__description",
            "hazard__due_on",
            "hazard__mine__name",
            "hazard__major_category__no",
            "hazard__major_category__name",
            "hazard__major_item__label",
            "hazard__major_item__text",
            "hazard__major_item__category__article",
            "hazard__major_item__category__standard__name",
        )
        .order_by(F("delisted_on").desc(nulls_first=True), "-listed_on", "-id")
    )


def public_row(listing):
    """One listing as the public sees it: exactly PUBLIC_FIELDS (the page and the API both show this)."""
    hazard = listing.hazard
    return {
        "mine": hazard.mine.name,
        "description": hazard.description,
        "major_category": str(hazard.major_category) if hazard.major_category_id else "",
        # the 情形 it was judged under, cited as the bureau's documents cite it (issue 25)
        "major_item": f"{hazard.major_item.citation}：{hazard.major_item.text}" if hazard.major_item_id else "",
        "listed_on": listing.listed_on,
        "supervising_unit": listing.supervising_unit,
        "due_on": hazard.due_on,
        "status": listing.status.value,
        "status_display": listing.get_status_display(),
        "delisted_on": listing.delisted_on,
        "public_summary": listing.public_summary if listing.is_published else "",
    }


def cache_version():
    return cache.get_or_set(_VERSION_KEY, 1, timeout=None)


def public_changed():
    """A listing was added, taken down, published or withdrawn: the cached public pages are stale once it commits."""

    def bump():
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:  # no version yet: the next read starts one
            cache.set(_VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)

"""Reading enforcement documents: every read starts from `EnforcementDocument.objects.visible_to(user)` and, for users
who do not see the bureau's drafts (mines, enterprises), keeps only what was issued to them. Pages, the API, the
print view, the .docx and the month's archive all read through here."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from ..models import DocumentEvent, DocumentItem, DocumentOfficer, DocumentStatus, EnforcementDocument
from ..permissions import can_see_drafts


def visible_documents(user):
    documents = EnforcementDocument.objects.visible_to(user)
    if not can_see_drafts(user):
        return documents.served_on_mine()
    # A city's (province's) own drafts are its business until issued: the county below, whose mine it is, reads them
    # from then on, as the mine does. The county's drafts the city reads (everything below, read-only).
    higher_draft = Q(status=DocumentStatus.DRAFT) & ~Q(bureau_id=F("mine__bureau_id"))
    return documents.exclude(higher_draft & ~Q(bureau_id=user.organization_id))


def _officers():
    return Prefetch("officers", queryset=DocumentOfficer.objects.order_by("order", "id"))


def document_list(*, user):
    """The list (page and API): the mine, its enterprise and what the document follows in one join; officers and
    items in one more query each per page."""
    return (
        visible_documents(user)
        .select_related("mine", "mine__parent", "inspection", "follows")
        .prefetch_related(_officers(), Prefetch("items", queryset=DocumentItem.objects.order_by("order", "id")))
        .order_by("-issued_on", "-id")
    )


def document_list_page(*, user):
    """`document_list` as the list page reads it: of the relations a row shows only the mine and its enterprise in
    full; the number of the document it follows and the count of its items as subqueries of the rows query, so a page
    costs one query fewer and reads no followed document and no item (the API and exports keep `document_list`).
    Subqueries, not joins: a join would stay in the page's ids query and count, which read the time index alone."""
    follows = EnforcementDocument.objects.filter(pk=OuterRef("follows_id")).order_by().values("number")
    items = DocumentItem.objects.filter(document=OuterRef("pk")).order_by().values("document").annotate(n=Count("*"))
    return (
        visible_documents(user)
        .select_related("mine", "mine__parent")
        .annotate(follows_number=Subquery(follows), item_count=Coalesce(Subquery(items.values("n")), 0))
        .prefetch_related(_officers())
        .order_by("-issued_on", "-id")
    )


def document_detail(*, user, pk):
    qs = visible_documents(user).select_related("mine", "mine__parent", "bureau", "inspection", "follows", "created_by")
    qs = qs.prefetch_related(
        _officers(),
        Prefetch(
            "items",
            # the hazard's 情形 and its standard: the citation printed beside a major hazard (major_citation)
            queryset=DocumentItem.objects.select_related("hazard__major_item__category__standard").order_by(
                "order", "id"
            ),
        ),
        Prefetch("events", queryset=DocumentEvent.objects.select_related("actor")),
        Prefetch("followed_by", queryset=visible_documents(user).order_by("issued_on", "id")),
    )
    return get_object_or_404(qs, pk=pk)


def issued_in_month(*, user, year, month):
    """A month's issued (and served) documents the user sees, in the order of their series."""
    return (
        visible_documents(user)
        .exclude(status=DocumentStatus.DRAFT)
        .filter(issued_on__year=year, issued_on__month=month)
        .select_related("mine", "bureau", "inspection", "follows")
        .prefetch_related(_officers(), Prefetch("items", queryset=DocumentItem.objects.order_by("order", "id")))
        .order_by("kind", "serial", "id")
    )

"""What the search box looks in, kind by kind. Each kind's rows come from its app's search selector, which starts
from that app's visibility rule (`visible_to`, the download views' own querysets): this module only arranges them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import CharField, DateTimeField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from campaign.selectors import progress_evidence_search
from hazards.selectors import hazard_file_search, hazard_search, inspection_search
from reporting.selectors import submission_file_search, submission_search
from violations.selectors import bulletin_search, red_line_search, violation_search


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it: a linked title, a line of text, small facts, and more links."""

    title: str
    url: str
    text: str = ""
    meta: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (label, url)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    rows: Callable  # (user=, words=) → an ordered queryset
    hit: Callable  # a row → Hit
    empty: str = "没有找到。"


def _mine(mine):
    return mine.short_name or mine.name


def _hazard_hit(h):
    level = "重大隐患" if h.is_major else "一般隐患"
    return Hit(
        title=h.description,
        url=reverse("hazard_detail", kwargs={"pk": h.pk}),
        text=h.location,
        meta=[_mine(h.mine), f"{h.found_on:%Y-%m-%d}", level, h.get_status_display()],
    )


def _violation_hit(v):
    return Hit(
        title=f"{v.person_name}：{v.description}",
        url=reverse("violation_detail", kwargs={"pk": v.pk}),
        text=" ".join(x for x in (v.location, v.department, v.team, v.post) if x),
        meta=[_mine(v.mine), f"{v.occurred_on:%Y-%m-%d}", v.get_type_display(), v.get_severity_display()],
    )


def _inspection_hit(i):
    return Hit(
        title=f"{i.mine.name} {i.inspected_on:%Y-%m-%d} {i.get_mode_display()}",
        url=reverse("inspection_detail", kwargs={"pk": i.pk}),
        text=i.notes or i.team_note,
        meta=[f"登记人 {i.created_by.display_name}" if i.created_by else ""],
    )


def _submission_hit(s):
    meta = [s.get_status_display()]
    if s.submitted_at:
        meta.append(f"报送于 {s.submitted_at:%Y-%m-%d}")
    meta.append(f"截止 {s.deadline.due_on:%Y-%m-%d}")
    return Hit(
        title=f"{s.organization.name} · {s.deadline.name}",
        url=reverse("submission_detail", kwargs={"pk": s.pk}),
        text=f"退回理由：{s.return_reason}" if s.return_reason else "",
        meta=meta,
    )


# Documents: bulletins, red-line lists and the stored files of hazards, submissions and task progress, as one list
# (a UNION of the same seven columns), newest first, so that they page together.

DOCUMENT_LABELS = {
    "bulletin": "“三违”通报",
    "red_line": "红线清单",
    "hazard_file": "隐患照片与资料",
    "submission_file": "报送附件",
    "evidence": "任务佐证材料",
}
_COLUMNS = ("doc_kind", "doc_pk", "doc_title", "doc_at", "doc_place", "doc_ref", "doc_ref2")


def _columns(qs, kind, *, title, at, place, ref, ref2=None):
    text = CharField()
    return qs.annotate(
        doc_kind=Value(kind, output_field=text),
        doc_pk=F("pk"),
        doc_title=Cast(title, text),
        doc_at=Cast(at, DateTimeField()),
        doc_place=Cast(place, text),
        doc_ref=Cast(ref, IntegerField()),
        doc_ref2=Cast(ref2 if ref2 is not None else Value(None), IntegerField()),
    ).values_list(*_COLUMNS)


def document_rows(*, user, words):
    parts = [
        _columns(
            bulletin_search(user=user, words=words),
            "bulletin",
            title="title",
            at=Coalesce("published_at", "created_at"),
            place="bureau__name",
            ref="pk",
        ),
        _columns(
            red_line_search(user=user, words=words),
            "red_line",
            title="title",
            at="created_at",
            place="mine__name",
            ref="pk",
        ),
        _columns(
            hazard_file_search(user=user, words=words),
            "hazard_file",
            title="original_name",
            at="uploaded_at",
            place="hazard__mine__name",
            ref="hazard_id",
        ),
        _columns(
            submission_file_search(user=user, words=words),
            "submission_file",
            title="original_name",
            at="uploaded_at",
            place="submission__organization__name",
            ref="submission_id",
        ),
        _columns(
            progress_evidence_search(user=user, words=words),
            "evidence",
            title="original_name",
            at="uploaded_at",
            place="progress__organization__name",
            ref="progress__requirement__campaign_id",
            ref2="progress__requirement_id",
        ),
    ]
    parts = [qs.order_by() for qs in parts]
    return parts[0].union(*parts[1:], all=True).order_by("-doc_at", "doc_kind", "-doc_pk")


def _document_hit(row):
    kind, pk, title, at, place, ref, ref2 = row
    links = []
    if kind == "bulletin":
        url = reverse("bulletin_detail", kwargs={"pk": pk})
    elif kind == "red_line":
        url = reverse("red_line_detail", kwargs={"pk": pk})
    elif kind == "hazard_file":
        url = reverse("hazard_file_download", kwargs={"file_pk": pk})
        links.append(("所属隐患", reverse("hazard_detail", kwargs={"pk": ref})))
    elif kind == "submission_file":
        url = reverse("submission_file", kwargs={"file_pk": pk})
        links.append(("所属报送", reverse("submission_detail", kwargs={"pk": ref})))
    else:
        url = reverse("progress_file", kwargs={"file_pk": pk})
        links.append(("所属任务事项", reverse("progress_item", kwargs={"pk": ref, "requirement_pk": ref2})))
    meta = [DOCUMENT_LABELS[kind], place or ""]
    if at:
        meta.append(f"{timezone.localtime(at):%Y-%m-%d}")
    return Hit(title=title, url=url, meta=meta, links=links)


KINDS = [
    Kind("hazards", "隐患", hazard_search, _hazard_hit),
    Kind("violations", "“三违”", violation_search, _violation_hit),
    Kind("inspections", "检查", inspection_search, _inspection_hit),
    Kind("submissions", "报送", submission_search, _submission_hit),
    Kind("documents", "通报与文件", document_rows, _document_hit),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

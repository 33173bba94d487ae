from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import (
    ExamPaper,
    ExamResult,
    Hazard,
    HazardEvent,
    HazardFile,
    HazardListing,
    Inspection,
    MajorHazardCategory,
    MajorHazardItem,
    SuspectedMajorHazard,
)
from .models.suspected import EDITED_WHILE_PENDING
from .permissions import can_accept


def hazard_list(*, user):
    return (
        Hazard.objects.visible_to(user)
        .select_related(
            "mine",
            "mine__parent",
            "major_category",
            "major_item__category__standard",
            "listing",
            "suspected_major__item__category",
        )
        .order_by("-found_on", "-id")
    )


def hazard_list_page(*, user):
    """`hazard_list` as the ledger page reads it: each row's mine and listing badge are all it shows of the
    relations, so its rows query joins those two, not the six the API and exports read (planning that ten-table join
    took longer than reading a page's rows)."""
    return hazard_list(user=user).select_related(None).select_related("mine", "listing")


def hazard_detail(*, user, pk):
    qs = Hazard.objects.visible_to(user).select_related(
        "mine",
        "mine__parent",
        "mine__bureau",
        "major_category__standard",
        "major_item__category__standard",
        "inspection",
        "listing__delisted_by",
        "created_by",
        "campaign",
        "import_batch__created_by",  # an imported line's first step in its 处理记录
        "leader_review__submitted_by",
        "leader_review__received_by",
        "suspected_major__item__category__standard",
        "suspected_major__decided_by",
    )
    qs = qs.prefetch_related(
        Prefetch("events", queryset=HazardEvent.objects.select_related("actor")),
        "files",
        "accountability__recorded_by",
    )
    return get_object_or_404(qs, pk=pk)


def hazard_acceptors(hazard):
    """Who may accept (or return) the hazard's pending acceptance, the mine's own people first: for a general hazard
    the officers of its mine and its enterprise, for a major one the bureau's inspectors; never the one who asked.
    Each candidate is put to `permissions.can_accept`, so the page names exactly whom the service would let act."""
    mine = hazard.mine
    organizations = [mine.bureau_id] if hazard.is_major else [mine.pk, mine.parent_id]
    candidates = User.objects.filter(is_active=True, organization_id__in=organizations).select_related("organization")
    acceptors = [user for user in candidates if can_accept(user, hazard)]
    return sorted(acceptors, key=lambda user: (user.organization_id != mine.pk, user.display_name))


def listed_hazards(*, user):
    """The county list of 挂牌督办 major hazards."""
    return (
        HazardListing.objects.filter(hazard__in=Hazard.objects.visible_to(user))
        .select_related("hazard__mine", "hazard__major_category", "hazard__major_item__category__standard")
        .order_by("-listed_on", "-id")
    )


def current_major_categories():
    return MajorHazardCategory.objects.filter(standard__is_current=True).order_by("no")


def current_major_items():
    """The situations (情形) of the current standard, by category and item."""
    return (
        MajorHazardItem.objects.filter(category__standard__is_current=True)
        .select_related("category__standard")
        .order_by("category__no", "no")
    )


def inspection_list(*, user):
    qs = Inspection.objects.visible_to(user).select_related("mine", "created_by", "higher_bureau")
    qs = qs.order_by("-inspected_on", "-id")
    return with_exam_flag(qs)


def inspection_detail(*, user, pk):
    qs = Inspection.objects.visible_to(user).select_related("mine", "created_by", "campaign", "higher_bureau")
    # "violations" is the reverse of violations.Violation.inspection: named, not imported (apps stay one-way).
    # Findings through the visibility rule too: a finding of another mine wrongly attached to this inspection
    # (before hazard_create checked the inspection's mine) is not shown to this mine.
    violation_model = Inspection._meta.get_field("violations").related_model
    qs = qs.prefetch_related(
        "inspectors",
        Prefetch("exams", queryset=ExamResult.objects.select_related("paper")),
        "papers",
        Prefetch("violations", queryset=violation_model.objects.visible_to(user)),
        Prefetch("hazards", queryset=Hazard.objects.visible_to(user).order_by("id")),
    )
    raw = str(pk)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Http404("没有该检查。")  # `?inspection=abc` in a hand-edited address: not found, never a 500
    return get_object_or_404(qs, pk=int(raw))


def exam_paper_detail(*, user, pk):
    """A 逢查必考 paper the user sees (through its inspection's mine; 404 otherwise), with its results."""
    return get_object_or_404(
        ExamPaper.objects.visible_to(user)
        .select_related("inspection__mine", "standard", "created_by")
        .prefetch_related("results"),
        pk=pk,
    )


def exam_detail(*, user, pk):
    return get_object_or_404(ExamResult.objects.visible_to(user).select_related("inspection__mine"), pk=pk)


def hazard_counts(*, user, today=None):
    """The figures the home page shows, in one query."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import HazardStatus, major_open_q, open_q, overdue_q

    today = today or timezone.localdate()
    return Hazard.objects.visible_to(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q()),
        overdue=Count("pk", filter=overdue_q(today)),
        awaiting=Count("pk", filter=Q(status=HazardStatus.AWAITING_ACCEPTANCE)),
        major_open=Count("pk", filter=major_open_q()),
    )


def leader_review_counts(*, user, today=None):
    """四(四)3's 检查 the user's home shows: to be submitted (of which overdue), to be received; one query."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import LeaderReview, leader_review_overdue_q

    return LeaderReview.objects.visible_to(user).aggregate(
        awaiting=Count("pk", filter=Q(submitted_at__isnull=True)),
        overdue=Count("pk", filter=leader_review_overdue_q(today or timezone.localdate())),
        to_receive=Count("pk", filter=Q(submitted_at__isnull=False, received_at__isnull=True)),
    )


# The search box (search/): each selector starts from the same rule as the list and the file downloads.

#: where a word is looked for in the hazard ledger: its text and the mine's name (“东峰 回风” finds 东峰煤矿's)
HAZARD_SEARCH_FIELDS = ("description", "location", "responsible_person", "responsible_unit", "measures", "mine__name")


def hazard_search(*, user, words):
    from core.search import words_q

    return hazard_list(user=user).filter(words_q(words, HAZARD_SEARCH_FIELDS))


def inspection_search(*, user, words):
    from core.search import words_q

    from .models import InspectionMode

    fields = ("notes", "team_note", "mine__name")
    return inspection_list(user=user).filter(words_q(words, fields, choices={"mode": InspectionMode}))


def hazard_files(*, user):
    """The photos and papers of the hazards the user sees (the download view serves no other)."""
    return HazardFile.objects.filter(hazard__in=Hazard.objects.visible_to(user))


def hazard_file_search(*, user, words):
    from core.search import words_q

    return hazard_files(user=user).filter(words_q(words, ("original_name",)))


# ------------------------------------------------------------------ 逢查必考 and 检查覆盖


def exam_missing_q():
    """A bureau inspection at which nobody was examined (逢查必考 not done)."""
    from django.db.models import Exists, OuterRef, Q

    from .models.inspection import BUREAU_MODES

    return Q(mode__in=BUREAU_MODES) & ~Q(Exists(ExamResult.objects.filter(inspection=OuterRef("pk"))))


def with_exam_flag(queryset):
    """Inspections with `has_exam` (read by Inspection.exam_missing): one subquery, not a query per row."""
    from django.db.models import Exists, OuterRef

    return queryset.annotate(has_exam=Exists(ExamResult.objects.filter(inspection=OuterRef("pk"))))


def _count(queryset):
    """How many rows of `queryset` (filtered on OuterRef("pk") of a mine) there are, as a subquery, 0 for none."""
    from django.db.models import Count, IntegerField, Subquery
    from django.db.models.functions import Coalesce

    counted = queryset.order_by().values("mine_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_inspection_figures(mines, *, start=None, end=None):
    """Mines with their bureau inspection figures, each an annotation computed by the database (no query per mine):
    `last_inspected_on` (the bureau's last inspection, ever), `open_hazards`, `major_open`; and within [start, end]
    (a phase; none: no such figures) `phase_inspections`, `phase_four_no_two` (四不两直) and `phase_exam_missing`."""
    from django.db.models import Max, OuterRef, Subquery

    from .models import major_open_q, open_q
    from .models.inspection import BUREAU_MODES, InspectionMode

    bureau = Inspection.objects.filter(mine_id=OuterRef("pk"), mode__in=BUREAU_MODES)
    last = bureau.order_by().values("mine_id").annotate(last=Max("inspected_on")).values("last")[:1]
    hazards = Hazard.objects.filter(mine_id=OuterRef("pk"))
    mines = mines.annotate(
        last_inspected_on=Subquery(last),
        open_hazards=_count(hazards.filter(open_q())),
        major_open=_count(hazards.filter(major_open_q())),
    )
    if start is None or end is None:
        return mines
    in_phase = bureau.filter(inspected_on__range=(start, end))
    return mines.annotate(
        phase_inspections=_count(in_phase),
        phase_four_no_two=_count(in_phase.filter(mode=InspectionMode.FOUR_NO_TWO_DIRECT)),
        phase_exam_missing=_count(in_phase.filter(exam_missing_q())),
    )


def days_since(day, today):
    return (today - day).days if day else None


def supervised_mines(*, user, today, start=None, end=None):
    """我包保的煤矿: the mines `user` is 监管专员 of, with their status, open and open major hazards, the bureau's last
    inspection and the days since (and this phase's inspections when [start, end] is given). One query."""
    from accounts.models import Mine

    mines = Mine.objects.visible_to(user).filter(supervisions__supervisor=user).select_related("parent")
    rows = []
    for mine in with_inspection_figures(mines, start=start, end=end).order_by("name", "pk"):
        rows.append(
            {
                "mine": mine,
                "open": mine.open_hazards,
                "major_open": mine.major_open,
                "last_inspected_on": mine.last_inspected_on,
                "days_since": days_since(mine.last_inspected_on, today),
                "phase_inspections": getattr(mine, "phase_inspections", None),
            }
        )
    return rows


def inspection_coverage(*, user, start, end, not_inspected=False, campaign=None):
    """检查覆盖: every mine the user sees (taking part in `campaign`, if given) with its figures for [start, end];
    mines not inspected in it first, then those inspected longest ago."""
    from django.db.models import Case, F, Value, When

    from accounts.models import Mine
    from accounts.selectors import active_supervisions

    in_sight = Mine.objects.visible_to(user)
    if campaign is not None:
        from campaign.membership import units_q

        in_sight = in_sight.filter(units_q(campaign))
    mines = with_inspection_figures(
        in_sight.select_related("parent").prefetch_related(active_supervisions()),
        start=start,
        end=end,
    )
    if not_inspected:
        mines = mines.filter(phase_inspections=0)
    return mines.order_by(
        Case(When(phase_inspections=0, then=Value(0)), default=Value(1)),
        F("last_inspected_on").asc(nulls_first=True),
        "name",
        "pk",
    )


def not_inspected_count(*, user, start, end):
    from django.db.models import Exists, OuterRef

    from accounts.models import Mine

    from .models.inspection import BUREAU_MODES

    done = Inspection.objects.filter(mine_id=OuterRef("pk"), mode__in=BUREAU_MODES, inspected_on__range=(start, end))
    return Mine.objects.visible_to(user).filter(~Exists(done)).count()


def inspections_without_exam(*, user, start, end, limit=50):
    """The bureau's inspections of [start, end] with nobody examined (逢查必考 not done), latest first."""
    return list(
        Inspection.objects.visible_to(user)
        .filter(inspected_on__range=(start, end))
        .filter(exam_missing_q())
        .select_related("mine")
        .order_by("-inspected_on", "-id")[:limit]
    )


def suspected_major_hazards(*, user):
    """疑似重大隐患 the user sees, newest first, with what the list shows of each (one query a page):
    `description_edited`, whether the hazard's description was edited while the finding was 待核实 (描述已修改)."""
    edited = HazardEvent.objects.filter(hazard_id=OuterRef("hazard_id"), action=EDITED_WHILE_PENDING)
    return (
        SuspectedMajorHazard.objects.visible_to(user)
        .select_related("hazard__mine", "item__category__standard", "decided_by")
        .annotate(description_edited=Exists(edited))
        .order_by("-found_at", "-id")
    )


def select_suspected(*, user, pk):
    """One finding the user sees (404 otherwise: "not yours" is not found)."""
    return get_object_or_404(suspected_major_hazards(user=user), pk=pk)


def suspected_pending_by(*fields, user, where=None, self_recorded=False):
    """Rows (values of `fields`…, count) of the 疑似重大隐患 still 待核实 the user sees (and `where`, a Q), grouped by
    `fields`: one query, whatever the number of mines (the ranking, 自查不实, the counties above, the 问责线索).
    `self_recorded`: only those on hazards of the mine's own checks (自查不实)."""
    found = SuspectedMajorHazard.objects.visible_to(user).pending().filter(where or Q())
    if self_recorded:
        found = found.self_recorded()
    return found.values_list(*fields).annotate(n=Count("pk")).order_by()

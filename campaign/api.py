import re

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import VisibleQuerysetMixin
from core.concurrency import RowVersionAPIMixin
from core.errors import DomainError, NotPermitted
from core.filter_fields import IdFilter
from core.pagination import StandardPagination

from . import authoring, organisation, thresholds, verification
from .models import (
    FLAG_AFTER_RETURNS,
    Campaign,
    CampaignStatus,
    GroupKind,
    GroupMember,
    ProgressDeclaration,
    ProgressStatus,
    RequirementProgress,
    VerificationState,
    WorkingGroup,
)
from .permissions import can_author_campaigns, can_see_thresholds, can_set_thresholds, can_verify_progress
from .progress import applies_to
from .selectors import deadline_records, phase_records, requirement_records, units_in_sight
from .serializers import (
    CampaignCreateSerializer,
    CampaignSerializer,
    CampaignUpdateSerializer,
    DeadlineRecordSerializer,
    DeadlineWriteSerializer,
    GroupMemberSerializer,
    GroupMemberWriteSerializer,
    PhaseRecordSerializer,
    PhaseWriteSerializer,
    ProgressReturnSerializer,
    ProgressVerifySerializer,
    RequirementRecordSerializer,
    RequirementSerializer,
    RequirementWriteSerializer,
    TaskListImportSerializer,
    TaskProgressSerializer,
    ThresholdsSerializer,
    ThresholdsWriteSerializer,
    WorkingGroupSerializer,
    WorkingGroupWriteSerializer,
)
from .verification import item_state, needs_verification, organization_state

TASK_LIST_MAX_BYTES = 10 * 1024 * 1024
THRESHOLD_HISTORY_SHOWN = 20


class CampaignFilter(django_filters.FilterSet):
    running = django_filters.BooleanFilter(label="进行中", method="filter_running")
    status = django_filters.ChoiceFilter(label="状态", choices=CampaignStatus.choices)

    class Meta:
        model = Campaign
        fields = ["is_template", "running", "status"]

    def filter_running(self, queryset, name, value):
        """Every published campaign running today (several may run at once); false: the others."""
        running = Campaign.objects.running_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=running) if value else queryset.exclude(pk__in=running)


@extend_schema(tags=["campaigns"])
class CampaignViewSet(VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Campaigns the user sees; the bureau authors them (issue 21): `POST` creates a draft, `PATCH` changes its facts,
    `…/task-list/` imports its task list, `…/publish/` publishes it; `…/phases/`, `…/deadlines/`, `…/requirements/`
    list and add its structure (each one then at `/campaign-phases/{id}/` …), `…/thresholds/` reads and sets its
    figures. After publishing each change is a new version, announced to the units. Mines, enterprises and the
    leadership group 403 on a campaign they see; a campaign not seen (another bureau's, a draft for a unit) 404."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    #: a city authors its own campaigns, which its counties adopt (campaign.permissions.can_author_campaigns: its own)
    regulator_actions = ("create", "partial_update", "phases", "deadlines", "requirements", "publish", "task_list")

    def get_base_queryset(self):
        return Campaign.objects.prefetch_related("phases", "deadlines", "participants").order_by("-starts_on", "pk")

    def _authoring(self, campaign=None):
        if not can_author_campaigns(self.request.user, campaign):
            raise PermissionDenied(authoring.NOT_ALLOWED)

    def _respond(self, campaign, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data, status=code)

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request):
        self._authoring()
        serializer = CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._respond(
            authoring.campaign_create(actor=request.user, **serializer.validated_data), status.HTTP_201_CREATED
        )

    @extend_schema(request=CampaignUpdateSerializer, responses=CampaignSerializer)
    def partial_update(self, request, pk=None):
        """Change the facts sent (name, 文号, issuer, dates, goals, notice); a new start date shifts the whole campaign
        keeping every phase's and deadline's offset. Published: a new version, announced."""
        campaign = self.get_object()
        self._authoring(campaign)
        serializer = CampaignUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._respond(
            authoring.campaign_update(actor=request.user, campaign=campaign, **serializer.validated_data)
        )

    def _structure(self, request, *, rows, serializer_class, write_serializer_class, save):
        """A campaign's phases, deadlines or items: GET a page of them (whoever sees the campaign); POST adds one
        through the service (its authors; 403 before the body is read for the others)."""
        campaign = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(rows(campaign))
            return self.get_paginated_response(serializer_class(page, many=True).data)
        self._authoring(campaign)
        context = {**self.get_serializer_context(), "campaign": campaign}
        serializer = write_serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        record = save(campaign, dict(serializer.validated_data))
        return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=PhaseRecordSerializer(many=True))
    @extend_schema(methods=["POST"], request=PhaseWriteSerializer, responses={201: PhaseRecordSerializer})
    @action(detail=True, methods=["get", "post"])
    def phases(self, request, pk=None):
        return self._structure(
            request,
            rows=lambda c: c.phases.order_by("order", "pk"),
            serializer_class=PhaseRecordSerializer,
            write_serializer_class=PhaseWriteSerializer,
            save=lambda c, data: authoring.phase_save(actor=request.user, campaign=c, **data),
        )

    @extend_schema(methods=["GET"], responses=DeadlineRecordSerializer(many=True))
    @extend_schema(methods=["POST"], request=DeadlineWriteSerializer, responses={201: DeadlineRecordSerializer})
    @action(detail=True, methods=["get", "post"])
    def deadlines(self, request, pk=None):
        return self._structure(
            request,
            rows=lambda c: c.deadlines.order_by("due_on", "code", "pk"),
            serializer_class=DeadlineRecordSerializer,
            write_serializer_class=DeadlineWriteSerializer,
            save=lambda c, data: authoring.deadline_save(actor=request.user, campaign=c, **data),
        )

    @extend_schema(methods=["GET"], responses=RequirementRecordSerializer(many=True))
    @extend_schema(methods=["POST"], request=RequirementWriteSerializer, responses={201: RequirementRecordSerializer})
    @action(detail=True, methods=["get", "post"])
    def requirements(self, request, pk=None):
        """The task list in its order (sections, measures, items), a page at a time; POST adds a section (no
        `parent`), a measure (under a section) or an item (under a measure) after the last one under its parent."""
        return self._structure(
            request,
            rows=lambda c: c.requirements.order_by("order", "pk"),
            serializer_class=RequirementRecordSerializer,
            write_serializer_class=RequirementWriteSerializer,
            save=lambda c, data: authoring.requirement_save(actor=request.user, campaign=c, **data),
        )

    @extend_schema(methods=["GET"], responses=ThresholdsSerializer)
    @extend_schema(methods=["PATCH"], request=ThresholdsWriteSerializer, responses=ThresholdsSerializer)
    @action(detail=True, methods=["get", "patch"])
    def thresholds(self, request, pk=None):
        """The campaign's figures (the notice's, by default) and their latest changes; PATCH sets any of them (the
        bureau's inspectors): on a published campaign the figures that change make a new version, announced."""
        campaign = self.get_object()
        if not can_see_thresholds(request.user):
            raise PermissionDenied("只有县局人员可以查看专项整治的阈值设置。")
        if request.method == "PATCH":
            if not can_set_thresholds(request.user, campaign):
                raise PermissionDenied("只有本局执法人员可以修改专项整治的阈值。")
            serializer = ThresholdsWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            campaign = thresholds.campaign_thresholds_update(
                actor=request.user, campaign=campaign, **serializer.validated_data
            )
        return Response(ThresholdsSerializer(_thresholds_answer(campaign, request.user)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        campaign = self.get_object()
        self._authoring(campaign)
        return self._respond(authoring.campaign_publish(actor=request.user, campaign=campaign))

    @extend_schema(
        request={"multipart/form-data": TaskListImportSerializer, "application/json": TaskListImportSerializer},
        responses={201: dict},
    )
    @action(
        detail=True, methods=["post"], url_path="task-list", parser_classes=[MultiPartParser, FormParser, JSONParser]
    )
    def task_list(self, request, pk=None):
        """Import the draft's task list from a .docx/.xlsx (`file`) or pasted `text`: 201 with what was written; 400
        `{"errors": [{paragraph|row, message}]}` with nothing written; 409 once the campaign is published."""
        campaign = self.get_object()
        self._authoring(campaign)
        serializer = TaskListImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload, data = serializer.validated_data.get("file"), None
        if upload is not None:
            if upload.size > TASK_LIST_MAX_BYTES:
                return Response({"errors": [{"paragraph": 0, "message": "文件过大（超过 10 MB）。"}]}, status=400)
            data = upload.read()
        try:
            preview, created = authoring.task_list_import(
                actor=request.user,
                campaign=campaign,
                name=upload.name if upload is not None else "",
                data=data,
                text=serializer.validated_data.get("text"),
                part=serializer.validated_data.get("part"),
            )
        except authoring.TaskTreeInvalid as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        requirements = campaign.requirements.order_by("order")
        return Response(
            {"part": preview.part, **created, "requirements": RequirementSerializer(requirements, many=True).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[OpenApiParameter("organization", int, description="只看该单位"), OpenApiParameter("page", int)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True)
    def progress(self, request, pk=None):
        """Each unit's items with their `state` (not_started, declared, verified, returned) and the unit's own state,
        a page of units at a time (three queries a page, whatever the number of units)."""
        campaign = self.get_object()
        orgs = units_in_sight(user=request.user, campaign=campaign)
        organization = request.query_params.get("organization")
        if organization:
            if not re.fullmatch(r"[0-9]{1,18}", organization):
                raise DomainError("单位编号应为正整数。", field="organization")
            orgs = orgs.filter(pk=int(organization))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(orgs.order_by("kind", "name", "pk"), request, view=self)
        items = list(campaign.requirements.filter(level="item").order_by("order"))
        progress = {
            (p.organization_id, p.requirement_id): p
            for p in RequirementProgress.objects.filter(requirement__campaign=campaign, organization__in=page)
        }
        results = []
        for org in page:
            rows = []
            for r in items:
                if not applies_to(r, org):
                    continue
                p = progress.get((org.pk, r.pk))
                rows.append(
                    {
                        "requirement": r.pk,
                        "code": r.code,
                        "progress": p.pk if p else None,
                        "status": p.status if p else ProgressStatus.NOT_STARTED,
                        "state": item_state(r, org, p),
                        "verified_by_hand": needs_verification(r, org),
                        "version": p.declarations if p else 0,
                        "times_returned": p.times_returned if p else 0,
                        "flagged": bool(p and p.flagged),
                        "return_reason": p.return_reason if p else "",
                    }
                )
            counts = dict.fromkeys(VerificationState.values, 0)
            for row in rows:
                counts[row["state"]] += 1
            results.append(
                {
                    "organization": {"id": org.pk, "name": org.name, "kind": org.kind},
                    "state": organization_state(row["state"] for row in rows),
                    "counts": counts,
                    "items": rows,
                }
            )
        return paginator.get_paginated_response(results)


def _thresholds_answer(campaign, user):
    """What the API says of a campaign's figures: each with its default, value, bounds and the item that holds it,
    and the latest versions that changed them (two queries)."""
    from .figures import FIGURES, REMINDER_DAYS

    current = thresholds.thresholds_of(campaign)
    figures = [
        {
            "name": f.name,
            "label": f.label,
            "unit": f.unit,
            "default": f.default,
            "value": current.values[f.name],
            "minimum": f.minimum,
            "maximum": f.maximum,
            "item": current.held[f.name].pk if f.name in current.held else None,
            "settable": f.name in current.held,
        }
        for f in FIGURES
    ]
    days = REMINDER_DAYS
    figures.append(
        {
            "name": days.name,
            "label": days.label,
            "unit": "天",
            "default": list(days.default),
            "value": list(current.values[days.name]),
            "minimum": days.minimum,
            "maximum": days.maximum,
            "item": None,
            "settable": True,
        }
    )
    return {
        "campaign": campaign.pk,
        "status": campaign.status,
        "version": campaign.version,
        "may_edit": can_set_thresholds(user, campaign),
        "values": {f["name"]: f["value"] for f in figures},
        "figures": figures,
        "history": list(thresholds.threshold_history(campaign=campaign)[:THRESHOLD_HISTORY_SHOWN]),
    }


class CampaignPartViewSet(VisibleQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One phase, deadline or task item of a campaign the user sees (templates aside): read by whoever sees the
    campaign; `PATCH` (only the fields sent change) and `DELETE` through the services by the campaign's authors (403
    for the others; a campaign not seen 404). After publishing each change is a new version."""

    write_serializer_class = None
    #: the record's fields a PATCH starts from (the service takes them all)
    current_fields = ()

    regulator_actions = ("partial_update", "destroy")  # of the city's own campaigns only (the services say)

    def _authored(self):
        record = self.get_object()
        if not can_author_campaigns(self.request.user, record.campaign):
            raise PermissionDenied(authoring.NOT_ALLOWED)
        return record

    def _changed(self, record):
        context = {**self.get_serializer_context(), "campaign": record.campaign}
        serializer = self.write_serializer_class(data=self.request.data, partial=True, context=context)
        serializer.is_valid(raise_exception=True)
        return {**{name: getattr(record, name) for name in self.current_fields}, **serializer.validated_data}

    def _respond(self, record):
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


@extend_schema(tags=["campaigns"])
class CampaignPhaseViewSet(CampaignPartViewSet):
    serializer_class = PhaseRecordSerializer
    write_serializer_class = PhaseWriteSerializer
    selector = phase_records
    current_fields = ("name", "starts_on", "ends_on", "summary")

    @extend_schema(request=PhaseWriteSerializer, responses=PhaseRecordSerializer)
    def partial_update(self, request, pk=None):
        phase = self._authored()
        data = self._changed(phase)
        return self._respond(authoring.phase_save(actor=request.user, campaign=phase.campaign, phase=phase, **data))

    def destroy(self, request, pk=None):
        authoring.phase_delete(actor=request.user, phase=self._authored())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["campaigns"])
class CampaignDeadlineViewSet(CampaignPartViewSet):
    serializer_class = DeadlineRecordSerializer
    write_serializer_class = DeadlineWriteSerializer
    selector = deadline_records
    current_fields = ("kind", "name", "due_on", "note", *authoring.DEADLINE_OWNERS)

    @extend_schema(request=DeadlineWriteSerializer, responses=DeadlineRecordSerializer)
    def partial_update(self, request, pk=None):
        deadline = self._authored()
        data = self._changed(deadline)
        return self._respond(
            authoring.deadline_save(actor=request.user, campaign=deadline.campaign, deadline=deadline, **data)
        )

    def destroy(self, request, pk=None):
        authoring.deadline_delete(actor=request.user, deadline=self._authored())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["campaigns"])
class CampaignRequirementViewSet(CampaignPartViewSet):
    serializer_class = RequirementRecordSerializer
    write_serializer_class = RequirementWriteSerializer
    selector = requirement_records
    current_fields = (
        "name",
        "text",
        "paragraph",
        "performed_by",
        "evidence",
        "target_min",
        "target_max",
        "target_unit",
    )

    @extend_schema(request=RequirementWriteSerializer, responses=RequirementRecordSerializer)
    def partial_update(self, request, pk=None):
        requirement = self._authored()
        data = self._changed(requirement)
        data.pop("parent", None)  # a requirement stays under its parent: delete and add to move it
        return self._respond(
            authoring.requirement_save(
                actor=request.user,
                campaign=requirement.campaign,
                requirement=requirement,
                parent=requirement.parent,
                **data,
            )
        )

    def destroy(self, request, pk=None):
        authoring.requirement_delete(actor=request.user, requirement=self._authored())
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationViewSet(
    RowVersionAPIMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Read for everyone who sees the campaign; writes through the services (the bureau's inspectors; the leadership
    group 403, mines and enterprises 403, another county 404)."""

    write_serializer_class = None

    def _respond(self, record, code=status.HTTP_200_OK):
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=code)

    def _input(self, **kwargs):
        serializer = self.write_serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class WorkingGroupFilter(django_filters.FilterSet):
    campaign = IdFilter(label="专项整治", field_name="campaign_id")
    kind = django_filters.ChoiceFilter(label="类别", choices=GroupKind.choices)

    class Meta:
        model = WorkingGroup
        fields = ["campaign", "kind"]


@extend_schema(tags=["campaigns"])
class WorkingGroupViewSet(OrganisationViewSet):
    """The campaign's 领导组、办公室、检查工作组, each with its members."""

    serializer_class = WorkingGroupSerializer
    write_serializer_class = WorkingGroupWriteSerializer
    filterset_class = WorkingGroupFilter

    def get_base_queryset(self):
        members = Prefetch("members", queryset=GroupMember.objects.select_related("user"))
        return WorkingGroup.objects.prefetch_related(members).order_by("campaign_id", "order", "pk")

    @extend_schema(request=WorkingGroupWriteSerializer, responses={201: WorkingGroupSerializer})
    def create(self, request):
        data = self._input()
        data.pop("row_version", None)
        return self._respond(organisation.working_group_create(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=WorkingGroupWriteSerializer, responses=WorkingGroupSerializer)
    def partial_update(self, request, pk=None):
        group = self.get_object()
        data = self._input(partial=True)
        data.pop("campaign", None)  # a group stays in its campaign
        row_version = self.expected_row_version(group, data)
        return self._respond(
            organisation.working_group_update(actor=request.user, group=group, row_version=row_version, **data)
        )

    def destroy(self, request, pk=None):
        group = self.get_object()
        row_version = self.expected_row_version(group, self._input(partial=True))
        organisation.working_group_delete(actor=request.user, group=group, row_version=row_version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupMemberFilter(django_filters.FilterSet):
    group = IdFilter(label="工作组", field_name="group_id")
    campaign = IdFilter(label="专项整治", field_name="group__campaign_id")

    class Meta:
        model = GroupMember
        fields = ["group", "campaign"]


@extend_schema(tags=["campaigns"])
class GroupMemberViewSet(OrganisationViewSet):
    serializer_class = GroupMemberSerializer
    write_serializer_class = GroupMemberWriteSerializer
    filterset_class = GroupMemberFilter

    def get_base_queryset(self):
        return GroupMember.objects.select_related("user").order_by("group_id", "order", "pk")

    @extend_schema(request=GroupMemberWriteSerializer, responses={201: GroupMemberSerializer})
    def create(self, request):
        data = self._input()
        data.pop("row_version", None)
        return self._respond(organisation.group_member_add(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=GroupMemberWriteSerializer, responses=GroupMemberSerializer)
    def partial_update(self, request, pk=None):
        member = self.get_object()
        data = self._input(partial=True)
        data.pop("group", None)  # a member stays in its group: remove and add to move
        row_version = self.expected_row_version(member, data)
        return self._respond(
            organisation.group_member_update(actor=request.user, member=member, row_version=row_version, **data)
        )

    def destroy(self, request, pk=None):
        member = self.get_object()
        row_version = self.expected_row_version(member, self._input(partial=True))
        organisation.group_member_remove(actor=request.user, member=member, row_version=row_version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskProgressFilter(django_filters.FilterSet):
    campaign = IdFilter(label="专项整治", field_name="requirement__campaign_id")
    organization = IdFilter(label="单位", field_name="organization_id")
    state = django_filters.ChoiceFilter(label="核验状态", choices=VerificationState.choices)
    flagged = django_filters.BooleanFilter(label="退回两次及以上", method="filter_flagged")

    class Meta:
        model = RequirementProgress
        fields = ["campaign", "organization", "state", "flagged"]

    def filter_flagged(self, queryset, name, value):
        q = {"times_returned__gte": FLAG_AFTER_RETURNS}
        return queryset.filter(**q) if value else queryset.exclude(**q)


@extend_schema(tags=["campaigns"])
class TaskProgressViewSet(
    RowVersionAPIMixin, VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Task progress (任务落实) with its 核验: `state`, every declaration (`versions`); the bureau's inspectors
    verify or return a declared item (others 403; another county's 404; not waiting 409)."""

    serializer_class = TaskProgressSerializer
    filterset_class = TaskProgressFilter

    def get_base_queryset(self):
        versions = Prefetch(
            "versions", queryset=ProgressDeclaration.objects.select_related("declared_by", "reviewed_by")
        )
        return (
            RequirementProgress.objects.select_related("requirement")
            .prefetch_related(versions)
            .order_by("updated_at", "pk")
        )

    def _respond(self, progress):
        return Response(self.get_serializer(self.get_queryset().get(pk=progress.pk)).data)

    def _reviewable(self):
        """The item, refused (403) to whoever may not verify before its body is read."""
        progress = self.get_object()
        if not can_verify_progress(self.request.user, progress):
            raise NotPermitted("只有县局执法人员可以核验任务落实情况。")
        return progress

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=ProgressVerifySerializer, responses=TaskProgressSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        progress = self._reviewable()
        data = self._input(ProgressVerifySerializer)
        row_version = self.expected_row_version(progress)
        return self._respond(
            verification.progress_verify(actor=request.user, progress=progress, row_version=row_version, **data)
        )

    @extend_schema(request=ProgressReturnSerializer, responses=TaskProgressSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        progress = self._reviewable()
        data = self._input(ProgressReturnSerializer)
        row_version = self.expected_row_version(progress)
        return self._respond(
            verification.progress_return(actor=request.user, progress=progress, row_version=row_version, **data)
        )

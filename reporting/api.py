import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaign.models import DeadlineKind
from core.api import VisibleQuerysetMixin
from core.concurrency import RowVersionAPIMixin
from core.filter_fields import IdFilter

from . import services
from .models import Submission, SubmissionStatus, SubmissionVersion
from .serializers import (
    ApproveSerializer,
    ReturnSerializer,
    SubmissionContentSerializer,
    SubmissionOpenSerializer,
    SubmissionSerializer,
)


class SubmissionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=SubmissionStatus.choices)
    kind = django_filters.ChoiceFilter(label="类型", field_name="deadline__kind", choices=DeadlineKind.choices)
    deadline = IdFilter(label="报送事项", field_name="deadline_id")
    organization = IdFilter(label="单位", field_name="organization_id")
    late = django_filters.BooleanFilter(label="逾期")

    class Meta:
        model = Submission
        fields = ["status", "kind", "deadline", "organization", "late"]


@extend_schema(tags=["submissions"])
class SubmissionViewSet(
    RowVersionAPIMixin, VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    #: a city reviews the reports its counties send it (reporting.permissions.can_review says whose)
    regulator_actions = ("approve", "return_")

    def get_base_queryset(self):
        return (
            Submission.objects.select_related("organization", "deadline")
            .prefetch_related(Prefetch("versions", queryset=SubmissionVersion.objects.order_by("number")))
            .order_by("deadline__due_on", "organization__name", "pk")
        )

    def _respond(self, submission, code=status.HTTP_200_OK):
        return Response(SubmissionSerializer(self.get_base_queryset().get(pk=submission.pk)).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=SubmissionOpenSerializer, responses={201: SubmissionSerializer})
    def create(self, request):
        """Open (or find) the caller's organisation's submission for a deadline, as a draft."""
        submission = services.submission_open(
            actor=request.user, deadline=self._input(SubmissionOpenSerializer)["deadline"]
        )
        return self._respond(submission, status.HTTP_201_CREATED)

    @extend_schema(request=SubmissionContentSerializer, responses=SubmissionSerializer)
    def partial_update(self, request, pk=None):
        submission = self.get_object()
        data = dict(self._input(SubmissionContentSerializer))
        row_version = self.expected_row_version(submission, data)
        narrative = {**submission.content.get("narrative", {}), **data.get("narrative", {})}
        manual = {**submission.content.get("manual", {}), **data.get("manual", {})}
        return self._respond(
            services.submission_save(
                actor=request.user, submission=submission, narrative=narrative, manual=manual, row_version=row_version
            )
        )

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = self.get_object()
        row_version = self.expected_row_version(submission)
        return self._respond(
            services.submission_submit(actor=request.user, submission=submission, row_version=row_version)
        )

    @extend_schema(request=ApproveSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        submission = self.get_object()
        data = dict(self._input(ApproveSerializer))
        row_version = self.expected_row_version(submission)
        return self._respond(
            services.submission_approve(actor=request.user, submission=submission, row_version=row_version, **data)
        )

    @extend_schema(request=ReturnSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        submission = self.get_object()
        data = dict(self._input(ReturnSerializer))
        row_version = self.expected_row_version(submission)
        return self._respond(
            services.submission_return(actor=request.user, submission=submission, row_version=row_version, **data)
        )

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accidents.api import AccidentViewSet, InvestigationViewSet
from accountability.api import AccountabilityActionViewSet
from accounts.api import MeView, MineSupervisorViewSet, MineViewSet, OrganizationViewSet, TokenView
from campaign.api import (
    CampaignDeadlineViewSet,
    CampaignPhaseViewSet,
    CampaignRequirementViewSet,
    CampaignViewSet,
    GroupMemberViewSet,
    TaskProgressViewSet,
    WorkingGroupViewSet,
)
from dashboards.api import DashboardChartsView, DashboardView
from enforcement.documents_api import EnforcementDocumentViewSet
from enforcement.penalty_api import PenaltyCaseViewSet
from enforcement.suspension_api import ResumptionApplicationViewSet, SuspensionViewSet
from hazards.api import CriteriaMatchView, HazardViewSet, InspectionViewSet
from hazards.public_api import PublicListedHazardsView
from notifications.api import NoticeDeliveryViewSet, NotificationViewSet
from reporting.api import SubmissionViewSet
from violations.api import (
    RepeatOffenderViewSet,
    TipoffCreateView,
    TipoffDeskViewSet,
    TipoffLookupView,
    ViolationViewSet,
)
from workforce.api import (
    CertificateViewSet,
    DispatchHandoverViewSet,
    PersonViewSet,
    PositioningRecordViewSet,
    TrainingSessionViewSet,
    ZeroShiftPlanViewSet,
)

router = DefaultRouter()
router.include_format_suffixes = False  # JSON only: one URL per resource
router.register("campaigns", CampaignViewSet, basename="campaign")
# One phase, deadline or task item of a campaign (listed and added under /campaigns/{id}/phases/ … ).
router.register("campaign-phases", CampaignPhaseViewSet, basename="campaign-phase")
router.register("campaign-deadlines", CampaignDeadlineViewSet, basename="campaign-deadline")
router.register("campaign-requirements", CampaignRequirementViewSet, basename="campaign-requirement")
router.register("working-groups", WorkingGroupViewSet, basename="working-group")
router.register("task-progress", TaskProgressViewSet, basename="task-progress")
router.register("working-group-members", GroupMemberViewSet, basename="working-group-member")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("mines", MineViewSet, basename="mine")
router.register("mine-supervisors", MineSupervisorViewSet, basename="mine-supervisor")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("violations", ViolationViewSet, basename="violation")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("people", PersonViewSet, basename="person")
router.register("training-sessions", TrainingSessionViewSet, basename="training-session")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("positioning-records", PositioningRecordViewSet, basename="positioning-record")
router.register("zero-shift-plans", ZeroShiftPlanViewSet, basename="zero-shift-plan")
router.register("dispatch-handovers", DispatchHandoverViewSet, basename="dispatch-handover")
router.register("repeat-offenders", RepeatOffenderViewSet, basename="repeat-offender")
# The handling desk's read of 匿名举报 (the public create and lookup are the views below).
router.register("anonymous-reports/received", TipoffDeskViewSet, basename="tipoff-received")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notice-deliveries", NoticeDeliveryViewSet, basename="notice-delivery")
router.register("penalty-cases", PenaltyCaseViewSet, basename="penalty-case")
router.register("enforcement-documents", EnforcementDocumentViewSet, basename="enforcement-document")
router.register("suspensions", SuspensionViewSet, basename="suspension")
router.register("accidents", AccidentViewSet, basename="accident")
router.register("accident-investigations", InvestigationViewSet, basename="accident-investigation")
router.register("resumption-applications", ResumptionApplicationViewSet, basename="resumption-application")
router.register("accountability-actions", AccountabilityActionViewSet, basename="accountability-action")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("dashboard/charts/", DashboardChartsView.as_view(), name="api-dashboard-charts"),
    path("anonymous-reports/", TipoffCreateView.as_view(), name="api-tipoff"),
    # POST, with the code in the body: a code in the URL would be written to access logs.
    path("anonymous-reports/lookup/", TipoffLookupView.as_view(), name="api-tipoff-lookup"),
    # Public, no login: the 挂牌督办 the bureau publishes (the page is /public/listed-hazards/).
    path("public/listed-hazards/", PublicListedHazardsView.as_view(), name="api-public-listed-hazards"),
    # POST: the description is the body (any signed-in user; it writes nothing)
    path("major-hazard-criteria/match/", CriteriaMatchView.as_view(), name="api-major-hazard-criteria-match"),
    path("", include(router.urls)),
]

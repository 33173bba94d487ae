import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, OrganizationKind
from accounts.permissions import is_regulator
from campaign.membership import units_q, upward_q
from campaign.models import DeadlineKind
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotFound, NotPermitted, StaleEdit
from core.scoping import scope_of
from core.uploads import sniff_evidence
from hazards.models import Hazard
from notifications.models import Level
from notifications.recipients import users_by_organization
from notifications.services import Notice, notify_many
from notifications.steps import md, ymd

from .content import WITH_FIGURES, manual_fields, missing_required, narrative_fields
from .figures import ledger_figures, mines_of, period_of
from .models import ReviewStatus, Submission, SubmissionFile, SubmissionStatus, SubmissionUrge, SubmissionVersion
from .permissions import can_review, can_urge, can_write_submission, may_send_for, senders_q
from .selectors import due_soon_days

SNAPSHOT_LIMIT = 5000


def _check_writer(actor, submission):
    if not can_write_submission(actor, submission):
        raise NotPermitted("只有报送单位本单位的人员可以填写和报送。")


def _check_reviewer(actor, submission):
    if not can_review(actor, submission):
        raise NotPermitted(_reviewers_of(submission.organization) + "可以审核该报送。")


def _reviewers_of(organization):
    """Who reviews and urges what `organization` sends, in words: the county's inspectors, or the city above."""
    return "只有上级监管部门" if organization.kind in ("bureau", "city") else "只有县局执法人员"


def submission_open_check(*, actor, deadline):
    """Refuse an actor who may not open a submission for `deadline` (another bureau's deadline is not found; one
    the unit does not owe, or a user who sends no reports, is not permitted); changes nothing."""
    org = actor.organization
    # Another county's deadline is not found; so is a city's the county does not report to.
    if org is None or (deadline.campaign.bureau_id != org.bureau_id and not deadline.is_owed_by(org)):
        raise NotFound("本单位无需报送该事项。")
    if not deadline.is_owed_by(org):
        raise NotPermitted("本单位无需报送该事项。")
    if not may_send_for(actor, org):
        raise NotPermitted("只有报送单位的人员可以填写报送。")


def submission_open(*, actor, deadline):
    """The actor's organisation's submission for `deadline`, created as a draft the first time."""
    submission_open_check(actor=actor, deadline=deadline)
    org = actor.organization
    try:
        with transaction.atomic():
            submission, _ = Submission.objects.get_or_create(
                organization=org, deadline=deadline, defaults={"created_by": actor, "content": {}}
            )
    except IntegrityError:  # two tabs opened it at once
        submission = Submission.objects.get(organization=org, deadline=deadline)
    return submission


def prefill(submission, *, today=None):
    """The figures (and, for the self-check, the lists) as the ledgers hold them now."""
    deadline = submission.deadline
    if deadline.kind not in WITH_FIGURES:
        return {}
    start, end = period_of(deadline)
    data = {"figures": ledger_figures(organization=submission.organization, start=start, end=end, today=today)}
    if deadline.kind == DeadlineKind.SELF_CHECK:
        data["hazard_list"] = _hazard_list(submission.organization, start, end)
    return data


#: the frozen hazard list of a self-check submission: its key in the snapshot, and the ledger field it copies
HAZARD_SNAPSHOT_FIELDS = {
    "mine": "mine__name",
    "found_on": "found_on",
    "source": "source",
    "location": "location",
    "description": "description",
    "level": "level",
    "measures": "measures",
    "responsible_person": "responsible_person",
    "due_on": "due_on",
    "status": "status",
    "accepted_on": "accepted_on",
}


def _hazard_list(organization, start, end):
    rows = (
        Hazard.objects.filter(mine__in=mines_of(organization), found_on__gte=start, found_on__lte=end)
        .order_by("mine__name", "found_on", "id")
        .values_list(*HAZARD_SNAPSHOT_FIELDS.values())[:SNAPSHOT_LIMIT]
    )
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(HAZARD_SNAPSHOT_FIELDS, row, strict=True)}
        for row in rows
    ]


@transaction.atomic
def submission_save(*, actor, submission, narrative, manual=None, row_version=None):
    """`row_version`: the version the draft was based on (None: not checked)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_writer(actor, submission)
    check_row_version(submission, row_version)
    if not submission.editable:
        raise InvalidState(f"报送当前为“{submission.get_status_display()}”，不能修改。")
    kind = submission.deadline.kind
    clean_narrative = {name: (narrative.get(name) or "").strip() for name, _, _ in narrative_fields(kind)}
    clean_manual = {}
    for name, label in manual_fields(kind):
        value = (manual or {}).get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise DomainError(f"“{label}”应为不小于 0 的整数。", field=name)
        clean_manual[name] = value or 0
    submission.content = {**submission.content, "narrative": clean_narrative, "manual": clean_manual}
    submission.save(update_fields=["content", "updated_at"])
    return submission


@transaction.atomic
def submission_attach(*, actor, submission, upload):
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_writer(actor, submission)
    if not submission.editable:
        raise InvalidState("已报送的内容不能再添加附件，如需修改请等待审核退回。")
    content_type = sniff_evidence(upload)
    return SubmissionFile.objects.create(
        submission=submission,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def submission_submit(*, actor, submission, now=None, row_version=None):
    """Freeze a new version. `late` is decided by the first submission: after 23:59:59 of the due date."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("deadline__campaign", "organization")
        .get(pk=submission.pk)
    )
    _check_writer(actor, submission)
    check_row_version(submission, row_version)
    if not submission.editable:
        raise InvalidState(f"报送当前为“{submission.get_status_display()}”，不能再次报送。")
    kind = submission.deadline.kind
    missing = missing_required(kind, submission.content)
    if missing:
        raise DomainError(f"请先填写：{'、'.join(missing)}。")
    now = now or timezone.now()
    content = {**submission.content, **prefill(submission, today=timezone.localdate(now))}
    content["attachments"] = list(submission.files.values_list("pk", flat=True))
    submission.versions_submitted += 1
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.versions_submitted,
        content=content,
        submitted_at=now,
        submitted_by=actor,
    )
    submission.files.filter(first_version__isnull=True).update(first_version=submission.versions_submitted)
    if submission.submitted_at is None:
        submission.submitted_at = now
        due_at = submission.deadline.due_at
        submission.late = now > due_at
        submission.days_late = math.ceil((now - due_at).total_seconds() / 86400) if submission.late else 0
    submission.status = SubmissionStatus.SUBMITTED
    submission.content = content
    submission.return_reason = ""
    submission.save()
    return submission


def _review(actor, submission, *, status, reason="", version=None, row_version=None):
    """`version`: the submitted version the reviewer read (its number); a newer one sent since is refused, so an
    approval is always of what was read. `row_version` (If-Match) is checked as for any write."""
    submission = Submission.objects.select_for_update().select_related("organization").get(pk=submission.pk)
    _check_reviewer(actor, submission)
    if version is not None and version != submission.versions_submitted:
        raise StaleEdit(
            f"您审核的是第{version}版，该报送现为第{submission.versions_submitted}版"
            f"（{submission.get_status_display()}），请刷新后审核最新版本。"
        )
    if submission.status != SubmissionStatus.SUBMITTED:  # before the row version: "already approved" says more
        raise InvalidState(f"报送当前为“{submission.get_status_display()}”，不能审核。")
    check_row_version(submission, row_version)
    version = submission.versions.get(number=submission.versions_submitted)
    version.review_status = ReviewStatus.APPROVED if status == SubmissionStatus.APPROVED else ReviewStatus.RETURNED
    version.review_reason = reason
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save()
    submission.status = status
    submission.return_reason = reason
    submission.save(update_fields=["status", "return_reason", "updated_at"])
    _notify_reviewed(submission, version)
    return submission


def _notify_reviewed(submission, version):
    """The unit hears of its review (bell and e-mail), in the review's transaction: returned with the reason and a
    link to correct it, or approved. Once per submitted version."""
    returned = version.review_status == ReviewStatus.RETURNED
    what = f"{submission.deadline.name}（第{version.number}版）"
    by = "上级" if submission.organization.kind in ("bureau", "city") else "县局"
    title = f"{what}被{by}退回，请修改后重新报送" if returned else f"{what}已通过{by}审核"
    body = (
        f"退回理由：{version.review_reason}"
        if returned
        else (f"审核意见：{version.review_reason}" if version.review_reason else "")
    )
    url = reverse("submission_edit" if returned else "submission_detail", kwargs={"pk": submission.pk})
    recipients = users_by_organization([submission.organization_id], who=senders_q(submission.organization))[
        submission.organization_id
    ]
    notify_many(
        [
            Notice(
                user_id,
                "submission_reviewed",
                f"submission-reviewed:{submission.pk}:{version.number}",
                title,
                body,
                url,
                Level.WARNING if returned else Level.INFO,
            )
            for user_id in recipients
        ]
    )


@transaction.atomic
def submission_approve(*, actor, submission, note="", version=None, row_version=None):
    return _review(
        actor, submission, status=SubmissionStatus.APPROVED, reason=note, version=version, row_version=row_version
    )


@transaction.atomic
def submission_return(*, actor, submission, reason, version=None, row_version=None):
    if not (reason or "").strip():
        raise DomainError("退回必须写明理由，便于报送单位修改。", field="reason")
    return _review(
        actor,
        submission,
        status=SubmissionStatus.RETURNED,
        reason=reason.strip(),
        version=version,
        row_version=row_version,
    )


#: at most this many submissions in one batch approval (one page of the review queue and some)
BATCH_LIMIT = 100


@dataclass(frozen=True)
class Refusal:
    """One item of a batch that was not done: which (as the reviewer knows it) and why, in Chinese."""

    label: str
    message: str


@dataclass
class BatchOutcome:
    approved: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def submissions_approve_many(*, actor, items, note=""):
    """Approve several submissions with one note (批量通过): `items` are (submission id, version read, row version
    read), or "id:version:row_version" strings as the review queue posts them.

    Each item goes through `submission_approve` — the same permission, state and version checks, its own
    transaction, its own notice to the unit — so one that fails (returned meanwhile, a newer version, not found)
    leaves the others approved and is reported with its reason. A submission the actor may not see is "not found",
    whether it exists or not."""
    if not can_review(actor):
        raise NotPermitted("只有县局执法人员和上级监管部门可以审核报送。")
    parsed = [_batch_item(entry) for entry in items]
    if not parsed:
        raise DomainError("请先勾选要通过的报送。")
    if len(parsed) > BATCH_LIMIT:
        raise DomainError(f"一次最多批量通过 {BATCH_LIMIT} 份，请分批办理。")
    ids = [entry[0] for entry in parsed if entry[0] is not None]
    found = {
        s.pk: s
        for s in Submission.objects.visible_to(actor).filter(pk__in=ids).select_related("organization", "deadline")
    }
    outcome = BatchOutcome()
    for pk, version, row_version in parsed:
        submission = found.get(pk)
        if submission is None:
            outcome.refused.append(Refusal(f"编号 {pk}" if pk else "一项", "未找到该报送，或无权审核。"))
            continue
        try:
            submission_approve(actor=actor, submission=submission, note=note, version=version, row_version=row_version)
        except DomainError as exc:
            outcome.refused.append(Refusal(str(submission), exc.message))
        else:
            outcome.approved.append(submission)
    return outcome


def _batch_item(entry):
    """(id, version, row_version) from a tuple or "id:version:row_version"; (None, None, None) when unreadable."""
    parts = entry.split(":") if isinstance(entry, str) else list(entry)
    try:
        pk, version, row_version = (int(p) for p in parts)
    except (TypeError, ValueError):
        return (None, None, None)
    if not (0 < pk < 2**31 and 0 < version < 2**31 and 0 <= row_version < 2**31):
        return (None, None, None)
    return (pk, version, row_version)


@dataclass
class UrgeOutcome:
    urged: int = 0  #: units urged now (recorded, their officers notified)
    already: int = 0  #: units already urged today for this deadline: nothing sent again
    without_people: list = field(default_factory=list)  #: names of units urged that have no account to tell


@transaction.atomic
def submission_urge(*, actor, deadline, organization=None, now=None):
    """催报: tell each unit that owes `deadline` and has not sent it (or just `organization`, one cell of the
    matrix) to send it now. At most once per unit per deadline per day: the record's unique day and the notice's key
    agree, so a second click, a colleague or the column after a cell sends nothing more. A saved draft is not sent:
    it is urged like a unit that has nothing."""
    if not can_urge(actor):
        raise NotPermitted("只有县局执法人员和上级监管部门可以催报。")
    scope = scope_of(actor)
    if not scope.allows_bureau(deadline.campaign.bureau_id):
        raise NotFound("未找到该报送事项。")
    upward = is_regulator(actor)  # a city urges the counties below it, a county its units
    if upward and not deadline.owed_by_bureau:
        raise NotPermitted("上级监管部门只催报下级应向其报送的事项；煤矿和主体企业的报送由县局催报。")
    if organization is not None and not can_urge(actor, organization):
        raise NotFound("未找到该单位。")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if deadline.due_on > today + dt.timedelta(days=due_soon_days(deadline)):
        raise InvalidState(f"{deadline.name}于{md(deadline.due_on)}截止，尚未临近截止，无需催报。")
    if organization is not None:
        if not deadline.is_owed_by(organization):
            raise DomainError(f"{organization.name}无需报送{deadline.name}。")
        units = Organization.objects.filter(pk=organization.pk)
    else:
        if upward:
            units = Organization.objects.filter(upward_q(deadline.campaign), parent_id=actor.organization_id)
            if not deadline.owed_by_bureau:
                units = units.none()
        else:
            kinds = [
                kind
                for kind, owed in (
                    (OrganizationKind.MINE, deadline.owed_by_mines),
                    (OrganizationKind.ENTERPRISE, deadline.owed_by_enterprises),
                )
                if owed
            ]
            units = Organization.objects.visible_to(actor).filter(units_q(deadline.campaign), kind__in=kinds)
    # Subqueries, not id lists: a county's column may hold thousands of units.
    sent = set(
        Submission.objects.filter(
            deadline=deadline, organization__in=units.values("pk"), versions_submitted__gt=0
        ).values_list("organization_id", flat=True)
    )
    if organization is not None and organization.pk in sent:
        raise InvalidState(f"{organization.name}已报送{deadline.name}，无需催报。")
    urged_today = set(
        SubmissionUrge.objects.filter(
            deadline=deadline, urged_on=today, organization__in=units.values("pk")
        ).values_list("organization_id", flat=True)
    )
    missing = [u for u in units.order_by("name", "pk").only("pk", "name", "kind") if u.pk not in sent]
    to_urge = [u for u in missing if u.pk not in urged_today]
    people = users_by_organization([u.pk for u in to_urge], who=senders_q(to_urge[0]) if to_urge else None)
    SubmissionUrge.objects.bulk_create(
        [
            SubmissionUrge(
                deadline=deadline,
                organization=unit,
                urged_on=today,
                urged_at=now,
                urged_by=actor,
                recipients=len(people.get(unit.pk, [])),
            )
            for unit in to_urge
        ],
        ignore_conflicts=True,  # a colleague urging the same unit at the same moment: one record, one notice
    )
    overdue = (today - deadline.due_on).days
    when = f"已逾期{overdue}天" if overdue > 0 else f"将于{ymd(deadline.due_on)} 23:59 截止"
    open_url = reverse("submission_open", args=[deadline.pk])
    notify_many(
        [
            Notice(
                user_id,
                "submission_urged",
                f"submission:urged:{deadline.pk}:{unit.pk}:{today.isoformat()}",
                f"{'上级' if upward else '县局'}催报：请尽快报送{deadline.name}",
                f"{unit.name}尚未报送{deadline.name}（截止{md(deadline.due_on)}，{when}），请尽快完成报送。",
                open_url,
                Level.DANGER,
            )
            for unit in to_urge
            for user_id in people.get(unit.pk, [])
        ]
    )
    return UrgeOutcome(
        urged=len(to_urge),
        already=len(missing) - len(to_urge),
        without_people=[u.name for u in to_urge if not people.get(u.pk)],
    )

"""停产整顿 to 复产验收, one service per step (row lock, permission, state guard, event, one transaction).

- The hazard ledger suspends a mine as soon as a major hazard is open and tells us (hazards.signals
  `major_hazards_changed`, inside its transaction): `suspension_on_major_hazards` opens the mine's one active
  `Suspension`, remembering the status it had before, and links the open major hazards that caused it.
- `suspension_issue_order`: the bureau issues and serves the 责令停产整顿指令书 (content: facts, basis, requirements).
- `resumption_apply`: once no major hazard of the mine is open, its officers apply for 复产验收 (one pending at a time).
- `resumption_decide`: the bureau accepts or refuses with a 复产验收意见书 (content: checked, conclusion, opinion)
  following the order; acceptance alone ends the suspension and puts back the mine's previous status.

Locks are always taken in the order mine → suspension → application, the order the hazard services reach us in
(they lock the mine, then send the signal), so two steps at once wait for each other instead of deadlocking."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Mine, MineStatus
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from hazards.models import Hazard, HazardEvent
from hazards.signals import CHANGED, CLOSED, REMOVED
from notifications.models import Level
from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, notifications_withdraw, notify_many

from ..models import (
    DocumentKind,
    ResumptionApplication,
    ResumptionFile,
    ResumptionStatus,
    Suspension,
    SuspensionEvent,
    SuspensionStatus,
)
from ..permissions import can_apply_resumption, can_decide_resumption, can_order_suspension
from .documents import document_draft, document_issue, document_record_receipt

NOT_ORDERER = "只有县局执法人员可以下达责令停产整顿指令书。"
NOT_APPLICANT = "只有停产整顿煤矿本矿的管理人员可以申请复产验收。"
NOT_DECIDER = "只有县局执法人员可以组织复产验收。"
MAX_FILES = 10

#: the conclusions a 复产验收意见书 states (its content key `conclusion`)
ACCEPTED, REFUSED = "accepted", "refused"


def _event(suspension, *, actor, action, note="", application=None):
    SuspensionEvent.objects.create(
        suspension=suspension, application=application, actor=actor, action=action, note=note
    )


def _locked_mine(mine_id):
    return Mine.objects.select_for_update().get(pk=mine_id)


def _locked_suspension(pk):
    # of=("self",): only the suspension row (FOR UPDATE is refused on the nullable side of the outer join to order)
    return Suspension.objects.select_for_update(of=("self",)).select_related("mine", "order").get(pk=pk)


def _text(value, what, field):
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{what}。", field=field)
    return value


def _day(value, what, field, *, not_before=None, before_what=""):
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{what}。", field=field)
    if isinstance(value, dt.datetime):
        value = value.date()
    if value > timezone.localdate():
        raise DomainError(f"{what}不能晚于今天。", field=field)
    if not_before is not None and value < not_before:
        raise DomainError(f"{what}不能早于{before_what}（{not_before:%Y-%m-%d}）。", field=field)
    return value


def open_major_hazards(mine_id):
    """The mine's major hazards not yet closed (what keeps it from applying for 复产验收), oldest first."""
    return Hazard.objects.filter(mine_id=mine_id).open_major().order_by("found_on", "id")


def _url(suspension):
    return reverse("suspension_detail", kwargs={"pk": suspension.pk})


def _tell_mine(suspension, *, key, title, body="", level=Level.INFO):
    """The mine's officers and its enterprise's hear of a step (bell and e-mail), once per key."""
    mine = suspension.mine
    people = users_by_organization([mine.pk, mine.parent_id])
    recipients = people.get(mine.pk, []) + people.get(mine.parent_id, [])
    notify_many([Notice(uid, "suspension", key, title, body, _url(suspension), level) for uid in recipients])


def _tell_bureau(suspension, *, key, title, body=""):
    bureau_id = suspension.mine.bureau_id
    recipients = inspectors_by_bureau([bureau_id]).get(bureau_id, [])
    notify_many([Notice(uid, "suspension", key, title, body, _url(suspension), Level.WARNING) for uid in recipients])


# ---------------------------------------------------------------- the hazard ledger's signal


def suspension_on_major_hazards(*, mine, previous_status, has_open_major, actor=None, hazard=None, change=""):
    """The receiver of hazards.signals.major_hazards_changed, in the hazard step's transaction with the mine locked.

    - A suspended mine has one active suspension (opened here, idempotent), linked to its open major hazards.
    - The last major hazard closed: the mine is told it may now apply for 复产验收; it stays suspended.
    - An undone import took away every hazard of a suspension that has no order yet, or the bureau's inspector
      downgraded the only one to 一般 (only the bureau may: hazards.services.hazard_update): the suspension is
      withdrawn and the mine's previous status put back. Such a suspension rested on nothing but lines of a file
      taken back within the day, or on an assessment the bureau itself corrected; once the bureau issued an order,
      the order cites the hazards (its items and an event on each), the ledger refuses the undo, and the mine
      leaves 停产整顿 only through 复产验收."""
    suspension = Suspension.objects.select_for_update().filter(mine=mine, status=SuspensionStatus.ACTIVE).first()
    if suspension is None and mine.status == MineStatus.SUSPENDED and has_open_major:
        was = previous_status if previous_status != MineStatus.SUSPENDED else MineStatus.NORMAL
        suspension = Suspension.objects.create(
            mine=mine,
            started_on=timezone.localdate(),
            reason="存在未销号的重大事故隐患，依法责令停产整顿。",
            previous_status=was,
            created_by=actor,
        )
        _event(suspension, actor=actor, action="停产整顿", note=f"停产整顿前：{MineStatus(was).label}")
        _tell_mine(
            suspension,
            key=f"suspension:opened:{suspension.pk}",
            title=f"{mine.name}存在未销号的重大事故隐患，已处于停产整顿",
            body="重大事故隐患全部整改销号后，须向县局申请复产验收，验收通过方可恢复生产。",
            level=Level.DANGER,
        )
        _tell_bureau(
            suspension,
            key=f"suspension:opened:{suspension.pk}",
            title=f"{mine.name}因重大事故隐患停产整顿，请下达责令停产整顿指令书",
        )
    if suspension is None:
        return None
    if has_open_major:
        suspension.hazards.add(*open_major_hazards(mine.pk).values_list("pk", flat=True))
    elif change in (REMOVED, CHANGED) and suspension.order_id is None and not suspension.applications.exists():
        why = (
            "导致停产整顿的重大事故隐患随导入撤销一并删除"
            if change == REMOVED
            else "县局将导致停产整顿的重大事故隐患改定为一般隐患"
        )
        _withdraw(suspension, mine, actor, why)
    elif change == CLOSED:
        _event(suspension, actor=actor, action="重大事故隐患全部销号", note="可申请复产验收")
        _tell_mine(
            suspension,
            key=f"suspension:ready:{suspension.pk}",
            title=f"{mine.name}的重大事故隐患已全部销号，请申请复产验收",
            body="停产整顿不会自动解除：请提交复产验收申请，县局验收通过后方可恢复生产。",
            level=Level.WARNING,
        )
    return suspension


def _withdraw(suspension, mine, actor, why):
    suspension.status = SuspensionStatus.WITHDRAWN
    suspension.ended_on = timezone.localdate()
    suspension.save(update_fields=["status", "ended_on", "updated_at"])
    mine.status = suspension.previous_status
    mine.save(update_fields=["status"])
    _event(suspension, actor=actor, action="撤销停产整顿", note=why)
    # The notices about it would lead to a record that no longer suspends anything.
    notifications_withdraw(keys=[f"suspension:opened:{suspension.pk}", f"suspension:ready:{suspension.pk}"])


def on_major_hazards_changed(sender, **kwargs):
    return suspension_on_major_hazards(**{k: v for k, v in kwargs.items() if k != "signal"})


# ---------------------------------------------------------------- 责令停产整顿指令书


def _issue_and_serve(*, actor, kind, mine, officers, items, content, follows, issued_on, signer_name, served_on, scan):
    """A document drafted, issued and served in the step's transaction, through the document services (its number is
    given there, like every other document's)."""
    document = document_draft(
        actor=actor, kind=kind, mine=mine, follows=follows, officers=officers, items=items, content=content
    )
    document = document_issue(actor=actor, document=document, issued_on=issued_on)
    return document_record_receipt(
        actor=actor, document=document, signer_name=signer_name, received_on=served_on, scan=scan
    )


@transaction.atomic
def suspension_issue_order(
    *,
    actor,
    suspension,
    officers,
    facts,
    basis,
    requirements,
    signer_name,
    served_on,
    issued_on=None,
    receipt_scan=None,
    row_version=None,
):
    """The 责令停产整顿指令书 of an active suspension: its hazards as items, issued by two officers and served."""
    mine = _locked_mine(suspension.mine_id)
    suspension = _locked_suspension(suspension.pk)
    if not can_order_suspension(actor, mine):
        raise NotPermitted(NOT_ORDERER)
    check_row_version(suspension, row_version)
    if not suspension.is_active:
        raise InvalidState(f"该停产整顿已{suspension.get_status_display()}，不能再下达指令书。")
    if suspension.order_id is not None:
        raise InvalidState(f"已下达责令停产整顿指令书（{suspension.order.number}），不能重复下达。")
    content = {
        "facts": _text(facts, "存在的重大事故隐患或违法行为", "facts"),
        "basis": _text(basis, "依据", "basis"),
        "requirements": _text(requirements, "停产整顿要求", "requirements"),
    }
    served_on = _day(served_on, "送达日期", "served_on", not_before=suspension.started_on, before_what="停产整顿日期")
    issued_on = _day(issued_on or served_on, "签发日期", "issued_on")
    if issued_on > served_on:
        raise DomainError("签发日期不能晚于送达日期。", field="issued_on")
    hazards = list(suspension.hazards.order_by("found_on", "id"))
    items = [{"hazard": h, "text": f"{h.location}：{h.description}"} for h in hazards]
    document = _issue_and_serve(
        actor=actor,
        kind=DocumentKind.SUSPENSION_ORDER,
        mine=mine,
        officers=officers,
        items=items,
        content=content,
        follows=None,
        issued_on=issued_on,
        signer_name=signer_name,
        served_on=served_on,
        scan=receipt_scan,
    )
    suspension.order = document
    suspension.save(update_fields=["order", "updated_at"])
    # Each hazard's history names the order; and an import of them can no longer be undone (the ledger refuses the
    # undo of rows with any step since the import), since the order served on the mine cites them.
    HazardEvent.objects.bulk_create(
        HazardEvent(
            hazard=h, action="责令停产整顿", from_status=h.status, to_status=h.status, note=document.number, actor=actor
        )
        for h in hazards
    )
    _event(suspension, actor=actor, action="下达责令停产整顿指令书", note=document.number)
    _tell_mine(
        suspension,
        key=f"suspension:order:{suspension.pk}",
        title=f"县局已下达责令停产整顿指令书（{document.number}）",
        body="请按指令书要求停产整顿；重大事故隐患全部整改销号后申请复产验收。",
        level=Level.DANGER,
    )
    return suspension


# ---------------------------------------------------------------- 复产验收


def check_may_apply(suspension):
    """The states in which a mine may apply for 复产验收 (InvalidState, a 409, with the reason otherwise)."""
    if not suspension.is_active:
        raise InvalidState(f"该停产整顿已{suspension.get_status_display()}，无需申请复产验收。")
    if suspension.order_id is None:
        raise InvalidState("县局尚未下达责令停产整顿指令书，暂不能申请复产验收。")
    still_open = list(open_major_hazards(suspension.mine_id))
    if still_open:
        listed = "；".join(f"{h.found_on:%Y-%m-%d} {h.location}：{h.description[:40]}" for h in still_open)
        raise InvalidState(f"以下重大事故隐患尚未验收销号，不能申请复产验收：{listed}")
    pending = suspension.applications.filter(status=ResumptionStatus.PENDING).first()
    if pending is not None:
        raise InvalidState(f"已有{pending.submitted_on:%Y-%m-%d}提交的复产验收申请待县局验收，请勿重复申请。")


@transaction.atomic
def resumption_apply(*, actor, suspension, self_check, files=(), submitted_on=None):
    """The mine applies for 复产验收: only while suspended with its order served, with no major hazard still open,
    and one pending application at a time."""
    mine = _locked_mine(suspension.mine_id)
    suspension = _locked_suspension(suspension.pk)
    if not can_apply_resumption(actor, mine):
        raise NotPermitted(NOT_APPLICANT)
    check_may_apply(suspension)
    self_check = _text(self_check, "自查整改情况", "self_check")
    submitted_on = _day(
        submitted_on or timezone.localdate(),
        "申请日期",
        "submitted_on",
        not_before=suspension.started_on,
        before_what="停产整顿日期",
    )
    files = list(files or ())
    if len(files) > MAX_FILES:
        raise DomainError(f"申请材料最多 {MAX_FILES} 个文件。", field="files")
    application = ResumptionApplication.objects.create(
        suspension=suspension, submitted_by=actor, submitted_on=submitted_on, self_check=self_check
    )
    for upload in files:
        content_type = sniff_evidence(upload)
        ResumptionFile.objects.create(
            application=application,
            file=upload,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
    number = suspension.applications.count()
    _event(suspension, actor=actor, action="申请复产验收", note=f"第{number}次申请", application=application)
    _tell_bureau(
        suspension,
        key=f"resumption:applied:{application.pk}",
        title=f"{mine.name}申请复产验收（第{number}次），请组织验收",
        body=self_check[:200],
    )
    return application


@transaction.atomic
def resumption_decide(
    *,
    actor,
    application,
    accepted,
    checked,
    opinion,
    officers,
    signer_name,
    served_on,
    issued_on=None,
    receipt_scan=None,
    row_version=None,
):
    """The bureau's 复产验收: the 复产验收意见书 (following the order) issued and served. Accepted: the suspension ends
    and the mine gets back the status it had before (基建 stays 基建, 长期停产 stays 长期停产). Refused: the mine stays
    suspended and may apply again."""
    current = ResumptionApplication.objects.select_related("suspension").get(pk=application.pk)
    mine = _locked_mine(current.suspension.mine_id)
    suspension = _locked_suspension(current.suspension_id)
    application = ResumptionApplication.objects.select_for_update().get(pk=application.pk)
    if not can_decide_resumption(actor, mine):
        raise NotPermitted(NOT_DECIDER)
    check_row_version(application, row_version)
    if not application.is_pending:
        raise InvalidState(f"该申请已{application.get_status_display()}，不能重复验收。")
    if not suspension.is_active or suspension.order_id is None:
        raise InvalidState("该煤矿当前不在停产整顿中，不能验收。")
    if accepted:
        still_open = list(open_major_hazards(mine.pk))
        if still_open:
            listed = "；".join(f"{h.location}：{h.description[:40]}" for h in still_open)
            raise InvalidState(f"该煤矿又有重大事故隐患未销号，不能验收通过：{listed}")
    content = {
        "checked": _text(checked, "验收情况", "checked"),
        "conclusion": ACCEPTED if accepted else REFUSED,
        "opinion": _text(opinion, "验收意见", "opinion"),
    }
    served_on = _day(served_on, "送达日期", "served_on", not_before=application.submitted_on, before_what="申请日期")
    issued_on = _day(issued_on or served_on, "签发日期", "issued_on")
    if issued_on > served_on:
        raise DomainError("签发日期不能晚于送达日期。", field="issued_on")
    if issued_on < application.submitted_on:
        raise DomainError(f"签发日期不能早于申请日期（{application.submitted_on:%Y-%m-%d}）。", field="issued_on")
    document = _issue_and_serve(
        actor=actor,
        kind=DocumentKind.RESUMPTION_OPINION,
        mine=mine,
        officers=officers,
        items=(),
        content=content,
        follows=suspension.order,
        issued_on=issued_on,
        signer_name=signer_name,
        served_on=served_on,
        scan=receipt_scan,
    )
    application.status = ResumptionStatus.ACCEPTED if accepted else ResumptionStatus.REFUSED
    application.decided_by, application.decided_on = actor, issued_on
    application.checked, application.opinion = content["checked"], content["opinion"]
    application.opinion_document = document
    application.save()
    verdict = application.get_status_display()
    _event(suspension, actor=actor, action=f"复产验收：{verdict}", note=document.number, application=application)
    if accepted:
        suspension.status = SuspensionStatus.RESUMED
        suspension.ended_on = issued_on
        suspension.resumption = application
        suspension.save(update_fields=["status", "ended_on", "resumption", "updated_at"])
        mine.status = suspension.previous_status
        mine.save(update_fields=["status"])
        _event(suspension, actor=actor, action="复产", note=f"恢复为：{mine.get_status_display()}")
        title = f"{mine.name}复产验收通过（{document.number}），恢复为“{mine.get_status_display()}”"
    else:
        title = f"{mine.name}复产验收不通过（{document.number}），继续停产整顿"
    _tell_mine(
        suspension,
        key=f"resumption:decided:{application.pk}",
        title=title,
        body=f"验收意见：{content['opinion'][:200]}",
        level=Level.INFO if accepted else Level.WARNING,
    )
    return application

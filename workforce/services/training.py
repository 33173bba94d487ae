from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from campaign.membership import campaign_of_record, campaigns_of
from campaign.models import RecordEvidence
from core.errors import DomainError, InvalidState, NotPermitted

from ..models import WARNING_KINDS, Attendance, Certificate, Person, PersonRole, SessionKind, TrainingSession
from ..permissions import can_keep_records
from ..progress import TRAINING_EVIDENCE, records_progress_refresh


@transaction.atomic
def training_session_record(
    *,
    actor,
    mine,
    kind,
    held_on,
    topic,
    lecturer_name="",
    lecturer=None,
    case_one="",
    case_two="",
    hours=None,
    location="",
    note="",
    covers_major_hazard_standard=False,
    covers_red_lines=False,
    pass_mark=None,
    units=(),
    attendees=(),
):
    """A warning-education session, the main leader's lecture, the 大反思 or a training, with who took part."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能为该煤矿登记培训记录。")
    if held_on > timezone.localdate():
        raise DomainError("日期不能晚于今天。", field="held_on")
    if not (topic or "").strip():
        raise DomainError("请填写主题。", field="topic")
    case_one, case_two = (case_one or "").strip(), (case_two or "").strip()
    if not case_one and case_two:
        case_one, case_two = case_two, ""
    if kind in WARNING_KINDS and not case_one:
        raise DomainError("警示教育须结合 1–2 个今年以来省内外本行业的典型事故案例，请至少填写一个。", field="case_one")
    if lecturer is not None and lecturer.mine_id != mine.pk:
        raise DomainError("授课人必须是本矿名册中的人员。", field="lecturer")
    if kind == SessionKind.MAIN_LEADER_LECTURE and (lecturer is None or lecturer.role != PersonRole.MAIN_LEADER):
        raise DomainError(
            "主要负责人警示教育课须由本矿主要负责人授课，请在授课人中选择名册中的主要负责人。", field="lecturer"
        )
    lecturer_name = (lecturer_name or "").strip() or (lecturer.name if lecturer else "")
    if not lecturer_name:
        raise DomainError("请填写授课人。", field="lecturer_name")
    if hours is not None and hours <= 0:
        raise DomainError("学时必须大于 0。", field="hours")
    pass_mark = None if pass_mark is None else Decimal(pass_mark)
    if pass_mark is not None and not (pass_mark.is_finite() and 0 < pass_mark <= 100):
        raise DomainError("考核合格分应在 0 到 100 之间。", field="pass_mark")
    units, attendees = list(units), list(attendees)
    if any(u.mine_id != mine.pk for u in units):
        raise DomainError("参加的班组/车间必须是本矿的。", field="units")
    if any(p.mine_id != mine.pk for p in attendees):
        raise DomainError("参加人员必须是本矿名册中的人员。", field="attendees")
    if not units and not attendees:
        raise DomainError("请选择参加的班组/车间或参加人员。", field="attendees")
    campaign = campaign_of_record(unit=mine, day=held_on)
    session = TrainingSession.objects.create(
        mine=mine,
        campaign=campaign,
        kind=kind,
        held_on=held_on,
        topic=topic.strip(),
        case_one=case_one,
        case_two=case_two,
        lecturer_name=lecturer_name,
        lecturer=lecturer,
        hours=hours,
        location=location,
        note=note,
        covers_major_hazard_standard=covers_major_hazard_standard,
        covers_red_lines=covers_red_lines,
        pass_mark=pass_mark,
        created_by=actor,
    )
    session.units.set(units)
    session.attendees.set(attendees)
    for campaign in campaigns_of(unit=mine, day=held_on):
        records_progress_refresh(mine=mine, campaign=campaign, evidence=TRAINING_EVIDENCE)
    return session


@transaction.atomic
def certificate_record(*, actor, person, kind, number, expires_on, issued_on=None, issuer=""):
    """持证上岗: a special-operation certificate on the person's archive; warned about before it expires."""
    person = Person.objects.select_related("mine").get(pk=person.pk)
    if not can_keep_records(actor, person.mine):
        raise NotPermitted("您不能为该人员登记证书。")
    number = (number or "").strip()
    if not number:
        raise DomainError("请填写证书编号。", field="number")
    if issued_on and expires_on <= issued_on:
        raise DomainError("有效期至必须晚于发证日期。", field="expires_on")
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                mine=person.mine,
                person=person,
                kind=kind,
                number=number,
                issued_on=issued_on,
                expires_on=expires_on,
                issuer=issuer,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError("本矿已登记过该类别、该编号的证书。", field="number") from exc
    for campaign in campaigns_of(unit=person.mine, day=timezone.localdate()):
        records_progress_refresh(mine=person.mine, campaign=campaign, evidence=(RecordEvidence.CERTIFICATES,))
    return certificate


@transaction.atomic
def training_scores_record(*, actor, session, scores):
    """考核成绩 of a session's attendees: `scores` maps a person's id to a score (or None to clear it). Those below
    the pass mark must be retrained off duty: a later 脱产重新培训 they attend clears them."""
    session = TrainingSession.objects.select_for_update().select_related("mine").get(pk=session.pk)
    if not can_keep_records(actor, session.mine):
        raise NotPermitted("您不能为该培训登记考核成绩。")
    if session.pass_mark is None:
        raise InvalidState("该培训未设考核合格分，不能登记成绩。")
    attendance = {a.person_id: a for a in session.attendance.select_related("person")}
    changed = []
    for person_id, score in scores.items():
        record = attendance.get(person_id)
        if record is None:
            raise DomainError("只能为参加该培训的人员登记成绩。")
        score = None if score is None else Decimal(score)
        if score is not None and not (score.is_finite() and 0 <= score <= 100):
            raise DomainError(f"{record.person.name}的成绩应在 0 到 100 之间。")
        record.score = score
        changed.append(record)
    bulk_update_with_history(changed, Attendance, ["score"], default_user=actor)
    for campaign in campaigns_of(unit=session.mine, day=session.held_on):
        records_progress_refresh(
            mine=session.mine, campaign=campaign, evidence=(RecordEvidence.MAJOR_HAZARD_STANDARD_TRAINING,)
        )
    return session

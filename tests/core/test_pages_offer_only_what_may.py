"""Every page hides what the permission layer refuses.

The pages of the isolation walk are rendered as each role; every form that posts, and every link to a page that is a
form (登记、修改、导入…), is resolved to its URL and put to the rule of that action (`core.permissions.may`). A form or
link the rule refuses for this user on this object is a button the user would press only to be told no — and for the
read-only leadership group, a page that seems to let it change what it may only read.

A new action URL fails this test until its rule is named in RULES below.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from core.permissions import may
from enforcement.models import ResumptionApplication
from hazards.models import ExamPaper, ExamResult, Hazard, Inspection
from reporting.models import Submission
from tests.core.test_isolation_walk import BUREAU, LIST, OBJ, SPECS, build_world
from violations.models import RepeatOffender, Tipoff, Violation
from workforce.models import Person, TrainingSession

pytestmark = pytest.mark.django_db


def _suspension(kwargs):
    from enforcement.models import Suspension

    return Suspension.objects.select_related("mine").get(pk=kwargs["pk"])


def always(user, kwargs):
    return True


def _hazard(kwargs):
    return Hazard.objects.select_related("mine").get(pk=kwargs["pk"])


def _suspected(kwargs):
    from hazards.models import SuspectedMajorHazard

    return SuspectedMajorHazard.objects.select_related("hazard__mine").get(pk=kwargs["pk"])


def _hazard_writable(user, kwargs):
    hazard = _hazard(kwargs)
    return may(user, "hazards.write_ledger", hazard.mine) and not hazard.is_closed


def _hazard_transition(user, kwargs):
    hazard = _hazard(kwargs)
    if kwargs["action"] in ("accept", "reject"):
        return may(user, "hazards.accept", hazard)
    return may(user, "hazards.write_ledger", hazard.mine)


def _violation_may(action):
    return lambda user, kwargs: may(user, action, Violation.objects.select_related("mine").get(pk=kwargs["pk"]).mine)


def _submission_may(action):
    return lambda user, kwargs: may(user, action, Submission.objects.get(pk=kwargs["pk"]))


def _tipoff_may(user, kwargs):
    return may(user, "violations.handle_tipoff", Tipoff.objects.get(pk=kwargs["pk"]))


def _batch_may(action):
    from core.models import ImportBatch

    return lambda user, kwargs: may(user, action, ImportBatch.objects.select_related("mine").get(pk=kwargs["pk"]).mine)


def _supervision_may(user, kwargs):
    from accounts.models import MineSupervisor

    return may(
        user, "accounts.assign_supervisors", MineSupervisor.objects.select_related("mine").get(pk=kwargs["pk"]).mine
    )


def _group_may(user, kwargs):
    from campaign.models import WorkingGroup

    return may(
        user,
        "campaign.keep_organisation",
        WorkingGroup.objects.select_related("campaign").get(pk=kwargs["pk"]).campaign,
    )


def _member_may(user, kwargs):
    from campaign.models import GroupMember

    member = GroupMember.objects.select_related("group__campaign").get(pk=kwargs["pk"])
    return may(user, "campaign.keep_organisation", member.group.campaign)


def _progress(kwargs):
    from campaign.models import RequirementProgress

    return RequirementProgress.objects.select_related("organization").get(pk=kwargs["pk"])


def _model(name):
    from django.apps import apps

    return apps.get_model("campaign", name)


def _authors(model, *, draft_only=False):
    """The campaign authoring rule (issue 21) for a URL naming a campaign or one of its parts."""

    def rule(user, kwargs):
        from campaign.models import Campaign

        record = model.objects.get(pk=kwargs["pk"])
        campaign = record if isinstance(record, Campaign) else record.campaign
        return may(user, "campaign.author_campaigns", campaign) and (campaign.is_draft or not draft_only)

    return rule


def anywhere(action):
    return lambda user, kwargs: may(user, action)


def _case_may(action):
    from enforcement.models import PenaltyCase

    return lambda user, kwargs: may(user, action, PenaltyCase.objects.select_related("mine").get(pk=kwargs["pk"]).mine)


def _document_may(action):
    from enforcement.models import EnforcementDocument

    return lambda user, kwargs: may(
        user, action, EnforcementDocument.objects.select_related("mine").get(pk=kwargs["pk"]).mine
    )


def _action_may(user, kwargs):
    from accountability.models import AccountabilityAction

    return may(user, "accountability.issue", AccountabilityAction.objects.get(pk=kwargs["pk"]))


def _accident_may(action):
    from accidents.models import Accident

    return lambda user, kwargs: may(user, action, Accident.objects.select_related("mine").get(pk=kwargs["pk"]).mine)


def _accident_deletable(user, kwargs):
    # refused (409) while a 提级调查 hangs on it: the page offers no 删除 then
    from accidents.models import Accident

    accident = Accident.objects.select_related("mine").get(pk=kwargs["pk"])
    return not hasattr(accident, "investigation") and may(user, "accidents.delete_accident", accident)


def _robot_may(user, kwargs):
    from notifications.models import Robot

    return may(user, "notifications.manage_robots", Robot.objects.get(pk=kwargs["pk"]))


def _investigation_may(user, kwargs):
    from accidents.models import Investigation

    investigation = Investigation.objects.select_related("accident__mine").get(pk=kwargs["pk"])
    return investigation.is_open and may(user, "accidents.investigate", investigation.accident.mine)


#: URL name → whether `user` may do it with these URL kwargs (the same predicates the services check)
RULES = {
    # the user's own account and notices
    "logout": always,
    "password_change": always,
    "notification_read_all": always,
    "notification_preferences": always,
    "channel_preferences": always,
    # the bureau's group robots (issue 23)
    "robot_create": anywhere("notifications.manage_robots"),
    "robot_edit": _robot_may,
    "robot_test": _robot_may,
    # who answers for which mine, the campaign's organisation (issue 19)
    "mine_supervisor_create": anywhere("accounts.assign_supervisors"),
    "mine_supervisor_edit": _supervision_may,
    "mine_supervisor_delete": _supervision_may,
    "bureau_contacts_edit": anywhere("accounts.edit_bureau_contacts"),
    "working_group_create": anywhere("campaign.keep_organisation"),
    "working_group_edit": _group_may,
    "working_group_delete": _group_may,
    "group_member_create": _group_may,
    "group_member_edit": _member_may,
    "group_member_delete": _member_may,
    # campaigns authored in the browser (issue 21); a task list is imported into a draft only, a draft published once
    "campaign_create": anywhere("campaign.author_campaigns"),
    "campaign_edit": lambda u, kw: _authors(_model("Campaign"))(u, kw),
    "campaign_publish": lambda u, kw: _authors(_model("Campaign"), draft_only=True)(u, kw),
    "task_list_import": lambda u, kw: _authors(_model("Campaign"), draft_only=True)(u, kw),
    "task_list_save": lambda u, kw: _authors(_model("Campaign"), draft_only=True)(u, kw),
    "phase_create": lambda u, kw: _authors(_model("Campaign"))(u, kw),
    "phase_edit": lambda u, kw: _authors(_model("Phase"))(u, kw),
    "phase_delete": lambda u, kw: _authors(_model("Phase"))(u, kw),
    "deadline_create": lambda u, kw: _authors(_model("Campaign"))(u, kw),
    "deadline_edit": lambda u, kw: _authors(_model("Deadline"))(u, kw),
    "deadline_delete": lambda u, kw: _authors(_model("Deadline"))(u, kw),
    "requirement_create": lambda u, kw: _authors(_model("Campaign"))(u, kw),
    "requirement_edit": lambda u, kw: _authors(_model("Requirement"))(u, kw),
    "requirement_delete": lambda u, kw: _authors(_model("Requirement"))(u, kw),
    # hazards and inspections
    "hazard_create": anywhere("hazards.write_ledger"),
    "hazard_import": anywhere("hazards.write_ledger"),
    "hazard_import_undo": _batch_may("hazards.write_ledger"),
    "hazard_selected_export": always,  # the ticked rows the user sees, as a workbook or on paper
    "hazard_selected_print": always,
    "hazard_selected_listing": anywhere("hazards.supervise"),
    "hazard_edit": _hazard_writable,
    "hazard_file_upload": _hazard_writable,
    "hazard_transition": _hazard_transition,
    "hazard_listing_create": lambda u, kw: may(u, "hazards.supervise", _hazard(kw).mine),
    "hazard_accountability_create": lambda u, kw: may(u, "hazards.supervise", _hazard(kw).mine),
    "leader_review_submit": lambda u, kw: may(u, "hazards.submit_leader_review", _hazard(kw)),
    "leader_review_receive": lambda u, kw: may(u, "hazards.receive_leader_review", _hazard(kw)),
    "hazard_delist": lambda u, kw: may(u, "hazards.delist", _hazard(kw)),
    "suspected_major_confirm": lambda u, kw: may(u, "hazards.decide_suspected", _suspected(kw)),
    "suspected_major_dismiss": lambda u, kw: may(u, "hazards.decide_suspected", _suspected(kw)),
    "hazard_listing_publish": lambda u, kw: may(u, "hazards.publish", _hazard(kw)),
    "hazard_listing_withdraw": lambda u, kw: may(u, "hazards.publish", _hazard(kw)),
    "inspection_create": anywhere("hazards.record_inspection"),
    "exam_create": lambda u, kw: may(u, "hazards.write_at_inspection", Inspection.objects.get(pk=kw["pk"])),
    "inspection_update": lambda u, kw: may(u, "hazards.edit_inspection", Inspection.objects.get(pk=kw["pk"])),
    "exam_paper_create": lambda u, kw: may(u, "hazards.write_at_inspection", Inspection.objects.get(pk=kw["pk"])),
    "exam_paper_grade": lambda u, kw: may(
        u, "hazards.write_at_inspection", ExamPaper.objects.get(pk=kw["pk"]).inspection
    ),
    "exam_retraining": lambda u, kw: may(
        u, "hazards.complete_retraining", ExamResult.objects.get(pk=kw["pk"]).inspection.mine
    ),
    # 三违, bulletins, red lines, tip-offs
    "violation_create": anywhere("violations.write_violations"),
    "violation_import": anywhere("violations.write_violations"),
    "violation_import_undo": _batch_may("violations.write_violations"),
    "violation_selected_export": always,
    "violation_selected_print": always,
    "violation_edit": _violation_may("violations.write_violations"),
    "backtrack_create": _violation_may("violations.write_violations"),
    "violation_accountability": _violation_may("violations.write_violations"),
    "violation_typical": _violation_may("violations.mark_typical"),
    "mentoring_step_create": lambda u, kw: may(
        u, "violations.write_violations", RepeatOffender.objects.get(pk=kw["pk"]).mine
    ),
    "bulletin_create": anywhere("violations.mark_typical"),
    "bulletin_edit": anywhere("violations.mark_typical"),
    "bulletin_publish": anywhere("violations.mark_typical"),
    "red_line_upload": anywhere("violations.keep_red_lines"),
    "tipoff_detail": _tipoff_may,  # its form is the handling (办理与答复)
    "tipoff_to_violation": _tipoff_may,
    "tipoff_to_hazard": _tipoff_may,
    "tipoff_escalate": lambda u, kw: may(
        u, "violations.escalate_tipoff", Tipoff.objects.select_related("mine").get(pk=kw["pk"])
    ),
    # reporting and task progress
    "submission_open": anywhere("reporting.open_submissions"),
    "submission_edit": _submission_may("reporting.write_submission"),
    "submission_attach": _submission_may("reporting.write_submission"),
    "submission_review": _submission_may("reporting.review"),
    "submission_batch_approve": anywhere("reporting.review"),
    "submission_matrix": anywhere("reporting.urge"),  # the matrix is itself the 催报 form
    "submission_urge_cell": anywhere("reporting.urge"),
    "submission_urge_column": anywhere("reporting.urge"),
    "progress_edit": lambda u, kw: may(u, "campaign.report_progress", u.organization),
    "progress_verify": lambda u, kw: may(u, "campaign.verify_progress", _progress(kw)),
    "progress_return": lambda u, kw: may(u, "campaign.verify_progress", _progress(kw)),
    "progress_verify_batch": anywhere("campaign.verify_progress"),
    # a page to read for the bureau (its form posts only for the inspectors, campaign.set_thresholds)
    "campaign_thresholds": anywhere("campaign.see_thresholds"),
    # workforce records
    "person_create": anywhere("workforce.keep_records"),
    "person_import": anywhere("workforce.keep_records"),
    "person_import_undo": _batch_may("workforce.keep_records"),
    "person_edit": lambda u, kw: may(u, "workforce.keep_records", Person.objects.get(pk=kw["pk"]).mine),
    "certificate_create": lambda u, kw: may(u, "workforce.keep_records", Person.objects.get(pk=kw["pk"]).mine),
    "training_session_create": anywhere("workforce.keep_records"),
    "training_scores_save": lambda u, kw: may(
        u, "workforce.keep_records", TrainingSession.objects.get(pk=kw["pk"]).mine
    ),
    "positioning_import": anywhere("workforce.keep_records"),
    "positioning_import_undo": _batch_may("workforce.keep_records"),
    "zero_shift_plan_create": anywhere("workforce.keep_records"),
    "handover_create": anywhere("workforce.keep_records"),
    "work_unit_list": anywhere("workforce.keep_records"),  # the list carries the form that adds a unit
    # penalty cases and the bureau's list of provisions
    "penalty_case_create": anywhere("enforcement.handle_penalty"),
    "penalty_case_edit": _case_may("enforcement.handle_penalty"),
    "penalty_case_step": _case_may("enforcement.handle_penalty"),
    "penalty_case_payment": _case_may("enforcement.handle_penalty"),
    "penalty_evidence_upload": _case_may("enforcement.handle_penalty"),
    "legal_provision_create": anywhere("enforcement.keep_provisions"),
    "legal_provision_edit": anywhere("enforcement.keep_provisions"),
    "legal_provision_load": anywhere("enforcement.keep_provisions"),
    "penalty_rules_edit": anywhere("enforcement.keep_provisions"),
    # 通报批评、约谈、问责 (issue 20)
    "accountability_create": anywhere("accountability.issue"),
    "accountability_edit": _action_may,
    "accountability_delete": _action_may,
    "accountability_issue": _action_may,
    "accountability_follow_up": _action_may,
    "accountability_minutes": _action_may,
    # enforcement documents
    "document_create": anywhere("enforcement.issue"),
    "document_edit": _document_may("enforcement.issue"),
    "document_delete": _document_may("enforcement.issue"),
    "document_issue": _document_may("enforcement.issue"),
    "document_receipt": _document_may("enforcement.issue"),
    "document_settings": anywhere("enforcement.keep_document_settings"),
    "officer_certificate": anywhere("enforcement.keep_document_settings"),
    # the accident register and its 提级调查
    "accident_create": anywhere("accidents.write_register"),
    "accident_import": anywhere("accidents.write_register"),
    "accident_edit": _accident_may("accidents.write_register"),
    "accident_delete": _accident_deletable,
    "investigation_edit": _investigation_may,
    "investigation_close": _investigation_may,
    # 停产整顿 to 复产验收
    "suspension_order": lambda u, kw: may(u, "enforcement.order_suspension", _suspension(kw).mine),
    "resumption_apply": lambda u, kw: may(u, "enforcement.apply_resumption", _suspension(kw).mine),
    "resumption_decide": lambda u, kw: may(
        u, "enforcement.decide_resumption", ResumptionApplication.objects.get(pk=kw["pk"]).suspension.mine
    ),
}

#: pages that are themselves a form to change something: a link to one is an offer to do it
FORM_PAGES = (
    {name for name, spec in SPECS.items() if "POST" in spec.methods and "GET" in spec.methods}
    | {
        "hazard_create",
        "hazard_import",
        "inspection_create",
        "violation_create",
        "violation_import",
        "bulletin_create",
        "red_line_upload",
        "person_create",
        "person_import",
        "training_session_create",
        "positioning_import",
        "zero_shift_plan_create",
        "handover_create",
        "accident_create",
        "accident_import",
    }
) - {"login", "tipoff_track", "tipoff_detail", "notification_preferences", "password_change"}


class Offers(HTMLParser):
    """The forms that post and the links of a page, as (kind, URL) pairs."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.found.append(("form", attrs.get("action") or self.page_url))
        elif tag == "a" and attrs.get("href"):
            self.found.append(("link", attrs["href"]))
        elif tag == "button" and attrs.get("formaction"):
            self.found.append(("form", attrs["formaction"]))


def offers_of(html, page_url):
    parser = Offers(page_url)
    parser.feed(html)
    for kind, url in parser.found:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, a fragment, javascript:
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        yield kind, name, match.kwargs, url


def pages_for(user_key, tenants, campaigns, visible):
    """(URL name, URL) of every HTML page of the walk this user may open, with its own objects."""
    bureau_key = "other" if user_key.startswith("other") else "county"
    own = tenants[sorted(visible)[0]]
    for name, spec in SPECS.items():
        if "GET" not in spec.methods or name.startswith(("api", "admin")) or "-" in name:
            continue
        if spec.kind == OBJ:
            yield name, reverse(name, kwargs=spec.kwargs(own))
        elif spec.kind == BUREAU:
            yield name, reverse(name, kwargs=spec.kwargs(campaigns[bureau_key]))
        elif spec.kind == LIST:
            yield name, reverse(name)
    # A hazard's page in each state offers different steps: the open one above, these too.
    for key in ("awaiting", "major", "listed", "superior"):
        yield "hazard_detail", reverse("hazard_detail", kwargs={"pk": own.objects[key].pk})
    # A tip-off made to the user's enterprise (4.1.c): its page offers the enterprise its handling and 提交县局.
    yield "tipoff_detail", reverse("tipoff_detail", kwargs={"pk": own.objects["ent_tipoff"].pk})


@pytest.mark.slow  # ~15 s: every page as five roles
def test_no_page_offers_what_the_permission_layer_refuses(client, county):
    tenants, campaigns, users = build_world(county)
    # Tenant A's hazard awaiting acceptance was asked for by mine1's officer: its page offers mine1 no 验收.
    Hazard.objects.filter(pk=tenants["A"].objects["awaiting"].pk).update(acceptance_requested_by=county.mine1_officer)
    problems, unclassified, checked = [], set(), 0
    for user_key in ("mine1", "ent1", "inspector", "leader"):
        user, visible = users[user_key]
        client.force_login(user)
        for page_name, url in pages_for(user_key, tenants, campaigns, visible):
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for kind, name, kwargs, target in offers_of(response.content.decode(), url):
                if kind == "link" and name not in FORM_PAGES:
                    continue
                rule = RULES.get(name)
                if rule is None:
                    unclassified.add(name)
                    continue
                checked += 1
                if not rule(user, kwargs):
                    problems.append(f"{user_key} on {page_name} ({url}) is offered {kind} {target} ({name})")
        client.logout()
    assert not unclassified, f"name the permission rule of these actions in RULES: {sorted(unclassified)}"
    assert not problems, "pages offer what the permission layer refuses:\n" + "\n".join(sorted(set(problems)))
    assert checked > 100


def test_the_leader_sees_no_form_that_changes_anything(client, county):
    """The leadership group reads: an anonymous report (举报) shows it no 办理 form and no 转为 buttons."""
    from violations.services import tipoff_submit

    tipoff = tipoff_submit(bureau=county.bureau, category="other", content="某矿井下有人违章作业，请核查处理。")
    client.force_login(county.leader)
    html = client.get(reverse("tipoff_detail", kwargs={"pk": tipoff.pk})).content.decode()
    assert "某矿井下有人违章作业" in html
    forms = [(kind, name) for kind, name, _, _ in offers_of(html, "/") if kind == "form" and name != "logout"]
    assert forms == []
    assert 'name="public_reply"' not in html

    client.force_login(county.inspector)
    html = client.get(reverse("tipoff_detail", kwargs={"pk": tipoff.pk})).content.decode()
    assert 'name="public_reply"' in html


def test_a_role_without_the_right_is_refused_the_post_too(client, county):
    """The leader's handling post is refused and changes nothing (the page hid the form; the service holds)."""
    from violations.models import Tipoff, TipoffStatus
    from violations.services import tipoff_submit

    tipoff = tipoff_submit(bureau=county.bureau, category="other", content="某矿井下有人违章作业，请核查处理。")
    client.force_login(county.leader)
    url = reverse("tipoff_detail", kwargs={"pk": tipoff.pk})
    response = client.post(url, {"status": TipoffStatus.CLOSED, "public_reply": "已查处", "internal_note": ""})
    assert response.status_code == 403
    assert Tipoff.objects.get(pk=tipoff.pk).status != TipoffStatus.CLOSED

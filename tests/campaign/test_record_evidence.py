"""Progress from records follows the capability an item names (`evidence` in the notice's data), not its number:
a renumbered notice is filled in just the same."""

import copy
import datetime as dt
import zoneinfo

import pytest

from campaign import models as campaign_models
from campaign.models import Campaign, RecordEvidence, Requirement, RequirementProgress
from campaign.progress import filled_from_records
from campaign.template_data import load_campaign, read_template
from violations import services as violation_services
from workforce import services as workforce_services
from workforce.models import Person

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def renumbered(data):
    """The 2024 notice with every measure's items in reverse order and numbered anew (1.1.a ... become 一(一)1 ...),
    so no item keeps its number and several numbers now name another item."""
    data = copy.deepcopy(data)
    data["code"] = "renumbered"

    def walk(nodes, prefix):
        for n, node in enumerate(nodes, start=1):
            items = list(reversed(node.get("items", [])))
            for k, item in enumerate(items, start=1):
                item["code"] = f"{prefix}{n}-{k}"
            node["items"] = items
            walk(node.get("children", []), f"{prefix}{n}.")

    walk(data["requirements"], "R")
    return data


@pytest.fixture
def renumbered_campaign(county, time_machine):
    time_machine.move_to(dt.datetime(2024, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    models = {name: getattr(campaign_models, name) for name in ("Campaign", "Phase", "Deadline", "Requirement")}
    return load_campaign(renumbered(read_template()), models=models, bureau=county.bureau, is_template=False)


def test_the_template_binds_each_record_capability_once():
    template = Campaign.objects.get(code="yc-2024-100d", is_template=True)
    bound = dict(template.requirements.exclude(evidence="").values_list("evidence", "code"))
    assert set(bound) == set(RecordEvidence.values)
    assert bound[RecordEvidence.WARNING_EDUCATION] == "1.1.b"
    assert bound[RecordEvidence.INSPECTION_EXAMS] == "2.2.f"


def test_a_renumbered_notice_is_filled_from_records(county, renumbered_campaign):
    campaign = renumbered_campaign
    items = {r.evidence: r for r in campaign.requirements.exclude(evidence="")}
    assert len(items) == len(RecordEvidence.values)
    assert all(not code.startswith(("1.", "2.", "3.", "4.")) for code in (r.code for r in items.values()))

    workforce_services.training_session_record(
        actor=county.mine1_officer,
        mine=county.mine1,
        kind="warning_education",
        held_on=dt.date(2024, 11, 29),
        topic="吸取事故教训 筑牢安全防线",
        case_one="山西某矿“8·12”顶板事故",
        lecturer_name="安全科 周伟",
        units=[],
        attendees=[_person(county)],
    )
    violation_services.violation_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        occurred_on=dt.date(2024, 11, 20),
        location="2401",
        person_name="孙伟",
        type="operation",
        description="未执行敲帮问顶",
    )

    def progress(evidence):
        return RequirementProgress.objects.get(organization=county.mine1, requirement=items[evidence])

    education = progress(RecordEvidence.WARNING_EDUCATION)
    assert (education.status, education.figure, education.filled_from_records) == ("done", 1, True)
    assert progress(RecordEvidence.ACCIDENT_CASES).figure == 1
    assert progress(RecordEvidence.VIOLATION_BACKTRACKS).status == "in_progress"
    # Only items that name a capability were written from the records.
    written = RequirementProgress.objects.filter(organization=county.mine1, requirement__campaign=campaign)
    assert all(p.requirement.evidence for p in written)
    assert filled_from_records(items[RecordEvidence.WARNING_EDUCATION])
    assert not filled_from_records(
        Requirement.objects.get(campaign=campaign, name="制定并实施全员安全生产教育和培训计划")
    )


def _person(county):
    return Person.objects.create(mine=county.mine1, name="王强")

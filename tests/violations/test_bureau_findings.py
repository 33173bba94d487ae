"""A 三违 the bureau found is the bureau's: the mine records how it handled the person, not who, what or when."""

import datetime as dt

import pytest

from core.errors import NotPermitted
from hazards import services as hazard_services
from violations import services
from violations.models import Violation

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def inspection(county):
    return hazard_services.inspection_create(
        actor=county.inspector, mine=county.mine1, inspected_on=TODAY - dt.timedelta(days=3), mode="covert"
    )


@pytest.fixture
def finding(county, inspection, violation_fields):
    fields = {**violation_fields, "occurred_time": dt.time(1, 30), "found_by_name": "县局检查组"}
    return services.violation_create(actor=county.inspector, mine=county.mine1, inspection=inspection, **fields)


#: a new value for each of the bureau's fields (violations.services.violations.BUREAU_FIELDS)
BUREAU_CHANGES = {
    "occurred_on": (TODAY - dt.timedelta(days=2)).isoformat(),
    "occurred_time": "08:00",
    "shift": "morning",
    "location": "别处",
    "person_name": "张三",
    "type": "discipline",
    "severity": "general",
    "description": "改写后的行为",
    "found_by": "self",
    "found_by_name": "本矿安检员",
}


def test_bureau_fields_cover_the_finding():
    from violations.services.violations import BUREAU_FIELDS, EDITABLE_FIELDS

    assert set(BUREAU_FIELDS) == set(BUREAU_CHANGES)
    assert set(BUREAU_FIELDS) < set(EDITABLE_FIELDS)


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer"])
@pytest.mark.parametrize("field", sorted(BUREAU_CHANGES))
def test_mine_cannot_patch_a_bureau_field(api_client, county, finding, who, field):
    before = Violation.objects.filter(pk=finding.pk).values().get()
    api_client.force_authenticate(getattr(county, who))
    response = api_client.patch(f"/api/v1/violations/{finding.pk}/", {field: BUREAU_CHANGES[field]}, format="json")
    assert response.status_code == 403
    assert "县局" in response.json()["detail"]
    assert Violation.objects.filter(pk=finding.pk).values().get() == before


def test_mine_records_its_handling_of_a_bureau_finding(api_client, county, finding):
    api_client.force_authenticate(county.mine1_officer)
    change = {
        "fine": "200.00",
        "suspension_days": 3,
        "retraining": True,
        "penalty_note": "罚款200元",
        "team": "综采二队",
    }
    response = api_client.patch(f"/api/v1/violations/{finding.pk}/", change, format="json")
    assert response.status_code == 200, response.json()
    finding.refresh_from_db()
    assert (str(finding.fine), finding.suspension_days, finding.team) == ("200.00", 3, "综采二队")


def test_inspector_still_edits_the_finding(county, finding):
    services.violation_update(actor=county.inspector, violation=finding, person_name="何振华（更正）")
    assert Violation.objects.get(pk=finding.pk).person_name == "何振华（更正）"


def test_mines_own_record_stays_fully_editable(county, violation_fields):
    own = services.violation_create(actor=county.mine1_officer, mine=county.mine1, **violation_fields)
    services.violation_update(actor=county.mine1_officer, violation=own, severity="general")
    assert Violation.objects.get(pk=own.pk).severity == "general"


def test_edit_page_shows_the_bureau_fields_read_only(client, county, finding):
    client.force_login(county.mine1_officer)
    form = client.get(f"/violations/{finding.pk}/edit/").context["form"]
    assert form.fields["person_name"].disabled and form.fields["found_by"].disabled
    assert not form.fields["penalty_note"].disabled


def test_service_refuses_with_the_fields_named(county, finding):
    with pytest.raises(NotPermitted, match="姓名、性质"):
        services.violation_update(
            actor=county.mine1_officer, violation=finding, person_name="张三", severity="general", note="x"
        )


def test_page_refuses_a_violation_of_another_mine_at_an_inspection(client, county, inspection, violation_fields):
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in violation_fields.items()}
    client.force_login(county.inspector)
    response = client.post(
        f"/violations/new/?inspection={inspection.pk}", {**data, "mine": county.mine3.pk, "found_by": "bureau"}
    )
    assert response.status_code == 200
    assert "不是对本煤矿的检查" in response.content.decode()
    assert not Violation.objects.exists()


def test_a_blank_bureau_field_is_not_the_mines_to_fill(county, finding):
    """Who found it, when and on which shift are the bureau's even when it left them blank; only a due date the
    bureau did not set may be filled in (there is none on a 三违, so nothing is fillable here)."""
    blank = services.violation_create(
        actor=county.inspector,
        mine=county.mine1,
        occurred_on=finding.occurred_on,
        location="副井口",
        person_name="王五",
        type="discipline",
        description="班中睡岗",
    )
    assert blank.found_by_name == "" and blank.occurred_time is None
    for field, value in (("found_by_name", "县局 张局长（伪）"), ("occurred_time", dt.time(3, 0)), ("shift", "day")):
        with pytest.raises(NotPermitted):
            services.violation_update(
                actor=county.mine1_officer, violation=blank, row_version=blank.row_version, **{field: value}
            )
    fresh = type(blank).objects.get(pk=blank.pk)
    assert fresh.found_by_name == "" and fresh.occurred_time is None


def test_a_mine_cannot_label_its_own_violation_as_found_by_the_bureau(county, violation_fields):
    with pytest.raises(NotPermitted, match="县局"):
        services.violation_create(
            actor=county.mine1_officer, mine=county.mine1, **{**violation_fields, "found_by": "bureau"}
        )

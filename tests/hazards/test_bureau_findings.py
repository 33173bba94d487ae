"""Findings of the bureau are the bureau's: a mine or its enterprise fills in the rectification of a hazard the
bureau found, but cannot move its due date, rewrite it or relabel it as self-found. And a finding is recorded only
at an inspection of its own mine."""

import datetime as dt

import pytest

from core.errors import NotPermitted
from hazards import services
from hazards.models import Hazard, Inspection

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def inspection(county):
    return services.inspection_create(
        actor=county.inspector, mine=county.mine1, inspected_on=TODAY - dt.timedelta(days=3), mode="physical"
    )


@pytest.fixture
def finding(county, inspection, general_fields):
    """A general hazard an inspector recorded at the inspection, with a due date set by the bureau."""
    fields = {**general_fields, "source": "bureau_inspection", "found_on": inspection.inspected_on, "grade": "B"}
    return services.hazard_create(actor=county.inspector, mine=county.mine1, inspection=inspection, **fields)


#: a new value for each of the bureau's fields (hazards.services.hazards.BUREAU_FIELDS)
BUREAU_CHANGES = {
    "found_on": (TODAY - dt.timedelta(days=1)).isoformat(),
    "source": "team_daily",
    "location": "别处",
    "specialty": "electromechanical",
    "description": "改写后的内容",
    "level": "major",
    "grade": "C",
    "major_item": {"category": 5, "item": 3},
    "due_on": (TODAY + dt.timedelta(days=365)).isoformat(),
}


def test_bureau_fields_cover_the_finding():
    from hazards.services.hazards import BUREAU_FIELDS, EDITABLE_FIELDS

    assert set(BUREAU_FIELDS) == {*BUREAU_CHANGES, "major_category"}
    assert set(BUREAU_FIELDS) < set(EDITABLE_FIELDS)


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer"])
@pytest.mark.parametrize("field", sorted(BUREAU_CHANGES))
def test_mine_cannot_patch_a_bureau_field(api_client, county, finding, who, field):
    before = Hazard.objects.filter(pk=finding.pk).values().get()
    api_client.force_authenticate(getattr(county, who))
    response = api_client.patch(f"/api/v1/hazards/{finding.pk}/", {field: BUREAU_CHANGES[field]}, format="json")
    assert response.status_code == 403
    assert "县局" in response.json()["detail"]
    assert Hazard.objects.filter(pk=finding.pk).values().get() == before


def test_major_category_of_a_bureau_major_hazard_is_the_bureaus(api_client, county, inspection, major_fields):
    from hazards.models import MajorHazardCategory

    hazard = services.hazard_create(actor=county.inspector, mine=county.mine1, inspection=inspection, **major_fields)
    other = MajorHazardCategory.objects.filter(standard__is_current=True).exclude(pk=hazard.major_category_id).first()
    api_client.force_authenticate(county.mine1_officer)
    for change in ({"major_category": other.pk}, {"level": "general"}):
        assert api_client.patch(f"/api/v1/hazards/{hazard.pk}/", change, format="json").status_code == 403
    hazard.refresh_from_db()
    assert (hazard.level, hazard.major_category_id) == ("major", major_fields["major_category"].pk)


def test_mine_fills_in_the_rectification_of_a_bureau_finding(api_client, county, finding):
    api_client.force_authenticate(county.mine1_officer)
    change = {
        "measures": "更换吊挂",
        "funds": "1200.00",
        "responsible_unit": "机电队",
        "responsible_person": "王强",
        "contingency_plan": "撤人",
        "note": "已安排",
        # the finding as it stands may be sent back unchanged (a form posts every field)
        "location": finding.location,
        "due_on": finding.due_on.isoformat(),
    }
    response = api_client.patch(f"/api/v1/hazards/{finding.pk}/", change, format="json")
    assert response.status_code == 200, response.json()
    finding.refresh_from_db()
    assert (finding.measures, finding.responsible_person, str(finding.funds)) == ("更换吊挂", "王强", "1200.00")


def test_due_date_the_bureau_left_empty_may_be_set(county, inspection, general_fields):
    fields = {**general_fields, "found_on": inspection.inspected_on, "due_on": None}
    hazard = services.hazard_create(actor=county.inspector, mine=county.mine1, inspection=inspection, **fields)
    due = TODAY + dt.timedelta(days=10)
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, due_on=due)
    assert Hazard.objects.get(pk=hazard.pk).due_on == due
    with pytest.raises(NotPermitted):  # once set, it stands
        services.hazard_update(actor=county.mine1_officer, hazard=hazard, due_on=due + dt.timedelta(days=30))


def test_inspector_still_edits_the_finding(api_client, county, finding):
    api_client.force_authenticate(county.inspector)
    response = api_client.patch(
        f"/api/v1/hazards/{finding.pk}/", {"due_on": BUREAU_CHANGES["due_on"], "location": "别处"}, format="json"
    )
    assert response.status_code == 200
    finding.refresh_from_db()
    assert (finding.location, finding.due_on.isoformat()) == ("别处", BUREAU_CHANGES["due_on"])


def test_a_mine_does_not_record_at_a_bureau_inspection(county, inspection, general_fields):
    # What the inspectors found is recorded by them; a mine's record there would read as the bureau's finding
    # (found by the fresh-instance review: a mine could add its own records to the bureau's inspection).
    with pytest.raises(NotPermitted, match="县局执法人员"):
        services.hazard_create(actor=county.mine1_officer, mine=county.mine1, inspection=inspection, **general_fields)
    assert not Hazard.objects.filter(inspection=inspection).exists()


def test_mines_own_hazard_stays_fully_editable(county, general_fields):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, location="别处", source="team_daily")
    assert Hazard.objects.get(pk=hazard.pk).location == "别处"


def test_edit_page_shows_the_bureau_fields_read_only_and_ignores_them(client, county, finding):
    client.force_login(county.mine1_officer)
    form = client.get(f"/hazards/{finding.pk}/edit/").context["form"]
    assert form.fields["due_on"].disabled and form.fields["source"].disabled and form.fields["description"].disabled
    assert not form.fields["measures"].disabled
    html = client.get(f"/hazards/{finding.pk}/edit/").content.decode()
    assert "县局检查认定，不能修改" in html
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(due_on=BUREAU_CHANGES["due_on"], source="team_daily", measures="更换吊挂")
    response = client.post(f"/hazards/{finding.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    finding.refresh_from_db()
    assert finding.measures == "更换吊挂"
    assert (finding.source, finding.due_on.isoformat()) == (
        "bureau_inspection",
        (TODAY + dt.timedelta(days=1)).isoformat(),
    )


def test_inspectors_edit_page_leaves_the_fields_open(client, county, finding):
    client.force_login(county.inspector)
    form = client.get(f"/hazards/{finding.pk}/edit/").context["form"]
    assert not form.fields["due_on"].disabled


# ------------------------------------------------------------------ a finding belongs to the inspected mine


def test_api_refuses_a_finding_of_another_mine_at_an_inspection(api_client, county, inspection, general_fields):
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    for who in ("inspector", "ent1_officer"):
        api_client.force_authenticate(getattr(county, who))
        response = api_client.post(
            "/api/v1/hazards/", {**data, "mine": county.mine2.pk, "inspection": inspection.pk}, format="json"
        )
        assert response.status_code == 400
        assert "不是对本煤矿的检查" in str(response.json())
    assert not Hazard.objects.exists()
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404


def test_page_refuses_a_finding_of_another_mine_at_an_inspection(client, county, inspection, general_fields):
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    client.force_login(county.inspector)
    response = client.post(
        f"/hazards/new/?inspection={inspection.pk}", {**data, "mine": county.mine3.pk, "level": "general"}
    )
    assert response.status_code == 200
    assert "不是对本煤矿的检查" in response.content.decode()
    assert not Hazard.objects.exists()
    assert not Inspection.objects.get(pk=inspection.pk).hazards.exists()


def test_a_finding_attached_before_the_check_is_not_shown_to_the_inspected_mine(
    client, api_client, county, general_fields
):
    # mine3's hazard attached to mine2's inspection (as was possible before the service checked it).
    inspection = services.inspection_create(
        actor=county.inspector, mine=county.mine2, inspected_on=TODAY - dt.timedelta(days=2), mode="open"
    )
    theirs = services.hazard_create(actor=county.mine3_officer, mine=county.mine3, **general_fields)
    Hazard.objects.filter(pk=theirs.pk).update(inspection=inspection)
    client.force_login(county.mine2_officer)
    html = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert general_fields["description"] not in html
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get(f"/api/v1/inspections/{inspection.pk}/").json()["hazards"] == []


def test_only_the_bureau_records_findings_at_its_inspection(api_client, county, inspection, general_fields):
    """A mine (or its enterprise) cannot add its own records to the bureau's inspection, by API or by service."""
    body = {**general_fields, "mine": county.mine1.pk, "inspection": inspection.pk, "found_on": str(TODAY)}
    body["due_on"] = str(body["due_on"])
    for who in ("mine1_officer", "ent1_officer"):
        api_client.force_authenticate(getattr(county, who))
        response = api_client.post("/api/v1/hazards/", body, format="json")
        assert response.status_code in (400, 403), response.content
        assert "县局" in str(response.json())
    assert not Hazard.objects.filter(inspection=inspection).exists()
    with pytest.raises(NotPermitted):
        services.hazard_create(actor=county.mine1_officer, mine=county.mine1, inspection=inspection, **general_fields)
    # The inspector still can.
    services.hazard_create(actor=county.inspector, mine=county.mine1, inspection=inspection, **general_fields)


def test_a_mine_cannot_label_its_own_record_as_found_by_the_bureau(county, general_fields):
    with pytest.raises(NotPermitted, match="县局"):
        services.hazard_create(
            actor=county.mine1_officer, mine=county.mine1, **{**general_fields, "source": "bureau_inspection"}
        )
    own = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    with pytest.raises(NotPermitted, match="县局"):
        services.hazard_update(
            actor=county.mine1_officer, hazard=own, source="bureau_inspection", row_version=own.row_version
        )
    assert Hazard.objects.get(pk=own.pk).source == "unit_weekly"

"""Services own their whole transaction: what a page saves with its upload (a hazard with its photo, a step with its
evidence) is one service call, all or nothing, and the API can do the same in one request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign.models import ProgressEvidence, RequirementProgress
from campaign.progress import progress_update
from core.errors import DomainError
from hazards import services
from hazards.models import Hazard, HazardFile
from tests.factories import running_campaign
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

FAKE = b"MZ\x90\x00 this is not a picture"


def photo(content=None, name="现场.png"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes())


def test_a_hazard_and_its_photo_are_one_service_call(county, general_fields):
    with pytest.raises(DomainError):
        services.hazard_create(actor=county.mine1_officer, mine=county.mine1, photo=photo(FAKE), **general_fields)
    assert not Hazard.objects.exists() and not HazardFile.objects.exists()

    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, photo=photo(), **general_fields)
    assert hazard.files.get().stage == "before"


def test_submitting_for_acceptance_with_a_refused_photo_changes_nothing(county, general_fields):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    with pytest.raises(DomainError):
        services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard, after_photo=photo(FAKE))
    hazard.refresh_from_db()
    assert hazard.status == "open" and not hazard.files.exists()
    services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard, after_photo=photo())
    hazard.refresh_from_db()
    assert hazard.status == "awaiting_acceptance" and hazard.files.get().stage == "after"


def test_the_api_registers_a_hazard_with_its_photo(api_client, county, general_fields):
    api_client.force_authenticate(county.mine1_officer)
    body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in general_fields.items() if v is not None}
    response = api_client.post(
        "/api/v1/hazards/", {**body, "mine": county.mine1.pk, "photo": photo(FAKE)}, format="multipart"
    )
    assert response.status_code == 400
    assert not Hazard.objects.exists()
    response = api_client.post(
        "/api/v1/hazards/", {**body, "mine": county.mine1.pk, "photo": photo()}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert Hazard.objects.get(pk=response.json()["id"]).files.get().stage == "before"


def test_progress_and_its_evidence_are_one_service_call(county):
    campaign = running_campaign(bureau=county.bureau)
    requirement = campaign.requirements.get(code="1.2.b")
    with pytest.raises(DomainError):
        progress_update(
            actor=county.mine1_officer,
            organization=county.mine1,
            requirement=requirement,
            status="in_progress",
            evidence=photo(FAKE, "签到表.png"),
        )
    assert not RequirementProgress.objects.exists() and not ProgressEvidence.objects.exists()
    progress_update(
        actor=county.mine1_officer,
        organization=county.mine1,
        requirement=requirement,
        status="in_progress",
        evidence=photo(name="签到表.png"),
    )
    assert RequirementProgress.objects.get().files.count() == 1

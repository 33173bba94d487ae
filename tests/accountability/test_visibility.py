"""Who sees an action: the bureau all of its county's (drafts too); a mine the issued ones naming it; an enterprise
those naming itself or one of its mines; nobody else (404 on the pages and the API)."""

import pytest
from django.urls import reverse

from accountability.models import AccountabilityAction

from .helpers import criticism, summons

pytestmark = pytest.mark.django_db


def visible(user):
    return set(AccountabilityAction.objects.visible_to(user).values_list("title", flat=True))


def test_each_unit_sees_only_actions_naming_it_or_its_mines(county):
    criticism(county.inspector, [county.mine1], title="mine1")
    criticism(county.inspector, [county.ent1], title="ent1")
    summons(county.inspector, [county.mine3], title="mine3")
    criticism(county.inspector, [county.mine2], title="draft", issue=False)
    assert visible(county.mine1_officer) == {"mine1"}
    assert visible(county.mine2_officer) == set()
    assert visible(county.mine3_officer) == {"mine3"}
    assert visible(county.ent1_officer) == {"mine1", "ent1"}
    assert visible(county.inspector) == visible(county.leader) == {"mine1", "ent1", "mine3", "draft"}
    assert visible(county.other_inspector) == set()


def test_pages_and_api_answer_404_for_what_is_not_yours(client, api_client, county):
    note = criticism(county.inspector, [county.mine1])
    draft = criticism(county.inspector, [county.mine2], issue=False)
    for user, pk, status in (
        (county.mine2_officer, note.pk, 404),
        (county.mine2_officer, draft.pk, 404),
        (county.mine1_officer, note.pk, 200),
        (county.ent1_officer, note.pk, 200),
        (county.other_inspector, note.pk, 404),
    ):
        client.force_login(user)
        assert client.get(reverse("accountability_detail", args=[pk])).status_code == status
        assert client.get(reverse("accountability_docx", args=[pk])).status_code == status
        api_client.force_authenticate(user)
        assert api_client.get(f"/api/v1/accountability-actions/{pk}/").status_code == status

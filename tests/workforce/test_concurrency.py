"""No lost updates on the roster: the second of two people editing one person is refused (core.concurrency)."""

import pytest
from django.test import Client

from tests.forms import form_data
from workforce import services

pytestmark = pytest.mark.django_db


def test_second_of_two_editors_of_a_person_is_refused(county):
    person = services.person_create(actor=county.mine1_officer, mine=county.mine1, name="周涛", post="支护工")
    first, second = Client(), Client()
    first.force_login(county.mine1_officer)
    second.force_login(county.ent1_officer)
    first_page = first.get(f"/workforce/people/{person.pk}/edit/")
    second_page = second.get(f"/workforce/people/{person.pk}/edit/")
    assert (
        first.post(f"/workforce/people/{person.pk}/edit/", form_data(first_page, post="采煤机司机")).status_code == 302
    )
    response = second.post(f"/workforce/people/{person.pk}/edit/", form_data(second_page, employee_no="0103"))
    assert response.status_code == 200
    assert "修改（岗位（工种））" in response.content.decode()
    person.refresh_from_db()
    assert (person.post, person.employee_no) == ("采煤机司机", "")

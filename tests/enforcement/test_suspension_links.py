"""The mine's way into its 停产整顿 and the links between suspensions and their documents: the home page shows the
suspension with its order and offers 申请复产验收 only when the mine may apply; the suspension pages link each
document to its page and print; a document's page links back to its suspension; another mine sees none of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .penalty_helpers import setup_bureau
from .suspension_helpers import (
    active_suspension,
    apply,
    close_hazard,
    decide,
    issue_order,
    open_major,
    suspended_and_ordered,
)

pytestmark = pytest.mark.django_db

APPLY_BUTTON = 'data-testid="home-apply-resumption"'


@pytest.fixture
def officers(county):
    return setup_bureau(county.bureau, county.inspector)[0]


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_mine_home_shows_its_suspension_and_offers_to_apply_only_when_it_may(
    client, county, major_fields, officers
):
    assert 'data-testid="home-suspension"' not in home(client, county.mine1_officer)  # not suspended: no panel

    hazard = open_major(county, major_fields)
    page = home(client, county.mine1_officer)
    assert 'data-testid="home-suspension"' in page and "县局尚未下达" in page and APPLY_BUTTON not in page

    suspension = issue_order(officers, active_suspension(county.mine1))
    page = home(client, county.mine1_officer)
    assert suspension.order.number in page and reverse("document_detail", args=[suspension.order_id]) in page
    assert APPLY_BUTTON not in page and "尚未验收销号" in page  # the major hazard is still open

    close_hazard(county, hazard)
    page = home(client, county.mine1_officer)
    assert APPLY_BUTTON in page and reverse("resumption_apply", args=[suspension.pk]) in page

    # The enterprise and the bureau see the mine suspended elsewhere; the button is the mine's own.
    assert APPLY_BUTTON not in home(client, county.ent1_officer)
    assert APPLY_BUTTON not in home(client, county.inspector)
    # Another mine of the same enterprise sees nothing of it.
    assert suspension.order.number not in home(client, county.mine2_officer)

    application = apply(county.mine1_officer, suspension)
    page = home(client, county.mine1_officer)
    assert APPLY_BUTTON not in page and "待县局验收" in page

    decide(officers, application, accepted=False)
    assert APPLY_BUTTON in home(client, county.mine1_officer)  # refused: it may apply again

    decide(officers, apply(county.mine1_officer, suspension), accepted=True)
    assert 'data-testid="home-suspension"' not in home(client, county.mine1_officer)


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_of_a_suspended_mine_keeps_its_queries(client, county, major_fields, officers):
    client.force_login(county.mine1_officer)
    calm = _home_queries(client)
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    decide(officers, apply(county.mine1_officer, suspension), accepted=False)
    suspended = _home_queries(client)
    assert suspended <= calm + 3  # the suspension with its order, open major hazards, a pending application
    for _ in range(3):  # more history does not add queries
        decide(officers, apply(county.mine1_officer, suspension), accepted=False)
    assert _home_queries(client) == suspended


def test_suspension_pages_and_documents_link_each_other(client, county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    application = decide(officers, apply(county.mine1_officer, suspension), accepted=False)
    order, opinion = suspension.order, application.opinion_document
    for user in (county.inspector, county.mine1_officer):
        client.force_login(user)
        detail = client.get(reverse("suspension_detail", args=[suspension.pk])).content.decode()
        history = client.get(reverse("mine_suspension_history", args=[county.mine1.pk])).content.decode()
        for page in (detail, history):
            for document in (order, opinion):
                assert reverse("document_detail", args=[document.pk]) in page
                assert reverse("document_print", args=[document.pk]) in page
        for document in (order, opinion):
            page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
            assert 'data-testid="document-suspension"' in page
            assert reverse("suspension_detail", args=[suspension.pk]) in page
            assert client.get(reverse("document_print", args=[document.pk])).status_code == 200
    # Another mine: the documents are not its own (404), and no link leads there.
    client.force_login(county.mine2_officer)
    for document in (order, opinion):
        assert client.get(reverse("document_detail", args=[document.pk])).status_code == 404

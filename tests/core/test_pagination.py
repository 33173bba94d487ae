import pytest

from accounts.models import Organization
from core.views import CappedPaginator
from tests.factories import MineFactory

pytestmark = pytest.mark.django_db


def test_a_capped_paginator_counts_no_further_than_its_cap(county, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    for i in range(7):
        MineFactory(name=f"矿{i}", parent=county.ent1)
    qs = Organization.objects.filter(kind="mine").order_by("pk")
    with django_assert_max_num_queries(2):
        page = CappedPaginator(qs, 2).get_page(2)
        assert (page.paginator.count, page.paginator.is_capped, page.paginator.num_pages) == (5, True, 3)
        assert len(page.object_list) == 2
    exact = CappedPaginator(qs.filter(name__startswith="矿1"), 2)
    assert (exact.count, exact.is_capped) == (1, False)

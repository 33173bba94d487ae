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


def test_filter_bars_render_selects_directly_with_the_choice_kept_and_text_escaped(client, county):
    from core.widgets import FastSelect

    html = FastSelect(choices=[("", "全部"), ("a&b", "<甲>"), ("c", "乙")]).render("k", "a&b", attrs={"id": "id_k"})
    assert html == (
        '<select id="id_k" name="k"><option value="">全部</option>'
        '<option value="a&amp;b" selected>&lt;甲&gt;</option><option value="c">乙</option></select>'
    )
    client.force_login(county.inspector)
    page = client.get(f"/hazards/?mine={county.mine2.pk}&level=major").content.decode()
    assert f'<option value="{county.mine2.pk}" selected>西岭煤矿</option>' in page
    assert '<option value="major" selected>' in page
    assert "北坡煤矿" in page and "沁水" not in page  # the inspector's own mines only


def test_a_filter_bar_select_draws_a_callables_choices_as_given():
    """The filter bars give their choices as a callable (a province's 5,000 mines as (id, name)): drawn from its pairs
    as they are, ids unescaped (nothing to escape), names escaped, and `required` decided on the first pair alone."""
    from core.widgets import FastSelect

    def mines():
        return [("", "全部煤矿"), (7, "<矿&甲>"), (8, '乙"矿')]

    select = FastSelect(choices=mines)
    html = select.render("mine", 7, attrs={"id": "id_mine"})
    assert html == (
        '<select id="id_mine" name="mine"><option value="">全部煤矿</option>'
        '<option value="7" selected>&lt;矿&amp;甲&gt;</option><option value="8">乙&quot;矿</option></select>'
    )
    assert select.use_required_attribute(None) is True  # the first option is the empty one
    assert FastSelect(choices=lambda: [(1, "甲")]).use_required_attribute(None) is False


@pytest.mark.parametrize(
    ("value", "chosen"),
    [(7, 1), ("7", 1), (None, 1), ("", 1), ("a&b", 1), ('乙"矿', 1), ("<b>", 1), ("99", 0), (["7", "a&b"], 2)],
)
def test_a_select_of_written_options_draws_what_the_pairs_draw_whatever_is_chosen(value, chosen):
    """A long list kept as its written <option> tags (WrittenOptions) marks the chosen value by its tag: the same
    HTML as the pairs written one by one, for ids and escaped values, nothing chosen, or a value not in the list."""
    from core.widgets import FastSelect, WrittenOptions

    pairs = [("", "全部煤矿"), (7, "<矿&甲>"), (17, "七十"), ("a&b", 'value="7"'), ('乙"矿', "乙"), ("<b>", "b")]
    by_pairs = FastSelect(choices=pairs)
    written = FastSelect(choices=lambda: WrittenOptions.of(pairs[:1]) + WrittenOptions.of(pairs[1:]))
    html = written.render("mine", value, attrs={"id": "id_mine"})
    assert html == by_pairs.render("mine", value, attrs={"id": "id_mine"})
    assert html.count(" selected") == chosen and '<option value="17">' in html
    assert written.use_required_attribute(None) is by_pairs.use_required_attribute(None) is True


def test_numbered_pages_print_their_count_with_thousands_separators_as_the_estimates_do():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    html = render_to_string("includes/pagination.html", {"page": Paginator(range(2500), 20).get_page(3)})
    assert "共 2,500 条，第 3 / 125 页" in html
    html = render_to_string("includes/pagination.html", {"page": Paginator(range(7), 20).get_page(1)})
    assert "共 7 条" in html


def test_a_long_organisation_list_of_a_filter_bar_is_read_once_a_minute_and_only_for_its_own_query(
    county, monkeypatch, django_assert_num_queries
):
    """A city's or a province's mines in a filter bar are kept a minute under their own query (the visibility rule's
    condition in it): another user's scope reads its own list; a county's short list is read every time."""
    from django.core.cache import cache

    from accounts.models import Mine
    from core import filters
    from core.widgets import WrittenOptions

    cache.clear()
    monkeypatch.setattr(filters, "ORGANISATION_OPTIONS_KEPT_FROM", 2)
    bureau = Mine.objects.visible_to(county.inspector).order_by("name")
    assert bureau.count() >= 2
    with django_assert_num_queries(1):
        first = filters._organisation_options(bureau)
    with django_assert_num_queries(0):
        assert filters._organisation_options(bureau) == first
    own = Mine.objects.visible_to(county.mine1_officer).order_by("name")
    with django_assert_num_queries(1):
        assert filters._organisation_options(own) == WrittenOptions.of([(county.mine1.pk, county.mine1.name)])
    with django_assert_num_queries(1):  # one mine: below the length worth keeping, read again
        filters._organisation_options(own)
    cache.clear()

"""The hazard form as an officer fills it in: 专业 is chosen, never assumed; the top fields flow without a gap."""

import datetime as dt
from html.parser import HTMLParser

import pytest

from hazards.models import Hazard

pytestmark = pytest.mark.django_db


def form_data(county, **changes):
    data = {
        "mine": county.mine1.pk,
        "found_on": dt.date.today().isoformat(),
        "source": "team_daily",
        "location": "2401回风巷",
        "specialty": "ventilation",
        "description": "甲烷传感器吊挂位置不当",
        "level": "general",
        "measures": "调整传感器",
        "responsible_unit": "通风队",
        "responsible_person": "李晓东",
        "due_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }
    data.update(changes)
    return data


def test_specialty_has_no_default_and_must_be_chosen(client, county):
    client.force_login(county.mine1_officer)
    html = client.get("/hazards/new/").content.decode()
    select = html[html.index('name="specialty"') : html.index("</select>", html.index('name="specialty"'))]
    assert "请选择专业" in select
    assert 'value="" selected' in select and 'value="other" selected' not in select  # 其他 is not picked for the user
    response = client.post("/hazards/new/", form_data(county, specialty=""))
    assert response.status_code == 200
    assert not Hazard.objects.exists()
    assert "必" in response.content.decode()  # Django's Chinese "required" message on the field
    assert client.post("/hazards/new/", form_data(county)).status_code == 302
    assert Hazard.objects.get().specialty == "ventilation"


def test_editing_keeps_the_specialty_the_hazard_has(client, county):
    client.force_login(county.mine1_officer)
    client.post("/hazards/new/", form_data(county, specialty="water"))
    hazard = Hazard.objects.get()
    html = client.get(f"/hazards/{hazard.pk}/edit/").content.decode()
    assert 'value="water" selected' in html


class TopRow(HTMLParser):
    """The visible fields of each column of the form's first row of fields."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.columns = []  # lists of field names, one per column
        self.column_depth = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self.depth += 1
            if "col-md-6" in (attrs.get("class") or "").split() and self.column_depth is None:
                self.column_depth = self.depth
                self.columns.append([])
        visible_field = tag in ("input", "select", "textarea") and attrs.get("type") != "hidden" and attrs.get("name")
        if self.column_depth is not None and visible_field:
            self.columns[-1].append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "div":
            if self.depth == self.column_depth:
                self.column_depth = None
            self.depth -= 1


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer"])
def test_no_gap_under_found_on_each_top_field_has_its_own_column(client, county, who):
    """排查日期 sat alone in its column beside 排查类型 and 专业 stacked in the other (the mine's own officer has no
    煤矿 field above it): a gap under 排查日期. Each field in its own half-width column, they flow row by row."""
    client.force_login(getattr(county, who))
    parser = TopRow()
    parser.feed(client.get("/hazards/new/").content.decode())
    top = [c for c in parser.columns if set(c) & {"mine", "found_on", "source", "specialty"}]
    assert all(len(column) == 1 for column in top), top
    assert [c[0] for c in top][-3:] == ["found_on", "source", "specialty"]


def test_each_situation_carries_its_category_for_the_page_to_narrow_the_list(client, county):
    """The 情形 list is narrowed to the 类别 chosen on the page (static/js/major_item_filter.js): each option says its
    category; the browser journey of the mine officer checks the narrowing itself."""
    import re

    from hazards.selectors import current_major_items

    client.force_login(county.mine1_officer)
    html = client.get("/hazards/new/").content.decode()
    select = html[html.index('name="major_item"') : html.index("</select>", html.index('name="major_item"'))]
    options = dict(re.findall(r'<option value="(\d+)" data-category="(\d+)"', select))
    items = {str(it.pk): str(it.category_id) for it in current_major_items()}
    assert items and options == items
    assert "major_item_filter.js" in html

"""Batch selection on the 三违 ledger: export and print exactly the ticked rows the user may see."""

import io

import pytest
from openpyxl import load_workbook

from tests.factories import ViolationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(county):
    return {
        "own1": ViolationFactory(mine=county.mine1, description="所选一号三违"),
        "own2": ViolationFactory(mine=county.mine1, description="未选二号三违"),
        "theirs": ViolationFactory(mine=county.mine3, description="北坡的三违"),
    }


def test_export_of_the_selected_rows_holds_exactly_those_the_user_sees(client, county, rows):
    client.force_login(county.mine1_officer)
    response = client.get("/violations/selected/export/", {"ids": [rows["own1"].pk, rows["theirs"].pk]})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    text = " ".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "所选一号三违" in text and "未选二号三违" not in text and "北坡的三违" not in text


def test_print_view_and_404_and_nothing_selected(client, county, rows):
    client.force_login(county.mine1_officer)
    html = client.get("/violations/selected/print/", {"ids": [rows["own1"].pk]}).content.decode()
    assert "所选一号三违" in html and "北坡的三违" not in html and 'data-action="print"' in html
    assert client.get("/violations/selected/print/", {"ids": [rows["theirs"].pk]}).status_code == 404
    assert client.get("/violations/selected/export/", {"ids": [rows["theirs"].pk]}).status_code == 404
    response = client.get("/violations/selected/export/", follow=True)
    assert "请先勾选" in response.content.decode()


def test_the_ledger_has_checkboxes_and_the_batch_buttons(client, county, rows):
    client.force_login(county.mine1_officer)
    html = client.get("/violations/").content.decode()
    assert f'name="ids" value="{rows["own1"].pk}"' in html and 'form="violation-batch"' in html
    assert "导出所选" in html and "打印所选" in html


@pytest.mark.parametrize("count", [3, 40])
def test_selected_export_and_print_queries_do_not_grow(client, county, count, django_assert_max_num_queries):
    selected = [v.pk for v in ViolationFactory.create_batch(count, mine=county.mine1)]
    client.force_login(county.inspector)
    with django_assert_max_num_queries(6):
        assert client.get("/violations/selected/export/", {"ids": selected}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/violations/selected/print/", {"ids": selected}).status_code == 200

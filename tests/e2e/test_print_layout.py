"""A printed ledger reads on paper: on A4 landscape (the print view's page), a date, a short state or level and a name
stay on one line (the free text columns wrap instead), and the table keeps within the page."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

A4_LANDSCAPE = {"width": 1123, "height": 794}  # 297 × 210 mm at 96 px to the inch

BROKEN = """() => {
  const short = /^(\\d{4}-\\d{2}-\\d{2}|[\\u4e00-\\u9fffA-C]{1,4}|\\d{1,9}(\\.\\d+)?)$/;
  const broken = [];
  for (const cell of document.querySelectorAll("table.ledger td")) {
    const text = cell.textContent.trim();
    if (!short.test(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size > 1) broken.push(`«${text}» on ${lines.size} lines`);
  }
  const table = document.querySelector("table.ledger").getBoundingClientRect();
  return {broken, tableRight: table.right, page: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("path", ["/hazards/print/", "/violations/print/", "/hazards/listed/print/"])
def test_a_printed_ledger_keeps_dates_states_and_names_whole(journey, path):
    j = journey("print", A4_LANDSCAPE)
    j.login("inspector")
    j.page.emulate_media(media="print")
    assert j.page.goto(j.base_url + path).status == 200
    found = j.page.evaluate(BROKEN)
    j.shot("print")
    assert found["tableRight"] <= found["page"] + 1, "the table is wider than the page"
    assert not found["broken"], "\n".join(sorted(set(found["broken"]))[:12])

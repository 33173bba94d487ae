"""Charts that read: the big screen fits 1920×1080 (and a smaller 1366×768) without scrolling, and on every chart page
(big screen, charts, dashboard; desktop and phone) no label of a chart is clipped by its box or overlaps another label
— the timeline's milestones included. Measured on the SVG the charts are drawn as: each <text>'s box in the page."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREEN = {"width": 1920, "height": 1080}

# Labels clash when their boxes overlap by more than this (a glyph box is taller than the ink: touching boxes of two
# stacked lines are no clash).
SLACK = 2

LABELS = """() => {
  const problems = [];
  for (const chart of document.querySelectorAll("[data-chart]")) {
    const name = chart.getAttribute("data-chart");
    const box = chart.getBoundingClientRect();
    const texts = [...chart.querySelectorAll("svg text")]
      .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect()}))
      .filter(t => t.text && t.r.width > 0 && t.r.height > 0);
    if (!texts.length) problems.push(`${name}: no label drawn`);
    for (const t of texts) {
      const r = t.r;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        problems.push(`${name}: «${t.text}» is cut off by the chart's edge`);
    }
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > SLACK && y > SLACK) problems.push(`${name}: «${texts[i].text}» overlaps «${texts[j].text}»`);
      }
  }
  return problems;
}""".replace("SLACK", str(SLACK))


def labels_read(page):
    page.wait_for_selector("body[data-charts-ready='1']")
    page.wait_for_timeout(300)  # the timeline places its milestones after the first drawing
    return page.evaluate(LABELS)


def milestones(page):
    """The timeline's deadline labels (and 今天), each with its box."""
    names = page.evaluate(
        "() => [...document.querySelectorAll(\"[data-chart='timeline'] svg text\")].map(t => t.textContent.trim())"
    )
    return [n for n in names if n == "今天" or n.startswith(("报送", "问题", "11月", "12月", "总体"))]


@pytest.mark.parametrize("screen", [SCREEN, {"width": 1366, "height": 768}], ids=["1920x1080", "1366x768"])
def test_the_big_screen_fits_its_display_and_every_label_reads(journey, screen):
    j = journey("screen", screen)
    j.login("leader")
    page = j.go("/dashboard/screen/")
    problems = labels_read(page)
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], f"the big screen scrolls: {size}"
    assert "今天" in milestones(page) and len(milestones(page)) >= 4  # every deadline is labelled
    # every panel is on the screen in full
    bottoms = page.evaluate("() => [...document.querySelectorAll('.panel')].map(p => p.getBoundingClientRect().bottom)")
    assert max(bottoms) <= screen["height"]
    j.shot("big-screen")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_chart_labels_are_not_clipped_nor_overlapping(journey, viewport):
    problems = []
    for user, path in (("leader", "/dashboard/charts/"), ("inspector", "/dashboard/"), ("mine1", "/dashboard/")):
        j = journey(f"{user}-{viewport['width']}", viewport)
        j.login(user)
        page = j.go(path)
        problems += [f"{user} {path}: {p}" for p in labels_read(page)]
        if path == "/dashboard/charts/":
            assert len(milestones(page)) >= 4
            # the 四无 donut says what it shows: the share met, and each part's count in the legend
            donut = page.evaluate(
                "() => [...document.querySelectorAll(\"[data-chart='four_no'] svg text\")].map(t => t.textContent)"
            )
            assert any("/" in t and t.split("/")[0].isdigit() for t in donut), donut
            assert any("实现“四无”" in t and "家" in t for t in donut), donut
        j.shot("charts")
    assert not problems, "\n".join(problems)


def test_a_one_mine_user_sees_the_mine_not_a_comparison(journey):
    j = journey("one-mine", DESKTOP)
    j.login("mine1")
    page = j.go("/dashboard/charts/")
    labels_read(page)
    assert page.locator("[data-chart='by_enterprise'], [data-chart='four_no']").count() == 0
    status = page.locator("[data-testid=four-no-status]")
    assert status.inner_text() in ("已实现“四无”", "未实现“四无”")
    page = j.go("/dashboard/")
    assert page.locator("[data-table=ranking]").count() == 0
    expect(page.locator("[data-testid=own-mine]")).to_be_visible()
    j.shot("one-mine")

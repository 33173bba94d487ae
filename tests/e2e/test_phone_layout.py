"""Every list page on a phone (390×844), as each demo role sees it: no table squeezes a cell to less than two
characters, nothing pushes the page wider than the screen (a table may scroll inside its own container, which then
shows that there is more), the workforce tabs show that there are more, and a mine officer's home page starts with
what the officer does first.

Each page is measured in the browser: a cell's content box (its width without padding) must hold two characters of its
own font size; the document must be no wider than the window."""

import pytest

from .conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The list pages (and the detail pages that hold a list), as paths; "{…}" parts are filled from the demo data.
LISTS = {
    "inspector": [
        "/",
        "/mines/",
        "/campaigns/",
        "/campaigns/{campaign}/",
        "/campaigns/{campaign}/progress/overview/",
        "/campaigns/{campaign}/progress/{item}/all/",
        "/hazards/",
        "/hazards/listed/",
        "/inspections/",
        "/inspections/{inspection}/",
        "/violations/",
        "/violations/repeat-offenders/",
        "/violations/repeat-offenders/{offender}/",
        "/bulletins/",
        "/red-lines/",
        "/red-lines/{red_line}/",
        "/reports/",
        "/workforce/people/",
        "/workforce/people/{person}/",
        "/workforce/units/",
        "/workforce/sessions/",
        "/workforce/sessions/{session}/",
        "/workforce/coverage/",
        "/workforce/certificates/",
        "/workforce/positioning/",
        "/workforce/zero-shift/",
        "/workforce/handovers/",
        "/submissions/",
        "/submissions/review/",
        "/submissions/matrix/",
        "/submissions/quarterly/",
        "/submissions/{submission}/",
        "/submissions/{submission}/v/1/",
        "/notifications/",
        "/dashboard/",
        "/dashboard/charts/",
        "/dashboard/gaps/{gap_mine}/",
        "/enforcement/documents/",
        "/enforcement/documents/{document}/",
        "/enforcement/documents/settings/",
        "/enforcement/documents/officers/",
        "/accidents/",
        "/accidents/{accident}/",
    ],
    "mine1": [
        "/",
        "/campaigns/",
        "/campaigns/{campaign}/",
        "/hazards/",
        "/hazards/listed/",
        "/inspections/",
        "/violations/",
        "/violations/repeat-offenders/",
        "/red-lines/",
        "/workforce/people/",
        "/workforce/units/",
        "/workforce/sessions/",
        "/workforce/coverage/",
        "/workforce/certificates/",
        "/workforce/positioning/",
        "/workforce/zero-shift/",
        "/workforce/handovers/",
        "/submissions/",
        "/submissions/{mine1_submission}/",
        "/submissions/{mine1_submission}/v/1/",
        "/notifications/",
        "/dashboard/",
        "/enforcement/documents/",
        "/accidents/",
        "/accidents/{accident}/",
    ],
    "ent1": [
        "/",
        "/mines/",
        "/submissions/",
        "/submissions/matrix/",
        "/campaigns/{campaign}/progress/overview/",
        "/workforce/certificates/",
        "/workforce/sessions/",
        "/workforce/handovers/",
        "/workforce/people/import/batches/",
        "/dashboard/",
    ],
    "leader": ["/", "/submissions/", "/hazards/listed/", "/campaigns/", "/dashboard/", "/dashboard/charts/"],
}

MEASURE = """() => {
  const narrow = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (!cell.offsetParent) continue;  // hidden (another layout for this screen size)
    const r = cell.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const s = getComputedStyle(cell);
    const content = r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const two = 2 * parseFloat(s.fontSize);
    const text = cell.textContent.trim().slice(0, 16);
    if (content + 0.5 < two) narrow.push(`${cell.tagName} «${text}» ${content.toFixed(1)}px < ${two}px`);
  }
  const hidden = [];
  for (const box of document.querySelectorAll(".table-responsive")) {
    if (box.offsetParent && box.scrollWidth > box.clientWidth + 1 && !box.matches("[data-overflow~=end]"))
      hidden.push("a table scrolls with no sign that there is more");
  }
  return {width: document.documentElement.scrollWidth, window: window.innerWidth, narrow, hidden};
}"""


def demo_ids():
    from accidents.models import Accident
    from accounts.models import Mine
    from campaign.models import Campaign
    from enforcement.models import EnforcementDocument
    from hazards.models import Inspection
    from reporting.models import Submission
    from violations.models import RedLineList, RepeatOffender
    from workforce.models import Person, TrainingSession

    campaign = Campaign.objects.filter(is_template=False).order_by("-starts_on").first()
    submitted = Submission.objects.filter(versions_submitted__gt=0)
    return {
        "campaign": campaign.pk,
        "item": campaign.requirements.filter(level="item").order_by("order").first().pk,
        "inspection": Inspection.objects.order_by("pk").first().pk,
        "offender": RepeatOffender.objects.order_by("pk").first().pk,
        "red_line": RedLineList.objects.order_by("pk").first().pk,
        "person": Person.objects.order_by("pk").first().pk,
        "session": TrainingSession.objects.order_by("pk").first().pk,
        "submission": submitted.order_by("pk").first().pk,
        "mine1_submission": submitted.filter(organization__name__contains="东峰").order_by("pk").first().pk,
        "gap_mine": Mine.objects.order_by("pk").first().pk,
        "document": EnforcementDocument.objects.get(kind="review_opinion").pk,
        "accident": Accident.objects.order_by("pk").first().pk,
    }


@pytest.mark.parametrize("user", list(LISTS))
def test_list_pages_fit_a_phone(journey, user):
    ids = demo_ids()
    j = journey(user, PHONE)
    j.login(user)
    problems = []
    for path in LISTS[user]:
        url = path.format(**ids)
        response = j.page.goto(j.base_url + url)
        if response.status != 200:
            problems.append(f"{url}: HTTP {response.status} for {user}")
            continue
        found = j.page.evaluate(MEASURE)
        if found["width"] > found["window"]:
            problems.append(f"{url}: the page is {found['width']}px wide on a {found['window']}px screen")
        problems += [f"{url}: {n}" for n in found["narrow"][:3]]
        problems += [f"{url}: {h}" for h in found["hidden"][:1]]
    j.shot("last-list")
    assert not problems, "\n".join(problems)


def test_workforce_tabs_show_there_are_more(journey):
    j = journey("tabs", PHONE)
    j.login("mine1")
    page = j.go("/workforce/sessions/")
    tabs = page.locator("[data-scroll-hint]").first
    assert tabs.evaluate("el => el.scrollWidth > el.clientWidth"), "the tabs fit: nothing to hint"
    assert tabs.get_attribute("data-overflow") == "end"
    # the hint is drawn (a fade at the side where more tabs are) and goes once the last tab is in view
    assert tabs.evaluate("el => getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage") != "none"
    tabs.evaluate("el => { el.scrollLeft = el.scrollWidth; el.dispatchEvent(new Event('scroll')); }")
    page.wait_for_function("() => document.querySelector('[data-scroll-hint]').dataset.overflow === 'start'")
    # the tab of the page at hand is scrolled into view
    page = j.go("/workforce/handovers/")
    active = page.locator("[data-scroll-hint] .nav-link.active")
    box, bar = active.bounding_box(), page.locator("[data-scroll-hint]").first.bounding_box()
    assert box["x"] >= bar["x"] - 1 and box["x"] + box["width"] <= bar["x"] + bar["width"] + 1
    j.shot("tabs")


def test_mine_officer_home_on_a_phone_starts_with_what_to_do(journey):
    j = journey("home", PHONE)
    j.login("mine1")
    page = j.page
    quick = page.locator("[data-testid=quick-actions]")
    hazard = quick.get_by_role("link", name="登记隐患")
    violation = quick.get_by_role("link", name="登记“三违”")
    assert hazard.is_visible() and violation.is_visible()
    assert hazard.bounding_box()["y"] + hazard.bounding_box()["height"] <= PHONE["height"]  # in the first screen
    todo = page.locator("[data-testid=todo]").bounding_box()
    clock = page.locator("[data-testid=campaign-clock]").bounding_box()
    assert quick.bounding_box()["y"] < todo["y"] < clock["y"], "on a phone: the actions, then the to-do list"
    hazard.click()
    page.wait_for_url("**/hazards/new/")
    j.shot("home")
    # the same page on a desktop keeps the campaign clock on top
    desk = journey("home-desktop")
    desk.login("mine1")
    todo = desk.page.locator("[data-testid=todo]").bounding_box()
    clock = desk.page.locator("[data-testid=campaign-clock]").bounding_box()
    assert clock["y"] < todo["y"]
    # who may not register (the leadership group) is not offered it
    leader = journey("home-leader", PHONE)
    leader.login("leader")
    assert leader.page.locator("[data-testid=quick-actions]").count() == 0


def test_review_beside_its_form_does_not_squeeze_the_hazard_list_on_a_desktop(journey):
    """On a desktop the submitted content sits in a column beside 通过/退回: the self-check's hazard list there must not
    break dates, levels, names and states into a character a line (it scrolls sideways instead)."""
    from reporting.models import Submission

    from .conftest import DESKTOP

    self_check = Submission.objects.filter(versions_submitted__gt=0, deadline__kind="self_check").order_by("pk").first()
    j = journey("review-desktop", DESKTOP)
    j.login("inspector")
    problems = []
    for url in (f"/submissions/{self_check.pk}/", f"/submissions/{self_check.pk}/v/1/"):
        assert j.page.goto(j.base_url + url).status == 200
        found = j.page.evaluate(MEASURE.replace("main td, main th", "[data-testid=version-hazards] :is(td, th)"))
        problems += [f"{url}: {n}" for n in found["narrow"][:3]]
        problems += [f"{url}: {h}" for h in found["hidden"][:1]]
    j.shot("review-desktop")
    assert not problems, "\n".join(problems)


BUTTON_LINES = """() => {
  const broken = [];
  for (const button of document.querySelectorAll("main .btn")) {
    if (!button.offsetParent) continue;
    const text = button.innerText.trim();
    if (!text || text.length > 8) continue;  // a short label: one line, never a character a line
    const range = document.createRange();
    range.selectNodeContents(button);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size > 1) broken.push(`«${text}» on ${lines.size} lines`);
  }
  return broken;
}"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_short_button_labels_stay_on_one_line(journey, viewport):
    """A button squeezed by its neighbours broke its label into a character a line: the home page's 阅读 beside a new
    bulletin's title on a phone, the quarterly page's 查看 beside the year and quarter on every screen."""
    from .conftest import DESKTOP

    j = journey(f"buttons-{viewport}", PHONE if viewport == "phone" else DESKTOP)
    j.login("mine1")
    problems = []
    for url in ("/", "/submissions/quarterly/"):
        assert j.page.goto(j.base_url + url).status == 200
        if url == "/":
            assert j.page.locator("main .alert .btn", has_text="阅读").count(), "no unread bulletin to measure"
        problems += [f"{url}: {b}" for b in j.page.evaluate(BUTTON_LINES)]
    assert not problems, "\n".join(problems)

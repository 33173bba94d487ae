"""Capture without signal (issue 23 item 1), on a phone in Debian's Chromium: the officer goes offline, records a hazard
with a photo and a 三违, sees them waiting (待上传), goes online and finds each once on the server; an upload whose
answer is lost is sent again and still recorded once; a record the server refuses stays queued with its message; after
logout the browser holds nothing of that user."""

import datetime as dt
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: what the browser says about requests this journey makes fail or refuse on purpose (offline, an aborted answer, the
#: server's refusal of a record): not problems of the app
EXPECTED = ("ERR_INTERNET_DISCONNECTED", "ERR_FAILED", "status of 422", "status of 503")


def big_photo(path):
    """A phone camera's photo: 3000×2000 JPEG (the page redraws it at most 1600 px wide)."""
    image = Image.new("RGB", (3000, 2000), (90, 90, 90))
    for x in range(0, 3000, 50):
        image.paste((200, 120 + x % 100, 40), (x, 0, x + 25, 2000))
    image.save(path, "JPEG", quality=95)
    return path


def only_unexpected(journey):
    journey.problems[:] = [p for p in journey.problems if not any(e in p for e in EXPECTED)]


def open_online(j, *paths):
    """The pages the officer opens while there is signal: the service worker keeps each for later."""
    j.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for path in paths:
        j.go(path)
    # controlled by the worker from here on (the first page load registered it)
    assert j.page.evaluate("navigator.serviceWorker.controller !== null")


def fill_hazard(page, description, *, specialty="ventilation", photo=None):
    today = dt.date.today()
    page.fill("#id_found_on", today.isoformat())
    page.select_option("#id_source", "team_daily")
    if specialty:
        page.select_option("#id_specialty", specialty)
    page.fill("#id_location", "3105回风巷")
    page.fill("#id_description", description)
    page.select_option("#id_level", "general")
    page.fill("#id_measures", "清理浮煤")
    page.fill("#id_responsible_unit", "综掘一队")
    page.fill("#id_responsible_person", "王建军")
    page.fill("#id_due_on", (today + dt.timedelta(days=2)).isoformat())
    if photo:
        page.set_input_files("#id_before_photo", str(photo))


def fill_violation(page, description):
    page.fill("#id_occurred_on", dt.date.today().isoformat())
    page.select_option("#id_shift", "morning")
    page.fill("#id_location", "2401综采工作面")
    page.fill("#id_person_name", "赵志刚")
    page.fill("#id_post", "采煤机司机")
    page.fill("#id_department", "综采一队")
    page.select_option("#id_type", "operation")
    page.select_option("#id_severity", "general")
    page.fill("#id_description", description)
    page.select_option("#id_found_by", "self")
    page.fill("#id_found_by_name", "本矿安检员")


def badge(page):
    return page.locator("[data-testid=offline-badge]")


def test_offline_hazard_with_photo_and_violation_are_sent_once_when_back_online(journey, tmp_path):
    from hazards.models import Hazard
    from violations.models import Violation

    j = journey("offline", PHONE)
    page = j.page
    j.login("mine1")
    open_online(j, "/hazards/", "/hazards/new/", "/violations/new/", "/offline/", "/hazards/new/")
    expect(badge(page)).to_be_hidden()

    # In the pit: no signal. The hazard form, filled and saved, waits in the browser.
    j.context.set_offline(True)
    fill_hazard(page, "离线登记：回风巷浮煤堆积", photo=big_photo(tmp_path / "现场.jpg"))
    page.click("button:has-text('保存')")
    expect(page.get_by_text("已保存在本机（待上传）")).to_be_visible()
    expect(badge(page)).to_contain_text("待上传 1")
    j.shot("hazard-queued")

    # The 三违 form opens from the worker's copy, offline, and its record waits too.
    j.go("/violations/new/")
    fill_violation(page, "离线登记：未停机处理采煤机故障")
    page.click("button:has-text('保存')")
    expect(page.get_by_text("已保存在本机（待上传）")).to_be_visible()
    expect(badge(page)).to_contain_text("待上传 2")

    # The ledger opened earlier reads offline, marked as a copy with its time.
    j.go("/hazards/")
    copy = re.compile(r"离线副本 · 加载于 \d{4}-\d\d-\d\d \d\d:\d\d")
    expect(page.get_by_test_id("offline-copy")).to_contain_text(copy)
    j.shot("ledger-offline-copy")
    j.go("/offline/")
    expect(page.get_by_test_id("offline-record")).to_have_count(2)
    j.shot("queue")
    assert not Hazard.objects.filter(description__startswith="离线登记").exists()

    # Signal again: the queue goes, in order, and empties.
    j.context.set_offline(False)
    expect(page.get_by_test_id("offline-record")).to_have_count(0, timeout=30000)
    expect(badge(page)).to_be_hidden()
    j.shot("queue-sent")
    hazard = Hazard.objects.get(description="离线登记：回风巷浮煤堆积")
    assert Violation.objects.filter(description="离线登记：未停机处理采煤机故障").count() == 1
    assert hazard.created_at <= Violation.objects.get(description__startswith="离线登记").created_at  # in order
    photo = hazard.files.get()
    with photo.file.open("rb") as stored:
        width, height = Image.open(io.BytesIO(stored.read())).size
    assert max(width, height) <= 1600 and photo.content_type == "image/jpeg"  # redrawn on the phone

    # A record the server will refuse waits at logout: logout asks, then nothing of this user stays in the browser.
    user_id = page.evaluate("document.body.dataset.user")
    j.go("/hazards/new/")
    j.context.set_offline(True)
    fill_hazard(page, "退出前未上传：井下水泵房积水", specialty=None)
    page.click("button:has-text('保存')")
    expect(badge(page)).to_contain_text("待上传 1")
    # Offline, logout is refused (it could not reach the server: this phone would stay signed in, its records wiped).
    said = []

    def answer(dialog):
        said.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    j.open_menu()
    page.click("#mainNav .dropdown-toggle:has(.bi-person-circle)")
    page.click("[data-logout] button")
    for _ in range(50):
        if len(said) == 2:
            break
        page.wait_for_timeout(100)
    page.remove_listener("dialog", answer)
    assert len(said) == 2 and "当前无网络" in said[1], said
    assert "/accounts/login/" not in page.url
    j.context.set_offline(False)
    page.reload()
    expect(page.locator("[data-testid=offline-badge]")).to_contain_text("待上传 1")
    page.evaluate("localStorage.setItem('probe', 'x')")
    assert page.evaluate("caches.keys()")  # the worker's copies of this user's pages
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    j.open_menu()
    page.click("#mainNav .dropdown-toggle:has(.bi-person-circle)")
    page.click("[data-logout] button")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert asked and "1 条记录未上传" in asked[0]
    left = page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map(d => d.name),
            caches: await caches.keys(),
            local: localStorage.length,
        })"""
    )
    assert f"capture-{user_id}" not in left["databases"], left
    assert left["caches"] == [] and left["local"] == 0, left
    j.shot("logged-out")
    only_unexpected(j)


def test_lost_answer_is_retried_once_and_a_refused_record_stays_queued_for_correction(journey):
    from core.models import IdempotencyKey
    from hazards.models import Hazard

    # Without the worker, so that the test can cut the line under the page's own requests (page.route does not see
    # what a service worker lets through).
    j = journey("offline-retry", PHONE, service_workers="block")
    page = j.page
    j.login("mine1")
    j.go("/hazards/new/")

    j.context.set_offline(True)
    fill_hazard(page, "应答丢失：主斜井皮带跑偏")
    page.click("button:has-text('保存')")
    expect(badge(page)).to_contain_text("待上传 1")
    fill_hazard(page, "缺专业：副井井口安全门失灵", specialty=None)  # the server will refuse it: 专业 is required
    page.click("button:has-text('保存')")
    expect(badge(page)).to_contain_text("待上传 2")

    # The first upload reaches the server, which records it, but its answer never reaches the phone.
    dropped = []

    def lose_first_answer(route):
        if route.request.method == "POST" and not dropped:
            dropped.append(route.fetch().status)  # the server answers...
            route.abort()  # ...and the line drops before the phone hears it
        else:
            route.continue_()

    page.route(re.compile(r".*/hazards/new/.*"), lose_first_answer)
    j.context.set_offline(False)
    expect(badge(page)).to_contain_text("待上传 1", timeout=40000)  # retried after 5 s: sent; the other refused
    assert dropped == [201]
    assert Hazard.objects.filter(description="应答丢失：主斜井皮带跑偏").count() == 1  # once, not twice
    assert not Hazard.objects.filter(description__startswith="缺专业").exists()
    assert IdempotencyKey.objects.count() == 1

    j.go("/offline/")
    refused = page.locator("[data-testid=offline-record][data-status=refused]")
    expect(page.get_by_test_id("offline-record")).to_have_count(1)
    expect(refused.get_by_test_id("offline-message")).to_contain_text("专业")
    j.shot("refused-stays")

    # Correct it from the queue: the form opens with what was saved and the server's message.
    refused.get_by_role("link", name="修改").click()
    expect(page.get_by_text("正在修改本机待上传的记录")).to_be_visible()
    assert page.input_value("#id_description") == "缺专业：副井井口安全门失灵"
    page.select_option("#id_specialty", "electromechanical")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    expect(badge(page)).to_be_hidden()
    assert Hazard.objects.filter(description="缺专业：副井井口安全门失灵", specialty="electromechanical").count() == 1
    only_unexpected(j)

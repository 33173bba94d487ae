"""Notices by 企业微信 and 钉钉 group robots and by SMS (issue 23 item 2), against local HTTP receivers started by the
tests: each request's format, the 钉钉 加签 and the SMS signature checked by the receiver as the real service does;
retries with backoff (a receiver failing twice gets the notice exactly once), giving up, quiet hours, urgent kinds,
rate limits, the webhook host check, and no secret in the logs."""

import base64
import datetime as dt
import hashlib
import hmac
import logging
import urllib.parse

import pytest
import time_machine
from django.urls import reverse

from core.errors import DomainError
from core.masking import SecretMaskingFilter, mask
from notifications import services
from notifications.models import Delivery, DeliveryStatus, QuietHours, Robot
from notifications.outbox import deliveries_send
from notifications.services import Notice, notify_many
from tests.notifications.receivers import Receiver

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2024, 11, 5, 4, tzinfo=dt.UTC)  # 12:00 in Shanghai
LATE = dt.datetime(2024, 11, 5, 15, tzinfo=dt.UTC)  # 23:00 in Shanghai: quiet hours (22:00–07:00 by default)
DING_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
SMS_SECRET = "smsKeySecretQ9w8e7r6t5y4"


@pytest.fixture
def receiver():
    started = []

    def start(**kwargs):
        r = Receiver(**kwargs).start()
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


def robot(county, kind, url, secret=""):
    return Robot.objects.create(organization=county.bureau, kind=kind, name=f"{kind}群", webhook_url=url, secret=secret)


def bureau_channels(county, kind_channels):
    services.channel_preferences_save(actor=county.inspector, choices=kind_channels, organization=county.bureau)


def overdue(county, key="hazard:overdue:1", topic="hazard_overdue", who=None):
    people = who or [county.inspector, county.leader]
    return notify_many(
        [Notice(u.pk, topic, key, "重大隐患逾期未整改：东峰煤矿 中央水仓", "已逾期3天。", "/hazards/") for u in people]
    )


def ding_check(secret):
    """What 钉钉 does: the sign must be base64(HMAC-SHA256(secret, "timestamp\\nsecret")) and fresh (1 hour)."""

    def check(request):
        timestamp, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        if not timestamp or sign != expected or request.query.get("access_token") != "tok123456":
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return None

    return check


def aliyun_check(key_id, secret):
    """What Dysmsapi does: recompute the POP signature over every other parameter (sorted, RFC 3986-encoded)."""

    def enc(s):
        return urllib.parse.quote(s, safe="~")

    def check(request):
        params = request.form()
        signature = params.pop("Signature", "")
        canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
        to_sign = "POST&%2F&" + enc(canonical)
        expected = base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
        if signature != expected or params.get("AccessKeyId") != key_id or params.get("Action") != "SendSms":
            return 200, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        return None

    return check


# ---------------------------------------------------------------- formats


def test_a_wecom_robot_gets_one_markdown_message_per_notice(county, receiver):
    wecom = receiver()
    robot(county, "wecom", f"{wecom.url}/cgi-bin/webhook/send?key=wecomKey0001")
    bureau_channels(county, {"major_hazard": ["wecom"]})
    with time_machine.travel(NOON, tick=False):
        assert overdue(county, topic="hazard_escalation") == 2  # two people of the bureau …
        assert deliveries_send() == 1  # … one message to their group
        assert deliveries_send() == 0
    (request,) = wecom.requests
    assert request.path == "/cgi-bin/webhook/send" and request.query == {"key": "wecomKey0001"}
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert body["msgtype"] == "markdown" and set(body) == {"msgtype", "markdown"}
    assert "重大隐患逾期未整改" in body["markdown"]["content"] and "/hazards/" in body["markdown"]["content"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_dingtalk_robot_checks_the_signature(county, receiver):
    ding = receiver(check=ding_check(DING_SECRET))
    robot(county, "dingtalk", f"{ding.url}/robot/send?access_token=tok123456", DING_SECRET)
    bureau_channels(county, {"major_hazard": ["dingtalk"]})
    with time_machine.travel(NOON, tick=False):
        overdue(county, topic="hazard_escalation")
        assert deliveries_send() == 1
    (request,) = ding.accepted
    assert request.json()["msgtype"] == "markdown" and request.json()["markdown"]["title"].startswith("重大隐患")
    # a wrong secret is refused by the receiver, and the delivery waits for its retry with the error kept (masked)
    Robot.objects.update(secret="SEC" + "f" * 64)
    with time_machine.travel(NOON, tick=False):
        overdue(county, key="hazard:escalation:2", topic="hazard_escalation")
        assert deliveries_send() == 0
    failed = Delivery.objects.get(key="hazard:escalation:2")
    assert failed.status == DeliveryStatus.PENDING and failed.attempts == 1 and "310000" in failed.last_error


def test_sms_through_the_aliyun_api_is_signed(county, receiver, settings):
    sms = receiver(answers=[(200, {"Code": "OK", "BizId": "1"})], check=aliyun_check("LTAIkeyid0001", SMS_SECRET))
    settings.SMS_PROVIDER, settings.SMS_ENDPOINT = "aliyun", f"{sms.url}/"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "LTAIkeyid0001", SMS_SECRET
    settings.SMS_SIGN_NAME, settings.SMS_TEMPLATE_CODE = "阳城应急", "SMS_123456"
    county.mine1_officer.phone = "13912345678"
    county.mine1_officer.save()
    services.channel_preferences_save(actor=county.mine1_officer, choices={"hazard": ["sms"]})
    with time_machine.travel(NOON, tick=False):
        overdue(county, topic="hazard_overdue", who=[county.mine1_officer, county.mine2_officer])  # mine2 chose none
        assert deliveries_send() == 1
    (request,) = sms.accepted
    form = request.form()
    assert form["PhoneNumbers"] == "13912345678" and form["SignName"] == "阳城应急"
    assert form["TemplateCode"] == "SMS_123456" and "重大隐患逾期未整改" in form["TemplateParam"]
    assert form["SignatureMethod"] == "HMAC-SHA1" and form["Version"] == "2017-05-25"
    assert Delivery.objects.get().target == "13912345678"


# ---------------------------------------------------------------- retries, giving up


def test_a_receiver_failing_twice_gets_the_notice_exactly_once(county, receiver):
    wecom = receiver(answers=[(500, {}), (200, {"errcode": 45009, "errmsg": "busy"}), (200, {"errcode": 0})])
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0002")
    bureau_channels(county, {"major_hazard": ["wecom"]})
    with time_machine.travel(NOON, tick=False) as clock:
        overdue(county, topic="hazard_escalation")
        assert deliveries_send() == 0
        d = Delivery.objects.get()
        assert d.attempts == 1 and d.next_attempt_at == NOON + dt.timedelta(minutes=1) and d.last_error == "HTTP 500"
        assert deliveries_send() == 0 and len(wecom.requests) == 1  # not due yet
        clock.shift(dt.timedelta(minutes=1))
        assert deliveries_send() == 0
        d.refresh_from_db()
        assert d.attempts == 2 and d.next_attempt_at == NOON + dt.timedelta(minutes=3)
        clock.shift(dt.timedelta(minutes=2))
        assert deliveries_send() == 1
        clock.shift(dt.timedelta(hours=2))
        assert deliveries_send() == 0
    assert len(wecom.requests) == 3 and len(wecom.accepted) == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 3 and d.last_error == ""


def test_backoff_doubles_up_to_an_hour_and_gives_up(county, receiver, settings):
    from notifications.outbox import backoff

    assert [backoff(n).seconds // 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    settings.NOTICE_MAX_ATTEMPTS = 3
    wecom = receiver(answers=[(503, {})])
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0003")
    bureau_channels(county, {"major_hazard": ["wecom"]})
    with time_machine.travel(NOON, tick=False) as clock:
        overdue(county, topic="hazard_escalation")
        for _ in range(5):
            deliveries_send()
            clock.shift(dt.timedelta(hours=1))
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.FAILED and d.attempts == 3 and len(wecom.requests) == 3


def test_a_webhook_that_redirects_is_not_followed(county, receiver):
    inside = receiver()
    wecom = receiver(answers=[(302, f"{inside.url}/internal")])
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0004")
    bureau_channels(county, {"major_hazard": ["wecom"]})
    with time_machine.travel(NOON, tick=False):
        overdue(county, topic="hazard_escalation")
        deliveries_send()
    assert inside.requests == [] and "跳转" in Delivery.objects.get().last_error


# ---------------------------------------------------------------- quiet hours, urgent kinds, rate limits


def test_quiet_hours_delay_the_ordinary_and_pass_the_urgent(county, receiver):
    wecom = receiver()
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0005")
    bureau_channels(county, {"hazard": ["wecom"], "accident": ["wecom"]})
    with time_machine.travel(LATE, tick=False) as clock:
        overdue(county, topic="hazard_overdue")  # 隐患整改期限: waits for 07:00
        notify_many([Notice(county.inspector.pk, "accident_reported", "accident:reported:1", "东峰煤矿发生事故")])
        assert deliveries_send() == 1
        assert [r.json()["markdown"]["content"].startswith("**东峰煤矿发生事故") for r in wecom.requests] == [True]
        waiting = Delivery.objects.get(key="hazard:overdue:1")
        assert waiting.next_attempt_at == dt.datetime(2024, 11, 5, 23, tzinfo=dt.UTC)  # 07:00 in Shanghai
        clock.move_to(dt.datetime(2024, 11, 5, 22, 59, tzinfo=dt.UTC))
        assert deliveries_send() == 0
        clock.move_to(dt.datetime(2024, 11, 5, 23, tzinfo=dt.UTC))
        assert deliveries_send() == 1
    # the bureau's own hours (none: start = end) replace the default
    QuietHours.objects.create(organization=county.bureau, start=dt.time(0), end=dt.time(0))
    with time_machine.travel(LATE, tick=False):
        overdue(county, key="hazard:overdue:2", topic="hazard_overdue")
        assert deliveries_send() == 1


def test_a_robot_sends_at_most_its_rate_per_minute(county, receiver, settings):
    settings.NOTICE_ROBOT_RATE_PER_MINUTE = 3
    wecom = receiver()
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0006")
    bureau_channels(county, {"hazard": ["wecom"]})
    with time_machine.travel(NOON, tick=False) as clock:
        for i in range(5):
            overdue(county, key=f"hazard:overdue:{i}", who=[county.inspector])
        assert deliveries_send() == 3
        assert Delivery.objects.filter(status="pending", next_attempt_at=NOON + dt.timedelta(minutes=1)).count() == 2
        clock.shift(dt.timedelta(seconds=30))
        assert deliveries_send() == 0
        clock.shift(dt.timedelta(seconds=31))
        assert deliveries_send() == 2
    assert len(wecom.requests) == 5 and len({r.body for r in wecom.requests}) == 1  # one title, five notices


# ---------------------------------------------------------------- secrets


def test_no_secret_reaches_the_logs(county, receiver, caplog):
    ding = receiver(answers=[(500, {})])
    robot(county, "dingtalk", f"{ding.url}/robot/send?access_token=tokSecret98765", DING_SECRET)
    bureau_channels(county, {"major_hazard": ["dingtalk"]})
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(NOON, tick=False):
        overdue(county, topic="hazard_escalation")
        deliveries_send()
    sign = ding.requests[0].query["sign"]
    logged = caplog.text + " ".join(Delivery.objects.values_list("last_error", flat=True))
    assert "通知发送失败" in caplog.text
    for secret in (DING_SECRET, "tokSecret98765", sign):
        assert secret not in logged
    # the handler's filter masks what code might still write: a signed URL, a secret, a phone number
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "POST %s failed for %s",
        (f"{ding.url}/send?access_token=tokSecret98765&timestamp=1&sign={sign}", "13912345678"),
        None,
    )
    SecretMaskingFilter().filter(record)
    text = record.getMessage()
    assert "tokSecret98765" not in text and sign not in text and "13912345678" not in text and "139****5678" in text
    assert mask(f"secret {DING_SECRET}") == "secret ***"  # registered when used


def test_the_log_handlers_mask_secrets():
    from django.conf import settings

    assert all("mask_secrets" in h.get("filters", []) for h in settings.LOGGING["handlers"].values())


def test_a_robot_may_point_only_at_the_allowed_hosts(county, settings):
    for url in (
        "http://10.0.0.8/send?key=x",
        "http://localhost:8000/admin/",
        "file:///etc/passwd",
        "http://u:p@127.0.0.1/",
    ):
        with pytest.raises(DomainError):
            services.robot_save(actor=county.inspector, kind="wecom", name="群", webhook_url=url)
    settings.NOTICE_WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(DomainError, match="https"):
        services.robot_save(actor=county.inspector, kind="wecom", name="群", webhook_url="http://127.0.0.1/send")
    with pytest.raises(DomainError, match="加签"):
        services.robot_save(actor=county.inspector, kind="dingtalk", name="群", webhook_url="https://127.0.0.1/send")


# ---------------------------------------------------------------- pages and API


def test_robot_pages_for_the_bureau_writers_only(client, county, receiver):
    wecom = receiver()
    client.force_login(county.inspector)
    response = client.post(
        reverse("robot_create"),
        {
            "kind": "dingtalk",
            "name": "县局值班群",
            "webhook_url": f"{wecom.url}/send?access_token=tokPage12345",
            "secret": DING_SECRET,
            "active": "on",
        },
    )
    assert response.status_code == 302
    ours = Robot.objects.get()
    page = client.get(reverse("robot_list")).content.decode()
    assert "县局值班群" in page and DING_SECRET not in page and "tokPage12345" not in page and "已设置" in page
    edit = client.get(reverse("robot_edit", kwargs={"pk": ours.pk})).content.decode()
    assert DING_SECRET not in edit and "tokPage12345" not in edit and "access_token=***" in edit
    # a blank secret and the masked address posted back keep the stored ones
    client.post(
        reverse("robot_edit", kwargs={"pk": ours.pk}),
        {"kind": "dingtalk", "name": "值班群", "webhook_url": ours.masked_url, "secret": "", "active": "on"},
    )
    ours.refresh_from_db()
    assert ours.name == "值班群" and ours.secret == DING_SECRET and ours.webhook_url.endswith("tokPage12345")
    bad = client.post(
        reverse("robot_create"), {"kind": "wecom", "name": "x", "webhook_url": "http://169.254.169.254/latest"}
    )
    assert bad.status_code == 200 and "Webhook 地址只能指向" in bad.content.decode()
    response = client.post(reverse("robot_test", kwargs={"pk": ours.pk}), follow=True)
    assert "测试消息已发往" in response.content.decode() and len(wecom.requests) == 1
    client.force_login(county.leader)
    assert client.get(reverse("robot_list")).status_code == 200
    assert client.get(reverse("robot_create")).status_code == 403
    assert client.post(reverse("robot_test", kwargs={"pk": ours.pk})).status_code == 403
    client.force_login(county.other_inspector)
    assert client.get(reverse("robot_edit", kwargs={"pk": ours.pk})).status_code == 404
    assert client.post(reverse("robot_test", kwargs={"pk": ours.pk})).status_code == 404
    client.force_login(county.mine1_officer)
    assert client.get(reverse("robot_list")).status_code == 403


def test_channel_preferences_page(client, county):
    client.force_login(county.mine1_officer)
    page = client.get(reverse("channel_preferences")).content.decode()
    assert "我的短信通知" in page and "东峰煤矿的通知渠道" in page and "企业微信群机器人" not in page
    client.post(reverse("channel_preferences"), {"for": "own", "hazard": ["sms"]})
    client.post(reverse("channel_preferences"), {"for": "unit", "accident": ["sms"]})
    prefs = {(p.user_id, p.organization_id, p.kind): p.channels for p in county.mine1_officer.channel_preferences.all()}
    assert prefs[(county.mine1_officer.pk, None, "hazard")] == ["sms"]
    assert county.mine1.channel_preferences.get(kind="accident").channels == ["sms"]
    response = client.post(reverse("channel_preferences"), {"for": "own", "hazard": ["wecom"]})
    assert response.status_code == 200 and "群机器人只能按单位设置" in response.content.decode()
    client.post(reverse("channel_preferences"), {"for": "quiet", "start": "21:30", "end": "06:00"})
    assert (county.mine1.quiet_hours.start, county.mine1.quiet_hours.end) == (dt.time(21, 30), dt.time(6))
    bad = client.post(reverse("channel_preferences"), {"for": "quiet", "start": "25:00", "end": "x"}, follow=True)
    assert "请按“时:分”填写" in bad.content.decode()
    client.force_login(county.leader)  # reads only: its own choices, not the bureau's
    assert (
        client.post(reverse("channel_preferences"), {"for": "quiet", "start": "0:00", "end": "0:00"}).status_code == 403
    )
    assert "的通知渠道" not in client.get(reverse("channel_preferences")).content.decode()
    assert client.post(reverse("channel_preferences"), {"for": "unit", "hazard": ["wecom"]}).status_code == 403
    assert client.post(reverse("channel_preferences"), {"for": "own", "hazard": ["sms"]}).status_code == 302


def _deliveries(county, n, receiver_url):
    robot(county, "wecom", f"{receiver_url}/send?key=wecomKey0007")
    bureau_channels(county, {"hazard": ["wecom", "sms"]})
    for u in (county.inspector, county.leader):
        u.phone = f"1390000000{u.pk % 10}"
        u.save()
    with time_machine.travel(NOON, tick=False):
        for i in range(n):
            overdue(county, key=f"hazard:overdue:{i}")


@pytest.mark.parametrize("size", [2, 12])
def test_delivery_list_and_api(client, api_client, county, receiver, size, django_assert_max_num_queries):
    wecom = receiver()
    _deliveries(county, size, wecom.url)
    assert Delivery.objects.count() == size * 3  # the robot once, each person's SMS
    client.force_login(county.inspector)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("delivery_list")).content.decode()
    assert "wecom群" in page and "待发送" in page and "1390000000" not in page and "139****000" in page
    assert "企业微信群机器人" in client.get(reverse("delivery_list"), {"channel": "wecom"}).content.decode()
    assert "筛选条件不正确" in client.get(reverse("delivery_list"), {"status": "nonsense"}).content.decode()
    api_client.force_authenticate(county.inspector)
    with django_assert_max_num_queries(8):
        rows = api_client.get("/api/v1/notice-deliveries/", {"channel": "sms"}).json()["results"]
    assert len(rows) == min(size * 2, 20) and all(r["target"].startswith("139****") for r in rows)
    bad = api_client.get("/api/v1/notice-deliveries/", {"status": "nonsense", "channel": "\x00"})
    assert (
        bad.status_code == 400 and set(bad.json()) == {"status", "channel"} and "状态只能是" in bad.json()["status"][0]
    )
    api_client.force_authenticate(county.other_inspector)
    assert api_client.get("/api/v1/notice-deliveries/").json()["results"] == []
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.get("/api/v1/notice-deliveries/").status_code == 403
    client.force_login(county.mine1_officer)
    assert client.get(reverse("delivery_list")).status_code == 403


def test_a_retry_that_would_fall_in_quiet_hours_waits_for_their_end(county, receiver):
    wecom = receiver(answers=[(500, {}), (200, {"errcode": 0})])
    robot(county, "wecom", f"{wecom.url}/send?key=wecomKey0008")
    bureau_channels(county, {"hazard": ["wecom"], "accident": ["wecom"]})
    before_quiet = dt.datetime(2024, 11, 5, 13, 59, 30, tzinfo=dt.UTC)  # 21:59:30 in Shanghai
    with time_machine.travel(before_quiet, tick=False):
        overdue(county, topic="hazard_overdue")
        deliveries_send()
    assert Delivery.objects.get().next_attempt_at == dt.datetime(2024, 11, 5, 23, tzinfo=dt.UTC)  # 07:00

"""How a delivery leaves the building: one provider per channel, each with `send(delivery)` that returns on success
and raises `DeliveryError` (with a message safe to keep and show) otherwise.

- 企业微信群机器人: POST {"msgtype": "markdown", "markdown": {"content": …}} to the robot's webhook.
- 钉钉群机器人: the same idea, with 加签: `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(secret,
  "timestamp\\nsecret"))) added to the webhook's query string.
- 短信: Aliyun Dysmsapi `SendSms` (RPC style, HMAC-SHA1 signature, version 2017-05-25), or the console (development).

Plain urllib, with a timeout on every request and redirects refused (a webhook answering 302 to an address inside
the network must not be followed). Secrets are registered with core.masking before use, so no log line shows them."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings

from core.masking import mask, register_secret

from .models import Channel

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A send that did not succeed; the message is masked and kept on the delivery (最近错误)."""


# ---------------------------------------------------------------- the webhook address check (SSRF)


def webhook_url_problem(url):
    """Why `url` may not be a robot's webhook (a Chinese sentence), or "" if it may."""
    try:
        parts = urllib.parse.urlsplit(url or "")
    except ValueError:
        return "Webhook 地址格式不正确。"
    allowed_schemes = ("https", "http") if settings.NOTICE_WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed_schemes:
        return "Webhook 地址必须以 https:// 开头。"
    if parts.username or parts.password:
        return "Webhook 地址不能包含用户名或密码。"
    host = (parts.hostname or "").lower()
    allowed = [h.lower() for h in settings.NOTICE_WEBHOOK_ALLOWED_HOSTS]
    if host not in allowed:
        return f"Webhook 地址只能指向：{'、'.join(allowed) or '（未配置）'}。"
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise DeliveryError(f"对方要求跳转（HTTP {code}），未跟随。")


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url, *, data, content_type):
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    try:
        with _opener.open(request, timeout=settings.NOTICE_HTTP_TIMEOUT) as response:
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from None
    except DeliveryError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(mask(f"连接失败：{getattr(exc, 'reason', exc)}")) from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        raise DeliveryError("对方返回的不是 JSON。") from None


def _text(notification):
    link = settings.SITE_URL.rstrip("/") + (notification.url or "/notifications/")
    body = f"\n\n{notification.body}" if notification.body else ""
    return notification.title, f"**{notification.title}**{body}\n\n[查看详情]({link})"


# ---------------------------------------------------------------- robots


def dingtalk_sign(secret, timestamp_ms):
    """钉钉 加签: base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret")), url-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def _robot_url(robot):
    problem = webhook_url_problem(robot.webhook_url)
    if problem:
        raise DeliveryError(problem)
    register_secret(robot.webhook_url.partition("?")[2])
    return robot.webhook_url


def send_wecom(robot, title, text):
    url = _robot_url(robot)
    payload = {"msgtype": "markdown", "markdown": {"content": text}}
    answer = _post(url, data=json.dumps(payload, ensure_ascii=False).encode(), content_type="application/json")
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(mask(f"企业微信返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}"[:300]))


def send_dingtalk(robot, title, text):
    url = _robot_url(robot)
    if robot.secret:
        register_secret(robot.secret)
        timestamp = int(time.time() * 1000)
        url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={dingtalk_sign(robot.secret, timestamp)}"
    payload = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    answer = _post(url, data=json.dumps(payload, ensure_ascii=False).encode(), content_type="application/json")
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(mask(f"钉钉返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}"[:300]))


def send_robot(robot, title, text):
    if settings.NOTICE_WEBHOOK_TRANSPORT == "console":
        logger.info("群机器人（控制台）%s：%s", robot.name, title)
        return
    (send_wecom if robot.channel == Channel.WECOM else send_dingtalk)(robot, title, text)


# ---------------------------------------------------------------- SMS


def percent_encode(value):
    """Aliyun's POP encoding: RFC 3986 (space %20, * %2A, ~ kept)."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params, secret, method="POST"):
    """The POP RPC signature: HMAC-SHA1(secret + "&", METHOD&%2F&encode(sorted canonical query)), base64."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


def aliyun_sms_params(phone, title, *, now=None):
    """The SendSms request's parameters, signed (what the receiver checks)."""
    key_id, secret = settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET
    if not (key_id and secret and settings.SMS_SIGN_NAME and settings.SMS_TEMPLATE_CODE):
        raise DeliveryError(
            "短信服务未配置（SMS_ACCESS_KEY_ID、SMS_ACCESS_KEY_SECRET、SMS_SIGN_NAME、SMS_TEMPLATE_CODE）。"
        )
    register_secret(secret)
    register_secret(key_id)
    now = now or dt.datetime.now(dt.UTC)
    params = {
        "AccessKeyId": key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": phone,
        "RegionId": settings.SMS_REGION,
        "SignName": settings.SMS_SIGN_NAME,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": settings.SMS_TEMPLATE_CODE,
        "TemplateParam": json.dumps({"title": title[:35]}, ensure_ascii=False),
        "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }
    params["Signature"] = aliyun_signature(params, secret)
    return params


def send_sms(phone, title):
    if settings.SMS_PROVIDER == "console":
        logger.info("短信（控制台）%s：%s", mask(phone), title)
        return
    if settings.SMS_PROVIDER != "aliyun":
        raise DeliveryError(f"未知的短信服务商：{settings.SMS_PROVIDER}")
    body = urllib.parse.urlencode(aliyun_sms_params(phone, title), quote_via=urllib.parse.quote).encode()
    answer = _post(settings.SMS_ENDPOINT, data=body, content_type="application/x-www-form-urlencoded")
    if answer.get("Code") != "OK":
        raise DeliveryError(mask(f"短信服务返回 {answer.get('Code')}：{answer.get('Message', '')}"[:300]))


# ---------------------------------------------------------------- one entry point


def send(delivery):
    """Send one delivery (its notification and robot already read)."""
    title, text = _text(delivery.notification)
    if delivery.channel == Channel.SMS:
        send_sms(delivery.target, title)
    else:
        send_robot(delivery.robot, title, text)

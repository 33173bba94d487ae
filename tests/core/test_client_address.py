"""Behind the proxy: the rate limits and the login lockout count each client, not the proxy's one address."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core.client_ip import client_ip
from tests.conftest import PASSWORD
from violations.models import Tipoff

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
behind_nginx = override_settings(TRUSTED_PROXIES=[PROXY, "10.1.0.0/16"])


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy():
    # No trusted proxy configured (the default): the header is the client's word and means nothing.
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    with behind_nginx:
        assert address(PROXY, "198.51.100.1") == "198.51.100.1"
        # A client behind nginx that forges the header: nginx appends what it saw, the right-most entry counts.
        assert address(PROXY, "1.2.3.4, 5.6.7.8, 198.51.100.1") == "198.51.100.1"
        # A chain of our own proxies (a gateway in front of nginx): walk left past them.
        assert address(PROXY, "1.2.3.4, 198.51.100.1, 10.1.4.4") == "198.51.100.1"
        # Straight to the app from an untrusted address: its X-Forwarded-For is ignored.
        assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
        # Garbage written by the client stops the walk at the last hop we trust.
        assert address(PROXY, "not-an-ip") == PROXY
        assert address(PROXY, "2001:db8::1") == "2001:db8::1"
        assert address(PROXY) == PROXY


def post_report(client, text, **meta):
    return client.post("/report/", {"category": "other", "content": text}, **meta)


@behind_nginx
def test_two_clients_behind_the_proxy_are_counted_apart(client, county):
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    for _ in range(5):
        assert post_report(client, "井口检身制度没有执行到位。", **first).status_code == 200
    assert post_report(client, "井口检身制度没有执行到位。", **first).status_code == 429
    assert post_report(client, "另一个工人的举报内容。", **second).status_code == 200
    assert Tipoff.objects.count() == 6


@behind_nginx
def test_a_forged_forwarded_address_does_not_escape_the_limit(client, county):
    for n in range(5):
        meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert post_report(client, "井口检身制度没有执行到位。", **meta).status_code == 200
    # Through nginx, forged entries on the left do not help either.
    for n in range(5):
        meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"9.9.9.{n}, 198.51.100.77"}
        assert post_report(client, "井口检身制度没有执行到位。", **meta).status_code == 200
    meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert post_report(client, "井口检身制度没有执行到位。", **meta).status_code == 429
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "9.9.9.99, 198.51.100.77"}
    assert post_report(client, "井口检身制度没有执行到位。", **meta).status_code == 429


@behind_nginx
def test_the_report_api_counts_clients_apart_too(api_client, county):
    body = {"category": "other", "content": "重复提交的测试内容。"}
    for _ in range(5):
        response = api_client.post(
            "/api/v1/anonymous-reports/", body, format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
        assert response.status_code == 201
    assert (
        api_client.post(
            "/api/v1/anonymous-reports/", body, format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"
        ).status_code
        == 429
    )
    assert (
        api_client.post(
            "/api/v1/anonymous-reports/", body, format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2"
        ).status_code
        == 201
    )


@behind_nginx
def test_a_lockout_behind_the_proxy_is_of_one_client_not_of_the_user_name(client, county):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    for _ in range(5):
        client.post("/accounts/login/", {"username": "mine1", "password": "wrong"}, **attacker)
    response = client.post("/accounts/login/", {"username": "mine1", "password": PASSWORD}, **attacker)
    assert response.status_code == 429 and "账号已暂时锁定" in response.content.decode()
    # The owner, at another desk behind the same nginx, still signs in.
    assert client.post("/accounts/login/", {"username": "mine1", "password": PASSWORD}, **owner).status_code == 302


@behind_nginx
def test_token_lockout_behind_the_proxy_is_per_client(api_client, county):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    for _ in range(5):
        api_client.post("/api/v1/auth/token/", {"username": "mine1", "password": "x"}, format="json", **attacker)
    body = {"username": "mine1", "password": PASSWORD}
    assert api_client.post("/api/v1/auth/token/", body, format="json", **attacker).status_code == 400
    assert api_client.post("/api/v1/auth/token/", body, format="json", **owner).status_code == 200


def test_tracking_code_lookups_have_their_own_limit(client, api_client, county):
    for _ in range(5):
        post_report(client, "井口检身制度没有执行到位。")
    assert post_report(client, "井口检身制度没有执行到位。").status_code == 429
    code = Tipoff.objects.first().tracking_code
    # Reports used up do not stop a reporter from reading the reply; lookups are limited on their own.
    for _ in range(20):
        response = client.post("/report/track/", {"tracking_code": code})
        assert response.status_code == 200 and 'data-testid="report-status"' in response.content.decode()
    response = client.post("/report/track/", {"tracking_code": code})
    assert response.status_code == 429
    html = response.content.decode()
    assert "查询过于频繁" in html and 'data-testid="report-status"' not in html
    for _ in range(20):
        response = api_client.post("/api/v1/anonymous-reports/lookup/", {"tracking_code": code}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "received"
    response = api_client.post("/api/v1/anonymous-reports/lookup/", {"tracking_code": code}, format="json")
    assert response.status_code == 429
    # Another address still looks its code up.
    response = client.post("/report/track/", {"tracking_code": code}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200

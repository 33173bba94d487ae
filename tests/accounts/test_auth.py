import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    html = client.get(reverse("login")).content.decode()
    assert "用户名" in html
    assert "密码" in html
    assert "登录" in html


def test_wrong_password_gives_chinese_error_not_500(client, county):
    response = client.post(reverse("login"), {"username": "mine1", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_right_password_logs_in_and_goes_home(client, county):
    response = client.post(reverse("login"), {"username": "mine1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("url", ["/", "/mines/", "/campaigns/", "/accounts/profile/"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_url_gives_chinese_404(client, county, settings):
    settings.DEBUG = False
    client.force_login(county.mine1_officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client, county):
    client.force_login(county.mine1_officer)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_token_auth_and_me(api_client, county):
    response = api_client.post("/api/v1/auth/token/", {"username": "mine1", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == "mine1"
    assert me["role"] == "mine_officer"
    assert me["organization"]["name"] == "东峰煤矿"


def test_token_auth_wrong_password_is_400_not_500(api_client, county):
    response = api_client.post("/api/v1/auth/token/", {"username": "mine1", "password": "x"}, format="json")
    assert response.status_code == 400


def test_api_refuses_anonymous(api_client):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    assert api_client.get("/api/v1/mines/").status_code in (401, 403)


def test_openapi_schema_and_docs_served_without_cdn(client, county):
    client.force_login(county.inspector)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/mines/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert not any(host in docs for host in ("jsdelivr", "unpkg", "cdnjs", "//cdn."))
    assert "/static/drf_spectacular_sidecar/" in docs


def test_an_operator_without_organisation_can_use_the_pages(client, db):
    from tests.factories import UserFactory

    operator = UserFactory(username="root", role="admin", organization=None, is_superuser=True, is_staff=True)
    client.force_login(operator)
    for url in ("/", "/hazards/", "/violations/", "/submissions/", "/mines/"):
        assert client.get(url).status_code == 200, url

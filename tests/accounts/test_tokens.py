"""The forced password change holds on the API too, and API tokens die with the password and the account."""

import pytest
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
MESSAGE = "请先在网页上修改初始密码。"
NEW_PASSWORD = "Own-passw0rd-2"


def token_for(api_client, username, password=PASSWORD):
    response = api_client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    return response


def test_an_account_that_must_change_its_password_gets_no_token(api_client, county):
    User.objects.filter(pk=county.mine1_officer.pk).update(must_change_password=True)
    response = token_for(api_client, "mine1")
    assert response.status_code == 403
    assert response.json()["detail"] == MESSAGE
    assert not Token.objects.filter(user=county.mine1_officer).exists()
    # A wrong password still says only that the credentials are wrong (the flag is no oracle).
    assert token_for(api_client, "mine1", "wrong").status_code == 400


def test_the_api_refuses_it_by_token_and_by_session(api_client, client, county):
    token = Token.objects.create(user=county.mine1_officer)  # obtained before an administrator reset the account
    User.objects.filter(pk=county.mine1_officer.pk).update(must_change_password=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in ("/api/v1/me/", "/api/v1/hazards/", "/api/v1/dashboard/"):
        response = api_client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"] == MESSAGE
    response = api_client.post("/api/v1/hazards/", {}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == MESSAGE
    client.force_login(User.objects.get(pk=county.mine1_officer.pk))
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == MESSAGE
    assert client.get("/api/schema/").status_code == 403
    # Once the password is the person's own, the API answers.
    client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert client.get("/api/v1/me/").status_code == 200
    fresh = token_for(api_client, "mine1", NEW_PASSWORD)
    assert fresh.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {fresh.json()['token']}")
    assert api_client.get("/api/v1/me/").json()["username"] == "mine1"


def test_changing_the_password_on_the_page_ends_the_old_token(api_client, client, county):
    old = token_for(api_client, "mine1").json()["token"]
    assert token_for(api_client, "mine1").json()["token"] == old  # one token per user while the password holds
    client.force_login(county.mine1_officer)
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api_client.get("/api/v1/me/").status_code == 401
    api_client.credentials()
    new = token_for(api_client, "mine1", NEW_PASSWORD).json()["token"]
    assert new != old
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_the_admins_set_password_page_ends_the_token_and_forces_a_change(api_client, client, county):
    old = token_for(api_client, "mine1").json()["token"]
    admin = User.objects.create_superuser(
        "root", "root@example.com", "Adm1n-passw0rd", organization=county.bureau, role="admin"
    )
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{county.mine1_officer.pk}/password/",
        {"password1": "Temp-passw0rd-9", "password2": "Temp-passw0rd-9", "usable_password": "true"},
    )
    assert response.status_code == 302
    officer = User.objects.get(pk=county.mine1_officer.pk)
    assert officer.check_password("Temp-passw0rd-9") and officer.must_change_password
    assert not Token.objects.filter(key=old).exists()
    assert token_for(api_client, "mine1", "Temp-passw0rd-9").status_code == 403


def test_set_password_and_deactivation_end_the_token_other_saves_do_not(county):
    officer = county.mine1_officer
    token = Token.objects.create(user=officer)
    officer.full_name = "王明"
    officer.save()
    officer.email_notices = False
    officer.save(update_fields=["email_notices"])
    assert Token.objects.filter(key=token.key).exists()
    officer.set_password(NEW_PASSWORD)
    officer.save()
    assert not Token.objects.filter(user=officer).exists()

    token = Token.objects.create(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert not Token.objects.filter(user=officer).exists()

import datetime as dt
import io

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from core.errors import DomainError
from core.uploads import sniff_evidence
from hazards import services as hazard_services
from hazards.models import Hazard, Inspection
from reporting import services as reporting
from reporting.models import ProtectedRecord, Submission, SubmissionVersion
from tests.conftest import PASSWORD
from tests.factories import running_campaign
from violations.models import Violation

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy(client, county):
    client.force_login(county.inspector)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert "'unsafe-inline'" in client.get("/api/docs/").headers["Content-Security-Policy"]
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_repeated_failures_lock_the_account_with_a_chinese_message(client, county):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "mine1", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode()
    client.post("/accounts/login/", {"username": "mine1", "password": "wrong"})  # the fifth failure locks
    response = client.post("/accounts/login/", {"username": "mine1", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    # Another account from the same address is not locked.
    assert client.post("/accounts/login/", {"username": "mine2", "password": PASSWORD}).status_code == 302


def test_token_endpoint_is_locked_too(api_client, county):
    for _ in range(5):
        api_client.post("/api/v1/auth/token/", {"username": "mine1", "password": "x"}, format="json")
    response = api_client.post("/api/v1/auth/token/", {"username": "mine1", "password": PASSWORD}, format="json")
    assert response.status_code == 400  # even the right password gets no token while locked
    assert "token" not in response.json()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "太短"), ("abcdefghijkl", "字母和数字"), ("12345678901", "只包含数字"), ("password123", "太常见")],
)
def test_weak_passwords_are_refused_in_chinese(client, county, password, message):
    client.force_login(county.mine1_officer)
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert message in response.content.decode()


def test_an_account_created_by_the_admin_must_change_its_password_first(client, county):
    admin = User.objects.create_superuser(
        "root", "root@example.com", "Adm1n-passw0rd", organization=county.bureau, role="admin"
    )
    client.force_login(admin)
    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newofficer",
            "password1": "Temp-passw0rd-1",
            "password2": "Temp-passw0rd-1",
            "role": "mine_officer",
            "organization": county.mine1.pk,
            "full_name": "新人",
            "usable_password": "true",
        },
    )
    newcomer = User.objects.get(username="newofficer")
    assert newcomer.must_change_password
    client.force_login(newcomer)
    response = client.get("/hazards/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    client.post(
        "/accounts/password/",
        {"old_password": "Temp-passw0rd-1", "new_password1": "Own-passw0rd-2", "new_password2": "Own-passw0rd-2"},
    )
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert client.get("/hazards/").status_code == 200


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_images_are_decoded_and_bombs_refused():
    out = io.BytesIO()
    Image.new("1", (10000, 7000)).save(out, format="PNG")  # 70 megapixels, a few KB on disk
    with pytest.raises(DomainError, match="像素过大|损坏"):
        sniff_evidence(SimpleUploadedFile("big.png", out.getvalue()))
    truncated = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(truncated, format="JPEG")
    with pytest.raises(DomainError, match="损坏"):
        sniff_evidence(SimpleUploadedFile("half.jpg", truncated.getvalue()[:40]))
    with pytest.raises(DomainError, match="类型不支持"):
        sniff_evidence(SimpleUploadedFile("evil.png", b"<script>alert(1)</script>"))


def test_submitted_records_cannot_be_deleted_by_anyone(county):
    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.get(code="monthly_2024_11")
    s = reporting.submission_open(actor=county.mine1_officer, deadline=deadline)
    reporting.submission_save(actor=county.mine1_officer, submission=s, narrative={"done": "x"})
    reporting.submission_submit(actor=county.mine1_officer, submission=s)
    with pytest.raises(ProtectedRecord):
        Submission.objects.get(pk=s.pk).delete()
    with pytest.raises(ProtectedRecord):
        Submission.objects.filter(pk=s.pk).delete()
    with pytest.raises(ProtectedRecord):
        SubmissionVersion.objects.get().delete()
    for model in (Hazard, Violation, Inspection, Submission, User):
        assert site._registry[model].has_delete_permission(request=None) is False, model


def test_the_audit_trail_shows_who_changed_what(client, county, general_fields):
    client.force_login(county.mine1_officer)
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    client.post("/hazards/new/", {**data, "mine": county.mine1.pk, "level": "general"})
    hazard = Hazard.objects.get()
    client.post(
        f"/hazards/{hazard.pk}/edit/",
        {**data, "level": "general", "responsible_person": "赵刚", "row_version": hazard.row_version},
    )
    client.force_login(county.ent1_officer)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "修改记录" in html
    assert "整改责任人：李晓东 → 赵刚" in html
    assert county.mine1_officer.display_name in html
    assert hazard.history.count() == 2
    hazard_services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    assert hazard.history.count() == 3

"""The installable app (issue 23 item 1): manifest, service worker, the 待上传 page, the headers the browser needs."""

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_in_chinese_with_its_own_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "百日安全生产专项整治管理系统" and manifest["short_name"] == "百日专项整治"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/icons/")  # served by the app, no CDN
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_from_the_root_scope_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b"const VERSION" in response.content and b"X-Session-User" in response.content


def test_the_worker_shows_no_offline_copy_older_than_a_session(client, settings):
    settings.SESSION_COOKIE_AGE = 3600
    script = client.get("/sw.js").content
    assert b'Number("3600") * 1000' in script and b"__SESSION_SECONDS__" not in script


def test_the_csp_allows_this_sites_worker_and_manifest_only(client, county):
    client.force_login(county.mine1_officer)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "script-src 'self';" in policy  # still no inline scripts


def test_pages_name_the_signed_in_user_for_the_workers_caches(client, county):
    assert "X-Session-User" not in client.get("/accounts/login/")
    client.force_login(county.mine1_officer)
    assert client.get("/hazards/")["X-Session-User"] == str(county.mine1_officer.pk)


def test_the_pages_link_the_manifest_the_queue_and_offline_js(client, county):
    client.force_login(county.mine1_officer)
    html = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-testid="offline-badge"' in html and "待上传" in html
    assert "js/offline.js" in html and 'data-service-worker="/sw.js"' in html
    assert 'form method="post" action="/accounts/logout/" data-logout' in html


def test_only_the_new_record_forms_capture_offline(client, county):
    from tests.factories import HazardFactory

    client.force_login(county.mine1_officer)
    assert 'data-offline-capture="hazard"' in client.get("/hazards/new/").content.decode()
    assert 'data-offline-capture="violation"' in client.get("/violations/new/").content.decode()
    hazard = HazardFactory(mine=county.mine1)
    assert "data-offline-capture" not in client.get(f"/hazards/{hazard.pk}/edit/").content.decode()


def test_the_offline_page_is_for_signed_in_users(client, county):
    assert client.get("/offline/").status_code == 302
    client.force_login(county.leader)
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "待上传的记录" in html and 'data-testid="offline-list"' in html
    assert client.post("/offline/").status_code == 405


def test_logout_clears_the_browsers_storage(client, county):
    client.force_login(county.mine1_officer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'

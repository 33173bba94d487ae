"""Every stored upload is served by its checked type, never by the name its uploader chose.

A file can be a real image and a script at once (a GIF followed by `<script>`, or a GIF whose header reads as
JavaScript). Served as `text/html` or under a `.html` name from our own origin, it would run in the session of
whoever opens it, so each download below is uploaded through the real page and fetched back by a user who may see it.
"""

import datetime as dt
import io
import logging
import zipfile
from email.message import Message

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from campaign.models import ProgressEvidence
from hazards import services as hazard_services
from hazards.models import ExamResult, Hazard, HazardFile
from reporting.models import Submission, SubmissionFile
from tests.factories import HazardFactory, running_campaign
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
SCRIPT = b"<script src=/static/x.js></script><script>fetch('/api/v1/hazards/')</script>"
PDF = b"%PDF-1.4 signed and stamped"
LONG_SUFFIX = "a" * 150


def gif_followed_by_script():
    return image_bytes("GIF") + SCRIPT


def gif_that_is_javascript():
    """`GIF89a/*…*/=alert(document.domain);`: a width of 0x2A2F puts `/*` right after the signature."""
    out = io.BytesIO()
    Image.new("P", (0x2A2F, 1)).save(out, format="GIF")
    body = b"GIF89a" + out.getvalue()[6:]
    assert body[6:8] == b"/*" and b"*/" not in body
    return body + b"*/=alert(document.domain);"


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


# Each kind posts `upload` through the page a mine officer uses (following the redirect, so the page that says the
# outcome is returned), then `stored()` gives (download URL, stored file name) of what was saved.


class HazardPhoto:
    def post(self, client, county, campaign, upload):
        hazard = HazardFactory(mine=county.mine1)
        client.force_login(county.mine1_officer)
        return client.post(f"/hazards/{hazard.pk}/files/", {"stage": "before", "file": upload}, follow=True)

    def stored(self):
        item = HazardFile.objects.get()
        return f"/hazards/files/{item.pk}/", item.file.name


class ProgressEvidenceFile:
    def post(self, client, county, campaign, upload):
        requirement = campaign.requirements.get(code="1.2.b")
        client.force_login(county.mine1_officer)
        return client.post(
            f"/campaigns/{campaign.pk}/progress/{requirement.pk}/",
            {"status": "done", "figure": "1", "note": "已开展", "evidence": upload, "row_version": 0},
            follow=True,
        )

    def stored(self):
        item = ProgressEvidence.objects.get()
        return f"/campaigns/progress-files/{item.pk}/", item.file.name


class SubmissionAttachment:
    def post(self, client, county, campaign, upload):
        deadline = campaign.deadlines.get(code="work_plan")
        client.force_login(county.mine1_officer)
        client.post(f"/submissions/open/{deadline.pk}/")  # a GET opens nothing
        submission = Submission.objects.get()
        return client.post(f"/submissions/{submission.pk}/attach/", {"file": upload}, follow=True)

    def stored(self):
        item = SubmissionFile.objects.get()
        return f"/submissions/files/{item.pk}/", item.file.name


class ExamEvidence:
    def post(self, client, county, campaign, upload):
        inspection = hazard_services.inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=TODAY - dt.timedelta(days=5), mode="physical"
        )
        exam = hazard_services.exam_record(
            actor=county.inspector, inspection=inspection, person_name="孙海", post="局扇司机", score=60
        )
        client.force_login(county.mine1_officer)
        return client.post(
            f"/inspections/exams/{exam.pk}/retraining/",
            {"retrained_on": TODAY.isoformat(), "note": "完成", "evidence": upload},
            follow=True,
        )

    def stored(self):
        exam = ExamResult.objects.exclude(retraining_evidence="").get()
        return f"/inspections/exams/{exam.pk}/evidence/", exam.retraining_evidence.name


KINDS = [HazardPhoto(), ProgressEvidenceFile(), SubmissionAttachment(), ExamEvidence()]
EVIDENCE_KINDS = KINDS[1:]


def kind_id(kind):
    return type(kind).__name__


def upload(kind, client, county, campaign, upload):
    response = kind.post(client, county, campaign, upload)
    assert response.status_code == 200
    return kind.stored()


def offered_filename(response):
    message = Message()
    message["Content-Disposition"] = response["Content-Disposition"]
    return message.get_filename() or ""


@pytest.mark.parametrize("kind", KINDS, ids=kind_id)
@pytest.mark.parametrize(
    ("name", "body"),
    [("x.html", gif_followed_by_script()), ("x.html", gif_that_is_javascript()), ("x.js", gif_that_is_javascript())],
    ids=["gif+script.html", "gif-js.html", "gif-js.js"],
)
def test_a_polyglot_image_is_served_as_an_image_never_as_a_page(client, county, campaign, kind, name, body):
    url, stored = upload(kind, client, county, campaign, SimpleUploadedFile(name, body))
    assert stored.endswith(".gif") and ".html" not in stored and ".js" not in stored
    for viewer in (county.inspector, county.mine1_officer):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == body
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        if response["Content-Type"] == "image/gif":
            assert disposition.startswith("inline")  # decoded by Pillow at upload, shown as a picture
        else:
            assert response["Content-Type"] == "application/octet-stream" and disposition.startswith("attachment")
        filename = offered_filename(response)
        assert filename == "x.gif", filename


@pytest.mark.parametrize("kind", KINDS, ids=kind_id)
@pytest.mark.parametrize(
    ("name", "body", "content_type", "offered"),
    [
        ("整改方案.pdf", PDF, "application/pdf", "整改方案.pdf"),
        ("签到表.html", PDF, "application/pdf", "签到表.pdf"),
        (
            "制度.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "制度.docx",
        ),
    ],
)
def test_documents_are_served_as_attachments_of_their_checked_type(
    client, county, campaign, kind, name, body, content_type, offered
):
    url, stored = upload(kind, client, county, campaign, SimpleUploadedFile(name, body))
    assert stored.endswith("." + offered.rsplit(".", 1)[1]) and ".html" not in stored
    client.force_login(county.inspector)
    response = client.get(url)
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert offered_filename(response) == offered


@pytest.mark.parametrize("kind", KINDS, ids=kind_id)
def test_stored_files_have_no_public_media_url(client, county, campaign, kind):
    _, stored = upload(kind, client, county, campaign, SimpleUploadedFile("p.png", image_bytes()))
    client.force_login(county.inspector)
    for url in (f"/{stored}", f"/media/{stored}"):
        assert client.get(url).status_code == 404
    # Nor does the API hand out the stored path (a `file.url` under MEDIA_URL) instead of the download view.
    random_part = stored.split("/")[1].split(".")[0]
    for url in ("/api/v1/hazards/", "/api/v1/inspections/", "/api/v1/submissions/", "/api/v1/campaigns/"):
        response = client.get(url)
        assert response.status_code == 200 and random_part not in response.content.decode(), url


# A 150-character extension: refused in Chinese, nothing saved, no error in the log.


def assert_no_error_logged(caplog):
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def long_named(body):
    return SimpleUploadedFile("现场照片." + LONG_SUFFIX, body)


def test_a_long_extension_on_a_hazard_photo_is_refused_in_chinese(client, county, general_fields, caplog):
    hazard = HazardFactory(mine=county.mine1)
    client.force_login(county.mine1_officer)
    response = client.post(
        f"/hazards/{hazard.pk}/files/", {"stage": "before", "file": long_named(image_bytes())}, follow=True
    )
    assert response.status_code == 200 and "扩展名过长" in response.content.decode()
    assert not HazardFile.objects.exists()
    # On the registration page too: the form says why and no hazard is half-registered.
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    data.update(mine=county.mine1.pk, level="general", before_photo=long_named(image_bytes()))
    response = client.post("/hazards/new/", data)
    assert response.status_code == 200 and "扩展名过长" in response.content.decode()
    assert Hazard.objects.count() == 1 and not HazardFile.objects.exists()
    assert_no_error_logged(caplog)


def test_a_long_extension_on_an_upload_streamed_to_disk_is_refused_not_a_500(client, county, caplog):
    # Above 2.5 MB Django streams an upload to a temporary file named after its extension: 250 letters after the dot
    # made that name too long for the file system (an error page) until the temporary name stopped taking it.
    hazard = HazardFactory(mine=county.mine1)
    client.force_login(county.mine1_officer)
    big = SimpleUploadedFile("整改方案." + "b" * 250, PDF + b"0" * 3_000_000)
    response = client.post(f"/hazards/{hazard.pk}/files/", {"stage": "before", "file": big}, follow=True)
    assert response.status_code == 200 and "扩展名过长" in response.content.decode()
    assert not HazardFile.objects.exists()
    assert_no_error_logged(caplog)


@pytest.mark.parametrize("kind", EVIDENCE_KINDS, ids=kind_id)
def test_a_long_extension_on_evidence_is_refused_in_chinese(client, county, campaign, caplog, kind):
    response = kind.post(client, county, campaign, long_named(PDF))
    assert response.status_code == 200 and "扩展名过长" in response.content.decode()
    assert not ProgressEvidence.objects.exists() and not SubmissionFile.objects.exists()
    assert not ExamResult.objects.exclude(retraining_evidence="").exists()
    assert_no_error_logged(caplog)


@pytest.mark.parametrize("path", ["/api/v1/hazards/import/", "/api/v1/violations/import/"])
def test_a_long_extension_through_the_api_gets_a_chinese_400(api_client, county, caplog, path):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post(path, {"file": SimpleUploadedFile("台账." + LONG_SUFFIX, b"x")}, format="multipart")
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode()), response.content.decode()
    assert_no_error_logged(caplog)


def test_the_admin_links_exam_evidence_through_its_download_view_only(client, county, campaign):
    from accounts.models import User

    url, stored = upload(
        ExamEvidence(), client, county, campaign, SimpleUploadedFile("x.html", gif_that_is_javascript())
    )
    admin = User.objects.create_superuser("root", "r@example.com", "Adm1n-passw0rd", organization=county.bureau)
    client.force_login(admin)
    exam = ExamResult.objects.get()
    html = client.get(f"/admin/hazards/inspection/{exam.inspection_id}/change/").content.decode()
    assert url in html and stored not in html  # no link to the media path, which nothing serves
    assert 'type="file"' not in html  # nor a way to store a file past the upload check


def test_the_migration_gives_exam_evidence_stored_before_it_the_type_of_its_content(county, campaign):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    fill = importlib.import_module("hazards.migrations.0006_exam_evidence_type").fill_types
    inspection = hazard_services.inspection_create(
        actor=county.inspector, mine=county.mine1, inspected_on=TODAY - dt.timedelta(days=5), mode="physical"
    )
    stored = {
        "gif": default_storage.save("retraining/old.html", ContentFile(gif_followed_by_script())),
        "pdf": default_storage.save("retraining/old.pdf", ContentFile(PDF)),
        "docx": default_storage.save("retraining/old.docx", ContentFile(docx_bytes())),
        "page": default_storage.save("retraining/page.html", ContentFile(b"<script>alert(1)</script>")),
        "broken": default_storage.save("retraining/broken.png", ContentFile(b"\x89PNG\r\n\x1a\n not really")),
        "missing": "retraining/gone.pdf",
        "none": "",
    }
    exams = {}
    for key, name in stored.items():
        exam = hazard_services.exam_record(
            actor=county.inspector, inspection=inspection, person_name=key, post="采煤工", score=60
        )
        ExamResult.objects.filter(pk=exam.pk).update(retraining_evidence=name)
        exams[key] = exam.pk
    fill(apps, None)
    found = {key: ExamResult.objects.get(pk=pk).retraining_evidence_type for key, pk in exams.items()}
    assert found == {
        "gif": "image/gif",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "page": "application/octet-stream",
        "broken": "application/octet-stream",
        "missing": "application/octet-stream",
        "none": "",
    }
    client = Client()
    client.force_login(county.inspector)
    response = client.get(f"/inspections/exams/{exams['page']}/evidence/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and offered_filename(response) == "培训证明材料.bin"

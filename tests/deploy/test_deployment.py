import io
import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_and_readyz(client, settings):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    body = ready.json()
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "ok"
    # In the test settings the broker is the filesystem transport or Redis: either way reachable.
    assert ready.status_code == 200 and body["status"] == "ok"


def test_readyz_says_when_the_broker_is_unreachable(client):
    from config.celery import app

    names = ("broker_url", "broker_read_url", "broker_write_url")
    old = {name: app.conf.get(name) for name in names}
    for name in names:  # Celery keeps separate read and write URLs once configured
        app.conf[name] = "redis://127.0.0.1:6399/0"
    app.pool.force_close_all()
    try:
        response = client.get("/readyz")
    finally:
        for name, value in old.items():
            app.conf[name] = value
        app.pool.force_close_all()
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


def test_every_response_and_log_line_carries_a_request_id(client, county):
    from core.request_id import JsonFormatter, RequestIdFilter

    client.force_login(county.mine1_officer)
    response = client.get("/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/").headers["X-Request-ID"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "隐患已登记", None, None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "隐患已登记" and line["request_id"] == "-" and line["level"] == "INFO"


def test_the_request_id_goes_with_the_tasks_a_request_enqueues():
    from celery.signals import before_task_publish

    from core.request_id import HEADER, request_id

    token = request_id.set("req-42")
    headers = {}
    try:
        before_task_publish.send(sender="x", headers=headers, body=None)
    finally:
        request_id.reset(token)
    assert headers[HEADER] == "req-42"


def test_compose_file_parses_and_names_every_service_of_the_guide():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    guide = (ROOT / "docs" / "deployment.md").read_text()
    named = set(re.findall(r"`(web\d|worker\d|beat|postgres|redis|nginx|migrate)`", guide))
    assert named == set(services), (named, set(services))
    assert [s for s in services if s.startswith("web")] == ["web1", "web2"]
    assert [s for s in services if s.startswith("worker")] == ["worker1", "worker2"]
    assert "beat" in services["beat"]["command"]
    for name in ("web1", "web2", "postgres", "redis", "nginx"):
        assert "healthcheck" in services[name], name
    assert "/readyz" in " ".join(services["web1"]["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 2 and "\nUSER app" in dockerfile


def test_the_campaign_archive_holds_everything(county, tmp_path):
    import datetime as dt

    from archive.export import campaign_parts, export_campaign_archive, read_archive
    from campaign.progress import progress_attach, progress_update
    from hazards import services as hz
    from reporting import services as rp
    from tests.factories import ViolationFactory, running_campaign
    from tests.images import image_bytes
    from violations.services import backtrack_record

    today = dt.date.today()
    campaign = running_campaign(bureau=county.bureau, starts_on=today - dt.timedelta(days=30))
    hazard = hz.hazard_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        source="team_daily",
        found_on=today,
        location="1105",
        description="串联通风",
    )
    hz.hazard_attach_file(
        actor=county.mine1_officer, hazard=hazard, stage="before", upload=SimpleUploadedFile("p.png", image_bytes())
    )
    hz.hazard_update(actor=county.mine1_officer, hazard=hazard, measures="调整通风系统")
    violation = ViolationFactory(mine=county.mine1, occurred_on=today)
    backtrack_record(actor=county.mine1_officer, violation=violation, kind="training", finding="未培训")
    deadline = campaign.deadlines.get(kind="work_plan")
    s = rp.submission_open(actor=county.mine1_officer, deadline=deadline)
    rp.submission_attach(actor=county.mine1_officer, submission=s, upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 x"))
    plan = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x")
    rp.submission_save(actor=county.mine1_officer, submission=s, narrative=plan)
    rp.submission_submit(actor=county.mine1_officer, submission=s)
    rp.submission_return(actor=county.inspector, submission=s, reason="补充")
    rp.submission_save(actor=county.mine1_officer, submission=s, narrative={**plan, "goals": "y"})
    rp.submission_submit(actor=county.mine1_officer, submission=s)
    requirement = campaign.requirements.get(code="1.2.b")
    progress_attach(  # before the declaration: a declared item waits for the bureau and takes no more files
        actor=county.mine1_officer,
        organization=county.mine1,
        requirement=requirement,
        upload=SimpleUploadedFile("签到.pdf", b"%PDF-1.4 y"),
    )
    progress_update(
        actor=county.mine1_officer, organization=county.mine1, requirement=requirement, status="done", figure=1
    )

    from workforce import services as ws

    team = ws.work_unit_create(actor=county.mine1_officer, mine=county.mine1, kind="team", name="综采一班")
    leader = ws.person_create(actor=county.mine1_officer, mine=county.mine1, name="王矿长", role="main_leader")
    ws.training_session_record(
        actor=county.mine1_officer,
        mine=county.mine1,
        kind="main_leader_lecture",
        held_on=today,
        topic="警示教育课",
        case_one="顶板事故",
        lecturer=leader,
        units=[team],
        attendees=[leader],
    )
    csv = f"姓名,卡号,下井时间,升井时间\n张三,1,{today - dt.timedelta(days=1)} 23:00,09:30\n".encode()
    ws.positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("p.csv", csv))

    from tests.hazards.xlsx import workbook_upload

    imported = hz.hazards_import(
        actor=county.mine1_officer,
        mine=county.mine1,
        upload=workbook_upload([[1, today, "班组日查", "2401运输巷", "皮带跑偏", "运输", "一般", "调整", "王强"]]),
    )

    out = io.BytesIO()
    export_campaign_archive(campaign, out)
    manifest, parts, files = read_archive(out.getvalue())
    for name, queryset in campaign_parts(campaign).items():
        assert sorted(o.pk for o in parts[name]) == sorted(queryset.values_list("pk", flat=True)), name
    assert [v.number for v in parts["submission_versions"]] == [1, 2]
    assert [d.number for d in parts["task_declarations"]] == [1]  # the declaration of 1.2.b, with the archive
    assert {v.content["narrative"]["goals"] for v in parts["submission_versions"]} == {"x", "y"}
    assert [h.history_type for h in parts["history_hazards"] if h.id == hazard.pk] == ["+", "~"]  # created, updated
    restored = {h.pk: h for h in parts["hazards"]}
    assert restored[hazard.pk].measures == "调整通风系统"
    assert manifest["parts"]["files"]["count"] == 3
    assert [p.name for p in parts["people"]] == ["王矿长"] and len(parts["attendance"]) == 1
    assert [r.over_underground for r in parts["positioning_records"]] == [True]  # 23:00 → 09:30 the next day
    for item in (hazard.files.get().file, s.files.get().file):
        assert files[item.name] == item.open("rb").read()
    assert all(not hasattr(u, "password") or not u.password for u in parts["users"])
    # the imports the lines came by (the hazard file's batch: its imported line's first step)
    assert imported.batch_id in {b.pk for b in parts["import_batches"]}

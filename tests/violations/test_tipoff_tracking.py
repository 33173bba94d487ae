"""The anonymous reporter's tracking code never reaches a log line: lookups go by POST, logs carry no query string."""

import datetime as dt
import logging
import runpy
from pathlib import Path

import pytest
from django.core.cache import cache

from core.request_id import JsonFormatter
from violations.models import Tipoff

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = logging.Formatter("%(message)s %(args)s").format(record)
        self.lines.append(f"{text} {JsonFormatter().format(record)}")


@pytest.fixture
def log_lines(settings):
    """Every record any logger emits while the test runs, as the app's JSON formatter writes it (and raw)."""
    cache.clear()
    handler = Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)
    cache.clear()


def test_no_log_line_holds_a_tracking_code(client, api_client, county, log_lines):
    client.post("/report/", {"category": "violation", "content": "夜班有人不带自救器下井，班长不管。"})
    page_code = Tipoff.objects.get().tracking_code
    response = client.post("/report/track/", {"tracking_code": page_code.lower()})
    assert 'data-testid="report-status"' in response.content.decode()
    api_code = api_client.post(
        "/api/v1/anonymous-reports/", {"category": "other", "content": "井口检身制度没有执行到位。"}, format="json"
    ).json()["tracking_code"]
    found = api_client.post("/api/v1/anonymous-reports/lookup/", {"tracking_code": api_code}, format="json")
    assert found.status_code == 200
    # A mistyped code (a well-formed one that does not exist) answers 404 — which Django logs, with the path.
    wrong_code = "ABCDEFGHJKLM"
    assert client.post("/report/track/", {"tracking_code": wrong_code}).status_code == 200
    missing = api_client.post("/api/v1/anonymous-reports/lookup/", {"tracking_code": wrong_code}, format="json")
    assert missing.status_code == 404
    # Guessing until the limit answers 429, also logged.
    for _ in range(21):
        last = api_client.post("/api/v1/anonymous-reports/lookup/", {"tracking_code": wrong_code}, format="json")
    assert last.status_code == 429
    assert any("lookup" in line for line in log_lines), "the 404/429 answers were logged (the test sees the logs)"
    for code in (page_code, api_code, wrong_code):
        leaked = [line for line in log_lines if code in line or code.lower() in line]
        assert not leaked, leaked


class _Response:
    status = "200 OK"
    sent = 1234
    headers = [("X-Request-ID", "abc123")]


class _Request:
    headers = [("HOST", "campaign.example")]


def test_the_access_log_format_drops_the_query_string():
    """gunicorn's access line for an old-style lookup URL, rendered with the shipped config/gunicorn.py."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    shipped = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", shipped["access_log_format"])
    logger = Logger(cfg)
    lines = []
    capture = logging.Handler()
    capture.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(capture)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/report/track/?tracking_code=QWERTYUPASDF",
        "PATH_INFO": "/report/track/",
        "QUERY_STRING": "tracking_code=QWERTYUPASDF",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
    }
    logger.access(_Response(), _Request(), environ, dt.timedelta(milliseconds=12))
    assert lines and "/report/track/" in lines[0] and "abc123" in lines[0]
    assert "QWERTYUPASDF" not in lines[0]


def test_the_nginx_access_log_holds_no_query_string_and_skips_the_report_pages():
    conf = (ROOT / "deploy" / "nginx" / "campaign.conf").read_text()
    log_format = conf.split("log_format", 1)[1].split(";", 1)[0]
    assert "$request " not in log_format and "$request_uri" not in log_format and "$args" not in log_format
    assert "access_log /var/log/nginx/access.log campaign;" in conf
    assert "location ~ ^/(report/|api/v1/anonymous-reports/) {\n        access_log off;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf

"""The admin (系统管理) reads in Chinese: the names of its sections, tables, columns, filters, fields and actions.

Third-party apps without a Chinese catalogue (django-axes: “Axes”, “access attempts”, “IP Address”…) are translated
by the project's own catalogue (locale/, compiled .mo committed: a fresh machine needs no gettext tools)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

#: what a Chinese administrator reads as is: abbreviations, product and format names
ALLOWED = {"ID", "IP", "URL", "API", "JSON", "Excel", "Celery", "Crontab", "cron", "UTC", "SHA256", "HTTP", "AMQP"}
LABEL_TAGS = {"th", "label", "h1", "h2", "h3", "caption", "legend", "option", "button", "summary"}
WORD = re.compile(r"[A-Za-z]{3,}")


class Labels(HTMLParser):
    """The text of the labels of a page (headings, column and field names, filters, menu entries, actions)."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.labels = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "select") and attrs.get("name") != "action":
            self.skip += tag != "select" or attrs.get("name") != "action"
        self.stack.append((tag, f"{attrs.get('class') or ''} #{attrs.get('id') or ''}"))
        if tag == "input" and attrs.get("type") == "submit" and attrs.get("value"):
            self.labels.append(attrs["value"])

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag in ("script", "style", "select") and self.skip:
                self.skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        text = data.strip()
        if not text or self.skip or not self.stack:
            return
        if any(tag in ("td", "th") and "field-" in classes for tag, classes in self.stack):
            return  # a value in a list's row (a username, a path), not a label
        tag, classes = self.stack[-1]
        if tag == "h2" and len(self.stack) > 1 and self.stack[-2][1].endswith("#content"):
            return  # the object's own name atop its page (data: a username, a schedule), not a label
        in_app_list = any(t != "body" and "app-" in c for t, c in self.stack)  # the menu of sections and tables
        if tag in LABEL_TAGS or (tag == "a" and in_app_list) or "help" in classes:
            self.labels.append(text)


def english_in(html):
    parser = Labels()
    parser.feed(html)
    return {word for label in parser.labels for word in WORD.findall(label) if word not in ALLOWED}


def some_rows():
    """A row in the tables whose lists and pages would otherwise show no columns: login records, a beat task."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    where = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.8",
        "username": "mine1",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**where, http_accept="*/*", get_data="", post_data="", failures_since_start=2)
    AccessLog.objects.create(**where, http_accept="*/*")
    AccessFailureLog.objects.create(**where, http_accept="*/*", locked_out=False)
    crontab = CrontabSchedule.objects.create(minute="*/15")
    PeriodicTask.objects.create(name="每15分钟时限巡检", task="sweeps.tasks.run_sweeps", crontab=crontab)


def admin_pages():
    yield reverse("admin:index")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        yield reverse("admin:app_list", kwargs={"app_label": info[0]})
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])


@pytest.mark.slow  # every admin page (~3 s)
def test_the_admin_pages_read_in_chinese(admin_client):
    some_rows()
    found = {}
    for url in admin_pages():
        response = admin_client.get(url)
        if response.status_code != 200:
            continue  # no add page where adding is not allowed
        words = english_in(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert not found, "\n".join(f"{url}: {', '.join(words)}" for url, words in found.items())


def test_the_axes_section_has_a_chinese_name():
    from django.apps import apps

    with translation.override("zh-hans"):
        assert str(apps.get_app_config("axes").verbose_name) == "登录失败与锁定"
        from axes.models import AccessAttempt

        assert str(AccessAttempt._meta.verbose_name_plural) == "登录失败记录"


def test_the_committed_catalogue_is_compiled():
    """Each entry of the project's .po is what the running app says (the .mo was compiled after the last edit)."""
    po = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po.read_text(encoding="utf-8"), re.M)
    assert len(entries) > 20
    with translation.override("zh-hans"):
        stale = [(msgid, msgstr) for msgid, msgstr in entries if translation.gettext(msgid) != msgstr]
    assert not stale, f"run: cd locale/zh_Hans/LC_MESSAGES && msgfmt -o django.mo django.po — {stale[:5]}"


class InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline = []
        self.open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and "json" not in (attrs.get("type") or ""):
            self.open = attrs.get("id") or "?"

    def handle_data(self, data):
        if self.open and data.strip():
            self.inline.append(self.open)

    def handle_endtag(self, tag):
        if tag == "script":
            self.open = None


@pytest.mark.slow  # every admin page (~3 s)
def test_no_admin_page_carries_an_inline_script(admin_client):
    """The Content-Security-Policy (script-src 'self') refuses inline scripts; a page that carries one is broken in
    the browser (django-celery-beat's periodic task form was). tests/e2e/test_admin_pages.py reads the console."""
    some_rows()
    found = {}
    for url in admin_pages():
        response = admin_client.get(url)
        if response.status_code == 200:
            parser = InlineScripts()
            parser.feed(response.content.decode())
            if parser.inline:
                found[url] = parser.inline
    assert not found, found

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError

from notifications.models import Notification
from notifications.services import Notice, notify_many, send_pending_emails
from sweeps.registry import run_all_sweeps
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db


def notice(user, key="k1", **kw):
    return Notice(
        user.pk,
        kw.pop("topic", "test"),
        key,
        kw.pop("title", "报送提醒"),
        kw.pop("body", "请按期报送"),
        "/hazards/",
        **kw,
    )


def test_notify_is_idempotent_and_the_database_enforces_it(county):
    assert notify_many([notice(county.mine1_officer), notice(county.mine1_officer)]) == 1
    assert notify_many([notice(county.mine1_officer)]) == 0
    assert notify_many([notice(county.mine2_officer)]) == 1  # same key, another person
    with pytest.raises(IntegrityError):
        Notification.objects.create(recipient=county.mine1_officer, topic="t", key="k1", title="x")


def test_bell_list_and_mark_read(client, county):
    notify_many([notice(county.mine1_officer, "a"), notice(county.mine1_officer, "b", title="隐患逾期")])
    notify_many([notice(county.mine2_officer, "c", title="别人的通知")])
    client.force_login(county.mine1_officer)
    html = client.get("/").content.decode()
    assert 'aria-label="通知，2 条未读"' in html
    page = client.get("/notifications/").content.decode()
    assert "隐患逾期" in page and "别人的通知" not in page
    mine = Notification.objects.get(recipient=county.mine1_officer, key="a")
    response = client.get(f"/notifications/{mine.pk}/")
    assert response["Location"] == "/hazards/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    theirs = Notification.objects.get(recipient=county.mine2_officer)
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=county.mine1_officer, read_at__isnull=True).exists()
    assert 'aria-label="通知"' in client.get("/").content.decode()


def test_a_notice_never_redirects_off_site(client, county):
    notify_many([Notice(county.mine1_officer.pk, "t", "evil", "x", "", "https://evil.example/")])
    client.force_login(county.mine1_officer)
    n = Notification.objects.get()
    assert client.get(f"/notifications/{n.pk}/")["Location"] == "/notifications/"


def test_email_outbox_sends_html_and_text_once_and_respects_opt_out(client, county):
    officer = county.mine1_officer
    officer.email = "zhouwei@example.com"
    officer.save()
    county.mine2_officer.email = "wanglei@example.com"
    county.mine2_officer.email_notices = False
    county.mine2_officer.save()
    notify_many([notice(officer), notice(county.mine2_officer), notice(county.mine3_officer)])  # mine3 has no e-mail
    assert send_pending_emails() == 1
    assert send_pending_emails() == 0  # never twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhouwei@example.com"]
    assert message.subject == "【百日专项整治】报送提醒"
    assert "请按期报送" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "报送提醒" in html and "/hazards/" in html
    statuses = dict(Notification.objects.values_list("recipient__username", "email_status"))
    assert statuses == {"mine1": "sent", "mine2": "skipped", "mine3": "skipped"}
    client.force_login(officer)
    client.post("/notifications/preferences/", {"email": "zhouwei@example.com", "email_notices": ""})
    officer.refresh_from_db()
    assert officer.email_notices is False


def test_catching_up_after_days_of_downtime_sends_one_notice_per_item(county):
    running_campaign(bureau=county.bureau)
    # No sweep ran from 10-20 to 11-20: the work plan (due 10-31) is three weeks overdue.
    run_all_sweeps(today=dt.date(2024, 11, 20))
    overdue = Notification.objects.filter(recipient=county.mine1_officer, topic="submission_overdue")
    assert overdue.count() == 1  # the current weekly round only, not every round it missed
    assert overdue.get().key.endswith(":2")
    reminders = Notification.objects.filter(recipient=county.mine1_officer, topic="submission_reminder")
    assert [n.key.split(":")[1] for n in reminders] == ["d-7"]  # self-check lists due 11-25: the d-7 step


def test_run_sweeps_command(county):
    running_campaign(bureau=county.bureau)
    call_command("run_sweeps", "--date", "2024-10-24", "--no-email")
    assert Notification.objects.filter(topic="submission_reminder").count() == 4  # mine1-3 and ent1
    call_command("run_sweeps", "--date", "2024-10-24", "--no-email")
    assert Notification.objects.count() == 4

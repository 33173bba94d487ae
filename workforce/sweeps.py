"""持证上岗: a warning before a special-operation certificate expires, and another when it has."""

import datetime as dt

from django.urls import reverse

from notifications.recipients import users_by_organization
from notifications.services import Notice, not_yet_notified, notify_many
from notifications.steps import CATCH_UP_DAYS, md

from .models import CERTIFICATE_WARNING_DAYS, Certificate


def _notices(certificates, step, title, level):
    people = users_by_organization(list({c.mine_id for c in certificates}))
    url_of = reverse("person_detail", args=[0]).replace("/0/", "/{}/")
    return [
        Notice(
            uid,
            "certificate_expiry",
            f"certificate:{step}:{c.pk}",
            title.format(mine=c.mine.name, person=c.person.name, kind=c.get_kind_display()),
            f"证书编号 {c.number}，有效期至 {md(c.expires_on)}：持证上岗，请及时组织复审或换证。",
            url_of.format(c.person_id),
            level,
        )
        for c in certificates
        for uid in people.get(c.mine_id, [])
    ]


def sweep_certificates(*, today):
    base = Certificate.objects.filter(person__is_active=True).select_related("mine", "person")
    expiring = list(
        not_yet_notified(
            base.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)),
            "certificate:expiring:",
        )
    )
    expired = list(
        not_yet_notified(
            base.filter(expires_on__lt=today, expires_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS)),
            "certificate:expired:",
        )
    )
    notices = _notices(expiring, "expiring", "{mine}{person}的{kind}证书即将到期", "warning")
    notices += _notices(expired, "expired", "{mine}{person}的{kind}证书已过期，不得上岗", "danger")
    return notify_many(notices)

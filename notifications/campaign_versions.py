"""A campaign published, or changed after publishing, is announced to the officers of the organisations concerned,
once per version (the key names the campaign and its version): campaign sends `campaign_revised`, this listens (the
apps depend one way: campaign does not import notifications)."""

from django.urls import reverse

from accounts.permissions import bureau_people_q
from campaign.authoring import organisations_concerned
from campaign.signals import campaign_revised

from .models import Level
from .recipients import users_by_organization
from .services import Notice, notify_many

TOPIC = "campaign_version"


def announce_revision(*, revision):
    campaign = revision.campaign
    if revision.version == 1:
        title = f"新的专项整治已发布：{campaign.name}"
    else:
        title = f"专项整治有修改（第 {revision.version} 版）：{campaign.name}"
    body = "\n".join(revision.changes) or revision.summary
    url = reverse("campaign_detail", kwargs={"pk": campaign.pk})
    key = f"campaign:{campaign.pk}:version:{revision.version}"
    concerned = list(organisations_concerned(campaign).values_list("pk", "kind"))
    units = [pk for pk, kind in concerned if kind in ("mine", "enterprise")]
    # A city's campaign is announced to the counties below it: their bureau's people, who adopt it and report to it.
    regulators = [pk for pk, kind in concerned if kind not in ("mine", "enterprise")]
    people = [*users_by_organization(units).values()]
    if regulators:
        people += users_by_organization(regulators, who=bureau_people_q()).values()
    notices = [
        Notice(
            recipient_id=user_id, topic=TOPIC, key=key, title=title[:200], body=body[:5000], url=url, level=Level.INFO
        )
        for users in people
        for user_id in users
    ]
    return notify_many(notices)


def _on_revision(sender, revision, **kwargs):
    announce_revision(revision=revision)


def connect():
    campaign_revised.connect(_on_revision, dispatch_uid="notifications.campaign_versions")

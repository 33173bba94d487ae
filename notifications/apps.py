from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知"

    def ready(self):
        # The campaign app tells of each 核验 of a task item (campaign may not import us): the unit's notice is
        # written in the review's own transaction (see campaign/signals.py).
        from campaign.signals import progress_reviewed

        from .campaign_notices import on_progress_reviewed

        progress_reviewed.connect(on_progress_reviewed, dispatch_uid="notifications.progress_reviewed")

        from .campaign_versions import connect

        connect()  # campaign announces its versions by a signal (it may not import this app)

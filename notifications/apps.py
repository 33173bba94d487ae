from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知"

    def ready(self):
        from .campaign_versions import connect

        connect()  # campaign announces its versions by a signal (it may not import this app)

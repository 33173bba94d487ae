"""A campaign's whole record as one zip (export_campaign_archive): it reads every app, so it sits above them all."""

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "专项整治档案"

"""The bureau's accountability actions (督查问责): 通报批评, 约谈 and 问责 of the notice's 五(二) and 4.3 — each a
record with its document, proposed by the records (candidates) and decided by the bureau."""

from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = "督查问责"

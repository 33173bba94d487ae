"""The search box: one query over every ledger and document the user may see, each through its own app's rule."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "全站查找"

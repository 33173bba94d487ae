from django.apps import AppConfig


class ViolationsConfig(AppConfig):
    name = "violations"
    verbose_name = "“三违”管理"

from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "accidents"
    verbose_name = "事故台账"

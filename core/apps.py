from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter

        # <id:pk> in every URL module: registered before any URLconf is imported.
        register_converter(IdConverter, "id")

"""Every app's deadline sweeps as one round (run_sweeps, the Celery task sweeps.tasks.run_sweeps, bench_sweeps)."""

from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "sweeps"
    verbose_name = "催办扫描"

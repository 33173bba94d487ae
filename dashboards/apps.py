"""The overviews that read every ledger: the home page of each role, the dashboard, the charts, the big screen."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "驾驶舱与图表"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import counts
        from hazards.models import Hazard
        from violations.models import Violation

        from .counts import hazards_counted, violations_counted

        counts.register(Hazard, hazards_counted)
        counts.register(Violation, violations_counted)
        post_migrate.connect(_ensure_triggers, sender=self)


def _ensure_triggers(sender, using, **kwargs):
    # Once per `migrate` (and per test flush): a migration may have dropped a trigger (dashboards.figures).
    from .figures import ensure_triggers

    ensure_triggers(using)

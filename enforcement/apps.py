from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执法文书"

    def ready(self):
        # The hazard ledger suspends a mine and tells us (hazards may not import enforcement): the suspension record
        # is written in the hazard step's own transaction (see hazards/signals.py).
        from hazards.signals import major_hazards_changed

        from .services.suspension import on_major_hazards_changed

        major_hazards_changed.connect(on_major_hazards_changed, dispatch_uid="enforcement.suspension")

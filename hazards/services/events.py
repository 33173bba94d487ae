"""The hazard's event log (the 处理记录 on its page): one way to write an entry, for every hazard service."""

from ..models import HazardEvent


def record_event(hazard, *, actor, action, from_status="", note=""):
    """Writes one entry in the caller's transaction; `to_status` is the hazard's status now. `from_status` is the
    status before a change of state ("" for an entry that records no change of state)."""
    HazardEvent.objects.create(
        hazard=hazard, action=action, from_status=from_status, to_status=hazard.status, note=note, actor=actor
    )

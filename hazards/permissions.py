"""Who may do what to hazards and inspections. Services enforce these; templates use them to show buttons."""

from accounts.models import Role
from core.scoping import mine_in_scope

LEDGER_WRITERS = (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER, Role.INSPECTOR)


def can_write_ledger(user, mine):
    return user.role in LEDGER_WRITERS and mine_in_scope(user, mine)


def can_accept(user, hazard):
    """General hazards: the mine's own reviewer or its enterprise. Major hazards: only the bureau."""
    if not mine_in_scope(user, hazard.mine):
        return False
    if hazard.is_major:
        return user.role == Role.INSPECTOR
    return user.role in (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)


def can_supervise(user, mine=None):
    """Bureau-only acts: list a major hazard (挂牌督办), record 一案双查, change a major hazard's level."""
    return user.role == Role.INSPECTOR and (mine is None or mine_in_scope(user, mine))


def can_record_inspection(user, mine, mode):
    from .models.inspection import BUREAU_MODES

    if not mine_in_scope(user, mine):
        return False
    if mode in BUREAU_MODES:
        return user.role == Role.INSPECTOR
    return user.role in (Role.ENTERPRISE_OFFICER, Role.INSPECTOR)

from accounts.models import Role
from core.scoping import mine_in_scope

VIOLATION_WRITERS = (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER, Role.INSPECTOR)


def can_write_violations(user, mine):
    return user.role in VIOLATION_WRITERS and mine_in_scope(user, mine)


def can_mark_typical(user, mine=None):
    """Typical cases, bulletins and tip-off (匿名举报) triage are the bureau's."""
    return user.role == Role.INSPECTOR and (mine is None or mine_in_scope(user, mine))


def can_keep_red_lines(user, mine):
    return user.role in (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER) and mine_in_scope(user, mine)

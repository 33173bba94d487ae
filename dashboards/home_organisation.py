"""The home page's "who is responsible" panel: an inspector's 我包保的煤矿, a mine's 监管专员 and the bureau's contacts.

Kept apart from the home view (dashboards.views.home) so the view gains one line; the page one include."""

from accounts.permissions import can_assign_supervisors, can_see_own_supervisors
from accounts.selectors import bureau_of, supervisors_of
from hazards.selectors import supervised_mines


def organisation_panel(*, user, today, phase=None):
    """What the panel shows for `user` ({} when nothing): `my_mines` for the bureau's inspectors (with this phase's
    inspections when `phase` is given); `own_supervisors` and `bureau` for a mine's officer."""
    if can_assign_supervisors(user):
        start, end = (phase.starts_on, phase.ends_on) if phase else (None, None)
        return {"my_mines": supervised_mines(user=user, today=today, start=start, end=end), "my_mines_phase": phase}
    if can_see_own_supervisors(user) and user.organization_id:
        return {"own_supervisors": supervisors_of(mine=user.organization), "bureau": bureau_of(user)}
    return {}

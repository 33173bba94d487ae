"""The mine's home-page panel of its 停产整顿: since when, the order (number, link), and whether it may apply for
复产验收 now (the state's reason when not). Kept here so the home view gains one line and the page one include.

No query at all unless the user's own mine is suspended; then three (the suspension with its order, open major
hazards, a pending application), whatever the data size."""

from core.errors import InvalidState

from .selectors import active_suspension_of
from .services.suspension import check_may_apply


def suspension_panel(*, user):
    org = user.organization
    if org is None or org.kind != "mine" or not org.is_suspended:
        return {}
    suspension = active_suspension_of(user=user, mine=org)
    if suspension is None:  # the mine's status says 停产整顿 but no record (data from before the record existed)
        return {}
    try:
        check_may_apply(suspension)
        why_not = ""
    except InvalidState as exc:
        why_not = exc.message
    return {"home_suspension": suspension, "home_suspension_why_not": why_not}

"""Who may do what to the 三违 ledger, bulletins and red-line lists. Services enforce these; views, templates
(`{% can "violations.…" %}`) and the API show and offer only what they allow. With `mine=None` a rule answers
"anywhere" (a list page's button)."""

from accounts.permissions import is_bureau_user, is_enterprise_officer, is_inspector, is_unit_officer
from core.scoping import mine_in_scope, scope_of


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_write_violations(user, mine=None):
    """Register and handle 三违: the mine, its enterprise, the bureau's inspectors."""
    return (is_unit_officer(user) or is_inspector(user)) and _at(user, mine)


def can_mark_typical(user, mine=None):
    """Typical cases, bulletins and tip-off (匿名举报) triage are the bureau's."""
    return is_inspector(user) and _at(user, mine)


def can_see_tipoffs(user):
    """The tip-off desk (the menu and the list): the bureau, and the enterprises for their own channel (4.1.c)."""
    return is_bureau_user(user) or is_enterprise_officer(user)


def can_handle_tipoff(user, tipoff=None):
    """Handle an anonymous report (办理、答复、转为“三违”或隐患). One made to an enterprise (its own channel, 4.1.c)
    and not escalated: that enterprise's officers, for their mines. Any other (made to the bureau, or escalated to
    it): the bureau's inspectors, for their own bureau. The leadership group reads them. With `tipoff=None`: anywhere
    (the list)."""
    if tipoff is None:
        return is_inspector(user) or is_enterprise_officer(user)
    if tipoff.enterprise_handles:
        return is_enterprise_officer(user) and tipoff.mine is not None and mine_in_scope(user, tipoff.mine)
    return is_inspector(user) and scope_of(user).allows_bureau(tipoff.bureau_id)


def can_escalate_tipoff(user, tipoff=None):
    """提交县局: an enterprise hands a tip-off made to it over to the bureau (its state — not yet escalated, not
    closed — is the service's guard)."""
    if tipoff is None:
        return is_enterprise_officer(user)
    return (
        is_enterprise_officer(user)
        and tipoff.to_enterprise
        and tipoff.mine is not None
        and mine_in_scope(user, tipoff.mine)
    )


def can_keep_red_lines(user, mine=None):
    """The red-line lists are the mine's (or its enterprise's for it)."""
    return is_unit_officer(user) and _at(user, mine)


def default_found_by(user):
    """Who found a 三违 the user registers, unless said otherwise (a FoundBy value): the mine itself, its
    enterprise, or the bureau."""
    from .models import FoundBy

    if is_inspector(user):
        return FoundBy.BUREAU
    if is_enterprise_officer(user):
        return FoundBy.ENTERPRISE
    return FoundBy.SELF if is_unit_officer(user) else FoundBy.OTHER

"""Who may do what to the 三违 ledger, bulletins and red-line lists. Services enforce these; views, templates
(`{% can "violations.…" %}`) and the API show and offer only what they allow. With `mine=None` a rule answers
"anywhere" (a list page's button)."""

from accounts.permissions import is_enterprise_officer, is_inspector, is_unit_officer
from core.scoping import mine_in_scope, scope_of


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_write_violations(user, mine=None):
    """Register and handle 三违: the mine, its enterprise, the bureau's inspectors."""
    return (is_unit_officer(user) or is_inspector(user)) and _at(user, mine)


def can_mark_typical(user, mine=None):
    """Typical cases, bulletins and tip-off (匿名举报) triage are the bureau's."""
    return is_inspector(user) and _at(user, mine)


def can_handle_tipoff(user, tipoff=None):
    """Handle an anonymous report (办理、答复、转为“三违”或隐患): the bureau's inspectors, for the reports made to
    their own bureau. The leadership group reads them."""
    return is_inspector(user) and (tipoff is None or scope_of(user).allows_bureau(tipoff.bureau_id))


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

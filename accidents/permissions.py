"""Who may do what with the accident register and its 提级调查. Services enforce these; views, templates
(`{% can "accidents.…" %}`) and the API offer only what they allow. With `mine=None` a rule answers "anywhere"
(a list page's button)."""

from accounts.permissions import is_bureau_user, is_inspector, is_read_only, is_unit_officer
from core.scoping import mine_in_scope


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_see_register(user):
    """The register: the mine its own, the enterprise its mines', the bureau (and its leaders) the county's."""
    return is_unit_officer(user) or is_bureau_user(user)


def can_write_register(user, mine=None):
    """Record and correct accidents: the mine for itself, the enterprise for its mines, the bureau's inspectors for
    its county. The leadership group reads."""
    return (is_unit_officer(user) or is_inspector(user)) and not is_read_only(user) and _at(user, mine)


def can_delete_accident(user, accident=None):
    """Remove a line typed by mistake: whoever may write the register for its mine, while no investigation hangs on
    it (the service says 409 otherwise)."""
    return can_write_register(user, None if accident is None else accident.mine)


def can_investigate(user, mine=None):
    """The investigation's fields (lead level and organisation, team, findings, persons held responsible, measures,
    the closing report): the bureau's inspectors, for mines of their county."""
    return is_inspector(user) and _at(user, mine)


def records_as_bureau(user):
    """An accident the bureau records first is marked as found by the bureau (not reported by the mine)."""
    return is_bureau_user(user)

"""Who may do what with the bureau's accountability actions. Services enforce these; views, templates
(`{% can "accountability.…" %}`) and the API offer only what they allow."""

from accounts.permissions import is_bureau_user, is_inspector, is_unit_officer
from core.scoping import scope_of


def _of_bureau(user, action):
    return action is None or scope_of(user).allows_bureau(action.bureau_id)


def can_issue(user, action=None):
    """Draft, edit, issue an action and record a 约谈's follow-up: the bureau's officers (通报批评、约谈、问责 are the
    bureau's decisions; a unit is their object, never their author; the leadership group reads)."""
    return is_inspector(user) and _of_bureau(user, action)


def can_see_drafts(user):
    """Drafts are the bureau's own business: a unit sees an action once issued."""
    return is_bureau_user(user)


def can_see_candidates(user):
    """The proposals drawn from the records (who might deserve an action): the bureau's users."""
    return is_bureau_user(user)


def can_see_reads(user):
    """Who of the named units has read an issued action: the bureau's users."""
    return is_bureau_user(user)


def is_addressee(user):
    """A unit's officer: the one an issued action is addressed to (its home page shows it, its reading is a receipt)."""
    return is_unit_officer(user)

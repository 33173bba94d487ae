"""Who may do what to the workforce records. Services enforce these; views and templates show only what they allow.
With `mine=None` a rule answers "anywhere" (a list page's button)."""

from accounts.permissions import is_unit_officer
from core.scoping import mine_in_scope


def can_keep_records(user, mine=None):
    """The mine keeps these records; its enterprise may keep them for it; the bureau reads them."""
    return is_unit_officer(user) and (mine is None or mine_in_scope(user, mine))

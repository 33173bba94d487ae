"""Who may do what with enforcement documents. Services enforce these; views, templates (`{% can "enforcement.…" %}`)
and the API offer only what they allow. With `mine=None` a rule answers "anywhere" (a list page's button)."""

from accounts.permissions import is_bureau_user, is_inspector
from core.scoping import mine_in_scope


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_issue(user, mine=None):
    """Draft, issue and serve documents: the bureau's law-enforcement officers, for mines of their bureau."""
    return is_inspector(user) and _at(user, mine)


def can_see_drafts(user):
    """The bureau's drafts are its own business: a mine or enterprise sees a document once it is issued."""
    return is_bureau_user(user)


def may_be_officer(user, bureau_id):
    """A document's officers: active inspectors of the issuing bureau holding a certificate number."""
    return (
        user is not None
        and user.is_active
        and is_inspector(user)
        and user.organization_id == bureau_id
        and bool(user.certificate_no.strip())
    )

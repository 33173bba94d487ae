"""Who may do what to submissions (报送). The services, the pages, their templates (`{% can "reporting.…" %}`) and
the API ask these."""

from accounts.permissions import can_oversee_units, is_inspector, is_unit_officer
from core.scoping import scope_of


def can_open_submissions(user):
    """Fill in and send the reports a unit owes: the officers of a mine or an enterprise."""
    return is_unit_officer(user)


def can_write_submission(user, submission):
    """Fill in, attach to and send one submission: the officers of the unit that owes it."""
    return is_unit_officer(user) and user.organization_id == submission.organization_id


def can_review(user, submission=None):
    """Approve or return: the bureau's inspectors, for the units under their bureau (any, without a submission)."""
    if not is_inspector(user):
        return False
    return submission is None or scope_of(user).allows(submission)


def can_see_matrix(user):
    """The submission matrix (报送一览) across units: not for a mine's own officer."""
    return can_oversee_units(user)


def can_urge(user, organization=None):
    """催报 (urge a unit to send what it owes): the bureau's inspectors, for the units under their bureau."""
    if not is_inspector(user):
        return False
    return organization is None or scope_of(user).allows(organization)

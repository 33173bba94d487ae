"""Who may do what to submissions (报送). The services, the pages, their templates (`{% can "reporting.…" %}`) and
the API ask these.

Two kinds of sender: a mine or an enterprise reports to its county bureau (its officers send, the county's inspectors
review and urge); a county bureau reports upward to the city above it (the county's writers — inspectors and
operators, not its read-only leadership group — send; the city's regulators review and urge,
campaign.membership.reports_upward)."""

from accounts.permissions import (
    bureau_writers_q,
    can_oversee_units,
    can_write,
    is_bureau_user,
    is_inspector,
    is_regulator,
    is_unit_officer,
    unit_officers_q,
)
from core.scoping import scope_of


def can_report_upward(user):
    """Fill in and send what a county owes the city above it: the county's writers (not its leadership group)."""
    org = getattr(user, "organization", None)
    return org is not None and org.kind == "bureau" and is_bureau_user(user) and can_write(user)


def can_open_submissions(user):
    """Fill in and send the reports a unit owes its county: the officers of a mine or an enterprise."""
    return is_unit_officer(user)


def may_send_for(user, organization):
    """Whether `user` sends `organization`'s reports: a unit's officers, or a county's writers."""
    if user.organization_id != organization.pk:
        return False
    return can_report_upward(user) if organization.kind == "bureau" else can_open_submissions(user)


def can_write_submission(user, submission):
    """Fill in, attach to and send one submission: the people of the organisation that owes it."""
    return may_send_for(user, submission.organization)


def _above(user, organization):
    """The user is a regulator of the level directly above `organization` (a county's city)."""
    return is_regulator(user) and organization.parent_id == user.organization_id


def can_review(user, submission=None):
    """Approve or return: a unit's report, the county's inspectors (for the units under their bureau); a county's
    report, the regulators of the city above it. Without a submission: whether the user reviews any."""
    if submission is None:
        return is_inspector(user) or is_regulator(user)
    if submission.organization.kind in ("bureau", "city"):
        return _above(user, submission.organization)
    return is_inspector(user) and scope_of(user).allows(submission)


def can_see_matrix(user):
    """The submission matrix (报送一览) across units: not for a mine's own officer."""
    return can_oversee_units(user)


def can_urge(user, organization=None):
    """催报 (urge an organisation to send what it owes): the county's inspectors, for the units under their bureau;
    a city's regulators, for the counties below it."""
    if organization is None:
        return is_inspector(user) or is_regulator(user)
    if organization.kind in ("bureau", "city"):
        return _above(user, organization)
    return is_inspector(user) and scope_of(user).allows(organization)


def senders_q(organization):
    """Who hears an organisation's reporting notices (reminders, 催报, review results): the people who send its
    reports (a filter over User)."""
    return bureau_writers_q() if organization.kind in ("bureau", "city") else unit_officers_q()

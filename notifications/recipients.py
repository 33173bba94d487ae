"""Who receives a notice about an organisation: its people, its enterprise's, its bureau's inspectors."""

from collections import defaultdict

from accounts.models import User
from accounts.permissions import inspectors_q, unit_officers_q


def users_by_organization(organization_ids, *, who=None):
    """{organization id: [user id, …]} for active users of those organisations (one query): by default the unit's
    officers; `who` is another filter over User from accounts.permissions."""
    result = defaultdict(list)
    rows = User.objects.filter(
        who if who is not None else unit_officers_q(), organization_id__in=organization_ids, is_active=True
    ).values_list("organization_id", "pk")
    for org_id, user_id in rows:
        result[org_id].append(user_id)
    return result


def inspectors_by_bureau(bureau_ids):
    return users_by_organization(bureau_ids, who=inspectors_q())

"""Who receives a notice about an organisation: its people, its enterprise's, its bureau's inspectors."""

from collections import defaultdict

from accounts.models import Role, User


def users_by_organization(organization_ids, *, roles=(Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)):
    """{organization id: [user id, …]} for active users of those organisations (one query)."""
    result = defaultdict(list)
    rows = User.objects.filter(organization_id__in=organization_ids, is_active=True, role__in=roles).values_list(
        "organization_id", "pk"
    )
    for org_id, user_id in rows:
        result[org_id].append(user_id)
    return result


def inspectors_by_bureau(bureau_ids):
    return users_by_organization(bureau_ids, roles=(Role.INSPECTOR,))

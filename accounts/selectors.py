from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from .models import Mine, MineStatus, MineSupervisor, Organization, OrganizationKind, User
from .permissions import supervisors_q


def active_supervisions():
    """A prefetch of each mine's 监管专员 still at work, as `mine.active_supervisions` (one query for a whole list)."""
    return Prefetch(
        "supervisions",
        queryset=MineSupervisor.objects.active().select_related("supervisor").order_by("duty", "pk"),
        to_attr="active_supervisions",
    )


def mine_list(*, user):
    return (
        Mine.objects.visible_to(user)
        .select_related("parent")
        .prefetch_related(active_supervisions())
        .order_by("parent__name", "name", "pk")
    )


def organizations_top_down(queryset):
    """`queryset` ordered by level (province, city, county, enterprise, mine), then name."""
    level = Case(
        *(When(kind=kind, then=Value(n)) for n, kind in enumerate(OrganizationKind.values)),
        output_field=IntegerField(),
    )
    return queryset.annotate(level=level).order_by("level", "name", "pk")


def counties_below(*, user):
    """The county bureaus the user sees (a city or a province: those below it), with how many mines each has and how
    many are under 停产整顿 (one grouped query, whatever the number of counties)."""
    return (
        Organization.objects.visible_to(user)
        .filter(kind=OrganizationKind.BUREAU)
        .annotate(
            mines=Count(
                "children__children",
                filter=Q(children__kind=OrganizationKind.ENTERPRISE, children__children__kind=OrganizationKind.MINE),
            ),
            suspended=Count(
                "children__children",
                filter=Q(
                    children__kind=OrganizationKind.ENTERPRISE,
                    children__children__kind=OrganizationKind.MINE,
                    children__children__status=MineStatus.SUSPENDED,
                ),
            ),
        )
        .select_related("parent")
        .order_by("division_code", "name", "pk")
    )


def mine_counts_for(*, user):
    """How many mines the user oversees, and how many of them are under 停产整顿 (one query)."""
    return Mine.objects.visible_to(user).aggregate(
        total=Count("pk"), suspended=Count("pk", filter=Q(status=MineStatus.SUSPENDED))
    )


def supervisor_list(*, user):
    """The 包保 the user may see: every mine's for the bureau, its own mine's for a mine."""
    return (
        MineSupervisor.objects.visible_to(user)
        .select_related("mine", "mine__parent", "supervisor")
        .order_by("mine__parent__name", "mine__name", "duty", "pk")
    )


def supervisor_candidates(*, bureau_id):
    """Who may be named 监管专员 of the bureau's mines."""
    if bureau_id is None:
        return User.objects.none()
    return User.objects.filter(supervisors_q(), organization_id=bureau_id).order_by("full_name", "username")


def supervisors_of(*, mine):
    """The mine's 监管专员 still at work, lead first."""
    return list(MineSupervisor.objects.active().filter(mine=mine).select_related("supervisor").order_by("duty", "pk"))


def supervisors_at_work(*, user):
    """The bureau's 监管专员 with how many of the mines the user sees each answers for (one grouped query)."""
    return (
        MineSupervisor.objects.visible_to(user)
        .active()
        .values("supervisor_id", "supervisor__full_name", "supervisor__username", "supervisor__phone")
        .annotate(mines=Count("pk"))
        .order_by("supervisor__full_name", "supervisor__username")
    )


def bureau_of(user):
    """The user's bureau (for its contacts), or None for an account without an organisation."""
    if user.organization_id is None:
        return None
    if user.organization.bureau_id == user.organization_id:
        return user.organization
    return Organization.objects.filter(pk=user.organization.bureau_id).first()

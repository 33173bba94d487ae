"""Who a user is, as the permission layer asks it. With each app's `permissions.py`, the only code that names roles:
services, views, templates (`{% can %}`) and the API ask these predicates, never `user.role`.

The predicates named `can_*` are reachable from templates as "accounts.<name without can_>" (core.permissions)."""

from django.db.models import Q

from core.scoping import mine_in_scope, scope_of

from .models import Role

#: the people of a reporting unit (a mine or an enterprise): they keep its records and send its reports
UNIT_OFFICERS = (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)
#: the people of the bureau (and of the regulators above it, who read the bureau's pages of every county below)
BUREAU_ROLES = (Role.INSPECTOR, Role.LEADER, Role.ADMIN, Role.REGULATOR)
#: who reads and changes nothing: the county's leadership group, and the regulators above the county (a city or a
#: province sees its counties' records; the counties keep them)
READ_ONLY_ROLES = (Role.LEADER, Role.REGULATOR)


def _role(user):
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def is_mine_officer(user):
    return _role(user) == Role.MINE_OFFICER


def is_enterprise_officer(user):
    return _role(user) == Role.ENTERPRISE_OFFICER


def is_unit_officer(user):
    """An officer of a mine or of an enterprise (keeps ledgers and records, sends reports)."""
    return _role(user) in UNIT_OFFICERS


def is_inspector(user):
    """The bureau's enforcement staff: review, inspect, supervise major hazards, publish bulletins."""
    return _role(user) == Role.INSPECTOR


def is_bureau_user(user):
    return _role(user) in BUREAU_ROLES


def is_read_only(user):
    """The leadership group sees everything and changes nothing; so do the regulators above the county."""
    return _role(user) in READ_ONLY_ROLES


def is_regulator(user):
    """A user of a city or province bureau (市局/省厅): sees the counties below its organisation, read-only.
    core.scoping grants the levels below only to this role (see Role.REGULATOR)."""
    return _role(user) == Role.REGULATOR


def can_see_counties(user):
    """The list of the county bureaus below (home page, 各县 dashboard picker): the regulators above the county."""
    return is_regulator(user)


def can_write(user):
    """Any write at all (the API's guard for every viewset that writes; the rest is each action's own rule)."""
    return _role(user) is not None and not is_read_only(user)


def can_write_above_county(user):
    """The writes a city's or province's regulator makes of its own (the actions an API viewset lists in
    `regulator_actions`: its campaigns, reviewing what its counties send it, its own inspections with their findings
    and its own enforcement documents); everything of the counties stays read-only."""
    return is_regulator(user)


def can_see_several_mines(user):
    """Lists show a mine column, filters a mine field — for everyone but a mine's own officer."""
    return _role(user) is not None and not is_mine_officer(user)


def can_oversee_units(user):
    """The overviews across units (submission matrix, task-progress overview) are for those who oversee units."""
    return _role(user) is not None and not is_mine_officer(user)


def can_bureau_view(user):
    """The bureau's own pages and wording (工作台, 匿名举报, 本局事项)."""
    return is_bureau_user(user)


def unit_officers_q():
    """Users who receive a unit's notices (a queryset filter over User)."""
    return Q(role__in=UNIT_OFFICERS)


def inspectors_q():
    """Users who receive the bureau's notices and may be named on an inspection (a queryset filter over User)."""
    return Q(role=Role.INSPECTOR)


def bureau_people_q():
    """A bureau's people, whatever their role (a queryset filter over User): what is announced to a county."""
    return Q(role__in=BUREAU_ROLES)


def bureau_writers_q():
    """A county bureau's people who write in its name (its reports to the city): inspectors and operators, not the
    read-only leadership group (a queryset filter over User)."""
    return Q(role__in=[r for r in BUREAU_ROLES if r not in READ_ONLY_ROLES])


def regulators_q():
    """The users of a city or province who review what the counties below send (a queryset filter over User)."""
    return Q(role=Role.REGULATOR)


def guide_role(user):
    """The part of the user guide (使用说明) that is the reader's own: the role's value (None: no part comes first)."""
    return _role(user)


# ------------------------------------------------------------------ who answers for which mine (监管专员包保)


def can_assign_supervisors(user, mine=None):
    """监管专员包保 is kept by the bureau's inspectors, for the mines of their bureau; the leadership group, mines and
    enterprises read it. With `mine=None`: anywhere (a list page's button)."""
    return is_inspector(user) and (mine is None or mine_in_scope(user, mine))


def may_supervise_mines(user):
    """Who may be named a mine's 监管专员: an active inspector (the leadership group leads, it does not 包保)."""
    return is_inspector(user) and user.is_active


def supervisors_q():
    """Users who may be named a mine's 监管专员 (a queryset filter over User, with their bureau added by the caller)."""
    return Q(role=Role.INSPECTOR, is_active=True)


def can_edit_bureau_contacts(user, bureau=None):
    """The bureau's phone and e-mail that mines see: kept by its inspectors (the leadership group only reads)."""
    return is_inspector(user) and (bureau is None or scope_of(user).allows_bureau(bureau.pk))


def can_see_own_supervisors(user):
    """Whose home page shows 本矿监管专员 and the bureau's contacts: a mine's own officer."""
    return is_mine_officer(user)

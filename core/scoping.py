"""The one visibility rule: who may see which rows, decided in this module and nowhere else.

A user belongs to one organisation (bureau, enterprise or mine); what it may see follows from that: a mine
officer its mine, an enterprise officer the mines of its enterprise (and, for rows an organisation owns, the
enterprise's own), bureau users everything under their bureau. Above the county, a city's or a province's regulators
see everything under each county bureau below theirs (and the rows of the regulators between): their scope holds the
ids of those regulators, read in one query when the scope is made, so every filter is one `bureau_id IN (…)` on the
indexed column rather than a walk up the tree per row. Only the regulator role gets the levels below: any other role
given to a city's or province's account sees nothing. A superuser without an organisation (the
machine's operator) sees everything; anyone else without an organisation, an inactive account or nobody logged
in sees nothing.

`scope_of(user)` reads the user once into a small `Scope` value; every SQL filter (`Scope.q`, `Scope.bureau_q`)
and every check of an object already in hand (`Scope.allows`, `Scope.allows_org`) is answered from that value, so
the database and Python cannot disagree (tests/core/test_scoping.py holds them equal for every role and model).

A scoped model declares its way to its organisation once, on its queryset: `scope_path` ("mine",
"inspection__mine", "organization", or "" for the organisation itself) and `scope_owned` (False: the path reaches
a mine; True: it reaches the organisation that owns the row, of any kind). Its queryset then has `visible_to(user)`.
"""

from dataclasses import dataclass

from django.db import models

NONE, ALL, MINE, ENTERPRISE, BUREAU = "none", "all", "mine", "enterprise", "bureau"
CITY, PROVINCE = "city", "province"
#: the levels above the county: their scope is the regulators (county bureaus, cities) below them
HIGHER = (CITY, PROVINCE)
_ORG_KINDS = (MINE, ENTERPRISE, BUREAU, CITY, PROVINCE)


def regulators_below(organization):
    """The ids of the regulators at or below a city or a province (itself, its cities, their county bureaus), sorted:
    one query over the organisation table (two levels at most: province → city → county)."""
    model = organization._meta.concrete_model
    rows = model._base_manager.filter(
        models.Q(pk=organization.pk)
        | models.Q(parent_id=organization.pk)
        | models.Q(parent__parent_id=organization.pk),
        kind__in=(PROVINCE, CITY, BUREAU),
    ).values_list("pk", flat=True)
    return tuple(sorted(rows))


def _nothing():
    return models.Q(pk__in=[])  # Django answers it without a query


def _everything():
    # A real condition, not an empty Q: Django drops an empty Q from an OR, so `x | Q()` would mean just `x`.
    return models.Q(pk__isnull=False)


def _field(path, name):
    """`name` ("pk", "parent_id", "bureau_id") of the organisation reached through `path` ("" is the row itself)."""
    if not path:
        return name
    return f"{path}_id" if name == "pk" else f"{path}__{name}"


@dataclass(frozen=True)
class Scope:
    kind: str  # NONE, ALL, or the kind of the user's organisation
    org_id: int | None = None
    bureau_id: int | None = None  # the bureau the organisation belongs to (itself for a bureau)
    #: sees the bureau's own business (drafts of bulletins, templates, anonymous reports): bureau roles, the operator
    bureau_desk: bool = False
    #: CITY, PROVINCE: the regulators whose rows are in scope (itself and every city and county bureau below it)
    bureau_ids: tuple = ()

    @classmethod
    def of_organization(cls, organization, *, bureau_desk=False):
        """What a user of `organization` sees (also: the mines an organisation reports for)."""
        if organization is None or organization.kind not in _ORG_KINDS:
            return NOBODY  # an unknown kind sees nothing rather than something
        below = regulators_below(organization) if organization.kind in HIGHER else ()
        return cls(organization.kind, organization.pk, organization.bureau_id, bureau_desk, below)

    @property
    def county_id(self):
        """The one county bureau the scope is of (its bulletin duty, its contacts); None above the county or for
        everything."""
        return self.bureau_id if self.kind in (MINE, ENTERPRISE, BUREAU) else None

    @property
    def over_units(self):
        """Sees every unit of the bureaus in scope (not only the ones of a mine or an enterprise)."""
        return self.kind in (ALL, BUREAU, CITY, PROVINCE)

    @property
    def key(self):
        """A short string: two users with the same key see the same rows (for caches of computed figures)."""
        return self.kind if self.kind in (NONE, ALL) else f"org{self.org_id}"

    # SQL

    def q(self, path="mine", *, owned=False):
        """A Q keeping the rows whose organisation, reached through `path`, is in scope. `owned`: the path reaches
        the owning organisation of any kind (an enterprise then also sees its own rows), not a mine."""
        if self.kind == NONE:
            return _nothing()
        if self.kind == ALL:
            return _everything()
        if self.kind == MINE:
            return models.Q(**{_field(path, "pk"): self.org_id})
        if self.kind == ENTERPRISE:
            q = models.Q(**{_field(path, "parent_id"): self.org_id})
            return (q | models.Q(**{_field(path, "pk"): self.org_id})) if owned else q
        if self.kind in HIGHER:
            return models.Q(**{_field(path, "bureau_id") + "__in": self.bureau_ids})
        return models.Q(**{_field(path, "bureau_id"): self.org_id})

    def bureau_q(self, path="bureau"):
        """A Q keeping the rows of the user's own bureau (the bureau above a mine or an enterprise), at `path`."""
        if self.kind == NONE or (self.kind != ALL and self.bureau_id is None):
            return _nothing()
        if self.kind == ALL:
            return _everything()
        if self.kind in HIGHER:
            return models.Q(**{_field(path, "pk") + "__in": self.bureau_ids})
        return models.Q(**{_field(path, "pk"): self.bureau_id})

    # Python, from the same fields (no query for the user)

    def allows_org(self, organization, *, owned=False):
        """`q(path, owned=owned)` for one organisation already in hand."""
        if self.kind == NONE:
            return False
        if self.kind == ALL:
            return True
        if organization is None:
            return False
        if self.kind == MINE:
            return organization.pk == self.org_id
        if self.kind == ENTERPRISE:
            return organization.parent_id == self.org_id or (owned and organization.pk == self.org_id)
        if self.kind in HIGHER:
            return organization.bureau_id in self.bureau_ids
        return organization.bureau_id == self.org_id

    def allows_mine(self, mine):
        return self.allows_org(mine)

    def allows_bureau(self, bureau_id):
        """`bureau_q` for one bureau id."""
        if self.kind == NONE:
            return False
        if self.kind in HIGHER:
            return bureau_id in self.bureau_ids
        return self.kind == ALL or (self.bureau_id is not None and bureau_id == self.bureau_id)

    def allows(self, obj):
        """Whether `obj`, a row of a scoped model, is in `type(obj).objects.visible_to(user)`."""
        queryset = type(obj)._default_manager.all()
        if not isinstance(queryset, ScopedQuerySet):
            raise TypeError(f"{type(obj).__name__} does not declare a scope_path")
        target = obj
        for step in queryset.scope_path.split("__") if queryset.scope_path else ():
            target = getattr(target, step)
            if target is None:
                break
        return self.allows_org(target, owned=queryset.scope_owned)


NOBODY = Scope(NONE)
EVERYTHING = Scope(ALL, bureau_desk=True)


def scope_of(user):
    """The user's `Scope`, computed once per user object (kept on it while its organisation and flags stay)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    basis = (user.organization_id, user.is_superuser, getattr(user, "role", None))
    cached = user.__dict__.get("_scope")
    if cached is not None and cached[0] == basis:
        return cached[1]
    if user.organization_id is None:
        scope = EVERYTHING if user.is_superuser else NOBODY
    elif user.organization.kind in HIGHER and not getattr(user, "sees_below", False):
        scope = NOBODY  # a county's role (inspector…) on a city's account would otherwise write in every county below
    else:
        scope = Scope.of_organization(user.organization, bureau_desk=bool(getattr(user, "is_bureau_user", False)))
    user.__dict__["_scope"] = (basis, scope)
    return scope


def narrow_to_county(user, county):
    """Read the rest of this request as `county` (a county bureau below the user's city or province): its dashboard,
    charts and home page show the rows its own leadership group sees. The role does not change, so the user still
    writes nothing. Refused (False, nothing changes) when `county` is not a county bureau in the user's scope."""
    scope = scope_of(user)
    if scope.kind not in HIGHER or county is None or county.kind != BUREAU or county.pk not in scope.bureau_ids:
        return False
    basis = (user.organization_id, user.is_superuser, getattr(user, "role", None))
    user.__dict__["_scope"] = (basis, Scope(BUREAU, county.pk, county.pk, scope.bureau_desk))
    return True


def scope_key(user):
    """For caches of computed figures: an organisation alone would not do (an orgless non-superuser, who sees
    nothing, would be served what an operator without an organisation computed for everything)."""
    return scope_of(user).key


def mine_in_scope(user, mine):
    """The rule for one mine already in hand: the same answer as `visible_to`."""
    return scope_of(user).allows_mine(mine)


class ScopedQuerySet(models.QuerySet):
    #: the lookup path from this model to its organisation ("" when the row is the organisation)
    scope_path = "mine"
    #: False: the path reaches a mine. True: it reaches the owning organisation, whatever its kind
    scope_owned = False

    def visible_to(self, user):
        return self.filter(scope_of(user).q(self.scope_path, owned=self.scope_owned))

    def visible_to_organization(self, organization):
        """The rows a user of `organization` sees (what the organisation's reports cover), whoever asks."""
        return self.filter(Scope.of_organization(organization).q(self.scope_path, owned=self.scope_owned))


class MineScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a mine, through `scope_path`."""

    scope_path = "mine"


class OrganizationScopedQuerySet(ScopedQuerySet):
    """Rows owned by an organisation of any kind (reports, task progress): an enterprise sees its own too."""

    scope_path = "organization"
    scope_owned = True

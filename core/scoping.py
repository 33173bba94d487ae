"""The one visibility rule, shared by every model that belongs to a mine.

A user belongs to one organisation (bureau, enterprise or mine); what it may see follows from that:
a mine officer its mine, an enterprise officer the mines of its enterprise, bureau users the mines under
their bureau. A superuser without an organisation (the machine's operator) sees everything.
Models say where their mine is (`mine_path`) and inherit `visible_to(user)`.
"""

from django.db import models


def mine_scope_q(user, mine_path):
    """A Q selecting the rows whose mine (reached through `mine_path`) the user may see, or None for all."""
    if not user or not user.is_authenticated:
        return models.Q(pk__in=[])
    if user.organization_id is None:
        return None if user.is_superuser else models.Q(pk__in=[])
    org = user.organization
    if org.kind == "mine":
        return models.Q(**{f"{mine_path}_id": org.pk})
    if org.kind == "enterprise":
        return models.Q(**{f"{mine_path}__parent_id": org.pk})
    return models.Q(**{f"{mine_path}__bureau_id": org.pk})


def scope_key(user):
    """What `user` may see under the rule above, as a short string: two users with the same key see the same rows.
    For caches of computed figures (a key by organisation alone would give an orgless non-superuser, who sees
    nothing, the figures an operator without an organisation computed for everything)."""
    if not user or not user.is_authenticated:
        return "none"
    if user.organization_id is None:
        return "all" if user.is_superuser else "none"
    return f"org{user.organization_id}"


class MineScopedQuerySet(models.QuerySet):
    #: the lookup path from this model to its mine (a foreign key to accounts.Mine)
    mine_path = "mine"

    def visible_to(self, user):
        q = mine_scope_q(user, self.mine_path)
        return self.all() if q is None else self.filter(q)


def mine_in_scope(user, mine):
    """The visibility rule for one mine already in hand (no query): the same answer as `visible_to`."""
    if not user or not user.is_authenticated:
        return False
    if user.organization_id is None:
        return user.is_superuser
    org = user.organization
    if org.kind == "mine":
        return mine.pk == org.pk
    if org.kind == "enterprise":
        return mine.parent_id == org.pk
    return mine.bureau_id == org.pk


def organization_scope_q(user, org_path):
    """Rows owned by an organisation (reached through `org_path`): a unit sees its own rows, an enterprise also
    its mines', the bureau everything under it. None means all (an operator without an organisation)."""
    if not user or not user.is_authenticated:
        return models.Q(pk__in=[])
    if user.organization_id is None:
        return None if user.is_superuser else models.Q(pk__in=[])
    org = user.organization
    if org.kind == "mine":
        return models.Q(**{f"{org_path}_id": org.pk})
    if org.kind == "enterprise":
        return models.Q(**{f"{org_path}_id": org.pk}) | models.Q(**{f"{org_path}__parent_id": org.pk})
    return models.Q(**{f"{org_path}__bureau_id": org.pk})


class OrganizationScopedQuerySet(models.QuerySet):
    org_path = "organization"

    def visible_to(self, user):
        q = organization_scope_q(user, self.org_path)
        return self.all() if q is None else self.filter(q)

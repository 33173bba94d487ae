"""The mines a user may pick (in a form, a filter bar, an API field): one query, from the visibility rule.

Mine is accounts' model; core names it through the app registry (as Django's own get_user_model does) rather than
importing accounts, so the layers stay one way (core ← accounts)."""

from django.apps import apps


def visible_mines(user):
    """The mines `user` sees, by name."""
    return apps.get_model("accounts", "Mine").objects.visible_to(user).order_by("name")


def visible_mine_options(request):
    """For a filter's `queryset=`: only what an option shows (a bureau's filter bar lists thousands of mines on
    every page)."""
    if request is None:
        return apps.get_model("accounts", "Mine").objects.none()
    return visible_mines(request.user).only("pk", "name")

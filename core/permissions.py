"""The permission layer's entry points for code that must not import the apps: templates (`{% can %}`), the API's
permission classes and core's own helpers.

Each app's `permissions.py` answers "may this user do this to this object" with predicates named `can_<action>`.
`may(user, "hazards.accept", hazard)` calls `hazards.permissions.can_accept(user, hazard)`: the rule is looked up by
name, so a template and a service ask the very same function. An unknown name is a programming error and raises."""

from functools import cache
from importlib import import_module


@cache
def predicate(name):
    """The predicate for "app.action" (cached: names are fixed in code)."""
    app, dot, action = name.partition(".")
    if not dot or not app or not action:
        raise LookupError(f"permission name must be 'app.action', not {name!r}")
    module = import_module(f"{app}.permissions")
    func = getattr(module, f"can_{action}", None)
    if not callable(func):
        raise LookupError(f"{app}.permissions has no predicate can_{action}")
    return func


def may(user, name, *args):
    """Whether `user` may do `name` ("app.action") to `*args` (the object, if the rule is about one)."""
    return bool(predicate(name)(user, *args))

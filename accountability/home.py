"""The home page's banner of the 通报批评 naming the user's unit (or, for an enterprise, one of its mines) that the
user has not read yet. Kept here so the home view gains one line and the page one include. One query."""

from .permissions import is_addressee
from .selectors import unread_criticisms

HOME_LIMIT = 5


def criticism_panel(*, user):
    if not is_addressee(user):
        return {}
    return {"home_criticisms": list(unread_criticisms(user=user)[:HOME_LIMIT])}

"""The API's authentication: DRF's token and session classes, with the forced password change applied.

An account an administrator created (or whose password it reset) holds a password someone else knows. Until its
owner sets their own on the web page, the API refuses it as the pages do; whichever way it signs in.
"""

from drf_spectacular.authentication import SessionScheme as BaseSessionScheme
from rest_framework import authentication, exceptions

PASSWORD_CHANGE_REQUIRED = "请先在网页上修改初始密码。"


def refuse_until_password_changed(user):
    if user is not None and getattr(user, "must_change_password", False):
        raise exceptions.PermissionDenied(PASSWORD_CHANGE_REQUIRED)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        refuse_until_password_changed(result and result[0])
        return result


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        refuse_until_password_changed(result and result[0])
        return result


class SessionScheme(BaseSessionScheme):
    """The OpenAPI description of the session class above (the token one is matched as a subclass already)."""

    target_class = "accounts.authentication.SessionAuthentication"

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page requires login unless its view is marked `login_not_required`.

    The API and the admin answer for themselves: DRF refuses with 401/403 (a redirect to a login page
    means nothing to a script), and the admin has its own login.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "cls", None) is not None or request.path.startswith(("/api/", "/admin/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        # A script asking for JSON (the offline capture sending its queue) is told 401, not sent to a login page it
        # would read as a success.
        from .views import wants_json

        if wants_json(request):
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": "登录已过期，请重新登录后再上传。", "code": "not_authenticated"},
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        return super().handle_no_permission(request, view_func)


class SessionUserHeaderMiddleware:
    """`X-Session-User: <id>` on every answer to a signed-in user: the service worker (static/js/sw.js) keys its
    offline copies of the ledger pages by it, and drops another user's copies when it changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.setdefault("X-Session-User", str(user.pk))
        return response


class PasswordChangeRequiredMiddleware:
    """An account an administrator created (or whose password it reset) must set its own password first.

    The API is left to DRF: its authentication classes refuse such an account with a Chinese 403, whether it comes
    with a session or a token (accounts.authentication), and the token endpoint issues it no token."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/static/", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
            and not request.path.startswith("/api/")
        ):
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.warning(request, "首次登录（或密码被管理员重置）后，请先设置您自己的密码。")
            return redirect("password_change")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy: scripts and styles from this site only (front-end files are vendored; pages carry
    no inline scripts); the service worker and the web app manifest from this site too. The API docs page is
    Swagger UI's own, which needs its inline bootstrap script."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    DOCS_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.DOCS_POLICY if request.path.startswith("/api/docs/") else self.POLICY
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class BadNumberMiddleware:
    """A number too large for the database in a form or query string is the user's error: answer 400, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DataError

        if isinstance(exception, OverflowError | DataError):
            from .views import error_400

            return error_400(request, exception)
        return None


class DatabaseBusyMiddleware:
    """SQLite still locked after the connection's timeout (a long write elsewhere): 409 with a Chinese message that
    says to try again, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .errors import is_database_busy

        if is_database_busy(exception):
            from django.shortcuts import render

            return render(request, "409.html", status=409)
        return None

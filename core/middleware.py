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

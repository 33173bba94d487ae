"""The county lens on every page a regulator reads: `?bureau=<county>` (dashboards.levels.county_lens)."""

from accounts.permissions import can_see_counties

from .levels import county_lens


class CountyLensMiddleware:
    """A city's or a province's regulator reading one county below (`?bureau=<id>`, from the list of counties) reads
    every page of that request as the county's own leadership group does — its home page, dashboard and charts, and
    the ledgers and lists their figures link to, so a tile's number and the list behind it agree. Pages read only
    (GET/HEAD; a regulator writes nothing below anyway); public pages (their own `?bureau=`) and the API (which reads
    the lens in its own views) are left alone. A county not below the user is 404, as on the dashboard."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or "bureau" not in request.GET:
            return None
        if getattr(view_func, "login_not_required", False) or getattr(view_func, "cls", None) is not None:
            return None
        if request.path.startswith(("/api/", "/admin/")) or not can_see_counties(request.user):
            return None
        county_lens(request)
        return None

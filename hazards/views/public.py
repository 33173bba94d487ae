"""The public page of 挂牌督办 (no login): a bureau's current listings and the cases it published (曝光).

It shows the same to everyone, so it is rendered without the request (no user, no session, no CSRF token can reach
the HTML) and the rendered page is cached per bureau and page number (hazards.public). Requests are rate limited per
address, as the public report form is."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core.ratelimit import hit

from ..public import CACHE_SECONDS, PUBLIC_FIELDS, cache_version, public_bureau, public_listings, public_row

PER_PAGE = 20
RATE_LIMIT = (120, 60)  # pages per address per minute: a person reads far fewer; a scraper is slowed down
#: page numbers beyond this are read as the last page anyway; the bound keeps junk numbers out of the cache keys
MAX_PAGE = 10_000


def _page_number(value):
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_PAGE else 1


@login_not_required
@require_safe
def public_listed_hazards(request):
    limit, window = RATE_LIMIT
    if not hit(request, scope="public-listed", limit=limit, window_seconds=window):
        return HttpResponse("访问过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8")
    bureau = public_bureau(request.GET.get("bureau"))
    if bureau is None:
        raise Http404("没有找到该应急管理局。")
    number = _page_number(request.GET.get("page"))
    key = f"public-listed-hazards:{cache_version()}:{bureau.pk}:{number}"
    html = cache.get(key)
    if html is None:
        page = Paginator(public_listings(bureau_id=bureau.pk), PER_PAGE).get_page(number)
        html = render_to_string(
            "public/listed_hazards.html",
            {
                "bureau": bureau,
                "page": page,
                "rows": [public_row(listing) for listing in page],
                "labels": dict(PUBLIC_FIELDS),
                "query_string": f"bureau={bureau.public_key}",
                "generated_at": timezone.localtime(),
            },
        )
        cache.set(key, html, CACHE_SECONDS)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=60)
    return response

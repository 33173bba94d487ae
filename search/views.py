from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from core.errors import DomainError
from core.search import MAX_CHARS, search_words
from core.views import CappedPaginator

from .kinds import KINDS, KINDS_BY_KEY

PREVIEW = 5  # rows per kind on the overview
PER_PAGE = 20  # rows per page of one kind


def search_view(request):
    """`?q=` over every kind; `&kind=` pages one kind. Each kind costs a capped count and one page of rows, whatever
    the size of the ledgers."""
    text = request.GET.get("q", "")
    context = {"q": text.strip()[: MAX_CHARS * 2], "max_chars": MAX_CHARS, "groups": [], "kind": None}
    try:
        words = search_words(text)
    except DomainError as exc:
        context["error"] = exc.message if "q" in request.GET else ""
        return render(request, "search/results.html", context)
    chosen = KINDS_BY_KEY.get(request.GET.get("kind"))
    groups = []
    for kind in KINDS:
        paginator = CappedPaginator(kind.rows(user=request.user, words=words), PER_PAGE if kind is chosen else PREVIEW)
        group = {
            "kind": kind,
            "count": paginator.count,
            "capped": paginator.is_capped,
            "url": reverse("search") + "?" + urlencode({"q": context["q"], "kind": kind.key}),
        }
        if chosen is None or kind is chosen:
            page = paginator.get_page(request.GET.get("page") if kind is chosen else 1)
            group["page"] = page
            group["shown"] = True
            group["hits"] = [kind.hit(row) for row in page] if group["count"] else []
        groups.append(group)
    context.update(
        groups=groups,
        words=words,
        kind=chosen,
        total=sum(g["count"] for g in groups),
        query_string=urlencode({"q": context["q"], "kind": chosen.key}) if chosen else "",
    )
    return render(request, "search/results.html", context)

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.permissions import can_see_several_mines
from core.views import call_service, filtered, paginate, query_string_without_page

from ..permissions import can_keep_records


def list_page(request, *, filter_class, queryset, template, paginator_class=None, **extra):
    """A filtered, paged list; an invalid filter shows everything the user sees, with the filter's message."""
    record_filter, qs = filtered(request, filter_class, queryset)
    context = {
        "filter": record_filter,
        "page": paginate(request, qs, paginator_class=paginator_class or Paginator),
        "query_string": query_string_without_page(request),
        "can_write": can_keep_records(request.user),
        "show_mine": can_see_several_mines(request.user),
        **extra,
    }
    return render(request, template, context)


def form_page(request, form, service, *, title, done, then, cancel_url, help_text="", **kwargs):
    """A create form: on a valid post, the service with the cleaned data; a domain error shows on its field."""
    if request.method == "POST" and form.is_valid():
        result = call_service(form, service, actor=request.user, **kwargs, **form.cleaned_data)
        if result is not None:
            messages.success(request, done)
            return redirect(then(result))
    return render(
        request,
        "workforce/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "help_text": help_text},
    )

from django.core.paginator import Paginator
from django.shortcuts import render


class VisibleQuerysetMixin:
    """HTML counterpart of core.api.VisibleQuerysetMixin: list and detail views start from the rule."""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: for tables of millions (trips underground), where an exact count of a bureau's
    rows would cost more than the page itself. The page says “10,000+ 条”; narrowing the filter gives exact counts."""

    cap = 10_000

    @property
    def count(self):
        if not hasattr(self, "_capped_count"):
            # Unordered: which rows are counted does not matter, and an ORDER BY would make the database sort them.
            self._capped_count = self.object_list.order_by()[: self.cap + 1].count()
        return min(self._capped_count, self.cap)

    @property
    def is_capped(self):
        return self.count == self.cap and self._capped_count > self.cap


def paginate(request, queryset, per_page=20, paginator_class=Paginator):
    """A page of `queryset` for `?page=` (out-of-range pages give the last page, not an error)."""
    return paginator_class(queryset, per_page).get_page(request.GET.get("page"))


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_500(request):
    return render(request, "500.html", status=500)


def call_service(form, service, /, **kwargs):
    """Run a service for a valid form; a domain error becomes the form's error. Returns the result or None."""
    from .errors import DomainError

    try:
        return service(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def form_errors_text(form):
    """A form's errors as one Chinese sentence that names each field, for a message above the page."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error.rstrip('。')}" if label else error.rstrip("。"))
    return "；".join(parts) + "。"


def post_action(request, form, service, /, *, done, then, **kwargs):
    """A small form posted from a detail page: run the service with the cleaned data, say the outcome as a message
    (a bad field or a domain error in Chinese, nothing saved) and go back to the page `then`.

    `done` is the success message, or a function of the service's result that gives it."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .errors import DomainError

    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(then)
    try:
        result = service(**kwargs, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(then)


def xlsx_response(workbook, filename):
    from django.http import FileResponse

    from .excel import XLSX_CONTENT_TYPE, safe_filename, save_xlsx

    return FileResponse(
        save_xlsx(workbook),
        as_attachment=True,
        filename=f"{safe_filename(filename)}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def filtered(request, filter_class, queryset):
    """A list's FilterSet over `queryset` and the rows it keeps (all of `queryset` when the filter is invalid: the
    page then shows the filter's message, never an error)."""
    record_filter = filter_class(request.GET or None, queryset=queryset, request=request)
    valid = record_filter.is_bound and record_filter.is_valid()
    return record_filter, (record_filter.qs if valid else record_filter.queryset)


def export_title(request, what):
    """An export's title: the user's organisation, then what it is (县局/煤矿名 + 台账名)."""
    org = request.user.organization
    return f"{org.name if org else ''}{what}"


def query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def ledger_import_view(request, *, form_class, service, template_name, extra_context=None):
    """The import page of a ledger: upload, then the result or the row errors (nothing written on errors)."""
    from django.db import OperationalError

    from .errors import DATABASE_BUSY_MESSAGE, DomainError, is_database_busy
    from .ledger_import import ImportRejected

    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form, **(extra_context or {})}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = service(
                actor=request.user,
                mine=form.cleaned_data["mine"],
                upload=form.cleaned_data["file"],
                only_valid_rows=form.cleaned_data["only_valid_rows"],
            )
        except ImportRejected as exc:
            context.update(rejected=exc.message, errors=exc.errors)
        except DomainError as exc:
            form.add_error("file", exc.message)
        except OperationalError as exc:
            if not is_database_busy(exc):
                raise
            form.add_error(None, DATABASE_BUSY_MESSAGE)  # nothing was written: the same file can be sent again
            status = 409
        else:
            context.update(result=result, errors=result.errors)
    return render(request, template_name, context, status=status)


def list_page(request, *, filter_class, queryset, template, paginator_class=None, **extra):
    """A filtered, paged list page; an invalid filter shows everything the user sees, with the filter's message.
    `extra` is the page's own context (what the user may do there, which columns to show)."""
    record_filter, qs = filtered(request, filter_class, queryset)
    context = {
        "filter": record_filter,
        "page": paginate(request, qs, paginator_class=paginator_class or Paginator),
        "query_string": query_string_without_page(request),
        **extra,
    }
    return render(request, template, context)


def form_page(request, form, service, *, template, title, done, then, cancel_url, help_text="", **kwargs):
    """A create form page: on a valid post, the service with the cleaned data and the signed-in user as `actor`; a
    domain error shows on its field, nothing saved. `then(result)` is where to go after."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if request.method == "POST" and form.is_valid():
        result = call_service(form, service, actor=request.user, **kwargs, **form.cleaned_data)
        if result is not None:
            messages.success(request, done)
            return redirect(then(result))
    return render(request, template, {"form": form, "title": title, "cancel_url": cancel_url, "help_text": help_text})


def run_form_service(form, service, /, **kwargs):
    """Like `call_service`, with the status the page answers: (result, 200) when done; (None, status) when refused,
    the message on the form — 403 not permitted, 404 not visible, 409 a state or a newer version forbids it, 200 a
    bad value (the form shown again, as every form does)."""
    from .errors import DomainError

    try:
        return service(**kwargs), 200
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None, exc.status if exc.status in (403, 404, 409) else 200

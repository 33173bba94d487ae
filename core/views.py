from django.contrib.auth.decorators import login_not_required
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


def paginate(request, queryset, per_page=20, paginator_class=Paginator, known_count=None):
    """A page of `queryset` for `?page=` (out-of-range pages give the last page, not an error). With
    core.paging.KeysetPaginator (the bureau-wide ledgers): numbered pages while the list is small, `?cursor=` pages
    once it is not; a bad cursor is a 400 page with a Chinese message; `known_count`: the exact count when something
    cheaper than counting knows it (core.counts.figures_counter), else the list's count is estimated past a size."""
    from .paging import KeysetPaginator, keyset_page

    if issubclass(paginator_class, KeysetPaginator):
        return keyset_page(request, queryset, per_page, known_count=known_count)
    return paginator_class(queryset, per_page).get_page(request.GET.get("page"))


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    # PermissionDenied("…") carries the Chinese reason the page gives (why this user may not do this here).
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


#: what a user who may write nothing (the leadership group, a regulator above the county) reads when it tries to
READ_ONLY_REASON = "您的账号只能查看，不能登记、修改、审核或删除。"


def refused(request, reason=READ_ONLY_REASON):
    """The 403 page with its Chinese reason: a write (or a form leading to one) the user may not make. Never a redirect
    with a message, which reads as if something had been tried and had merely failed."""
    if wants_json(request):
        from django.http import JsonResponse

        return JsonResponse({"detail": reason, "code": "not_permitted"}, status=403, json_dumps_params=CHINESE_JSON)
    return render(request, "403.html", {"reason": reason}, status=403)


CHINESE_JSON = {"ensure_ascii": False}


def wants_json(request):
    """The client asked for JSON (`Accept: application/json`): the offline capture sending its queue, not a browser
    page."""
    return "application/json" in request.headers.get("Accept", "")


def capture_answer(request, form, create, /, *, url_name, done):
    """The JSON answer of a capture form (hazard, 三违) posted by static/js/offline.js: 201 with the new record's id and
    page; 422 with `{"errors": {field: [message]}}` for a bad field; a domain rule's refusal with its Chinese message
    (403 not permitted, 404 not visible, 409 otherwise), on its field when it names one. `create()` runs the service
    for the valid form; `done(record)` is the success message shown on the page the client opens next."""
    from django.contrib import messages
    from django.http import JsonResponse
    from django.urls import reverse

    from .errors import DomainError

    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        body = {"errors": errors, "detail": form_errors_text(form)}
        return JsonResponse(body, status=422, json_dumps_params=CHINESE_JSON)
    try:
        record = create()
    except DomainError as exc:
        status = exc.status if exc.status in (403, 404) else 409
        field = exc.field if exc.field in form.fields else "__all__"
        return JsonResponse(
            {"errors": {field: [exc.message]}, "detail": exc.message}, status=status, json_dumps_params=CHINESE_JSON
        )
    messages.success(request, done(record))
    url = reverse(url_name, args=[record.pk])
    response = JsonResponse({"id": record.pk, "url": url}, status=201)
    response["Location"] = url
    return response


def writers_only(view):
    """For a page that writes (or is a form leading only to a write): a user who may write nothing at all
    (accounts.permissions.can_write: the leadership group, the regulators above the county) gets the 403 page, before
    any form is read — the page counterpart of the API's guard. Who else may write *this* stays each service's
    rule (refused as a message on the page, tests/core/test_error_statuses.py)."""
    from functools import wraps

    from .permissions import may

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may(request.user, "accounts.write"):
            return refused(request)
        return view(request, *args, **kwargs)

    return wrapped


def error_400(request, exception=None):
    # Our own refusals of a request (a paging cursor that does not decode) say why, in Chinese; Django's own stay
    # generic.
    message = getattr(exception, "user_message", "")
    first_page = f"{request.path}?{query_string_without_page(request)}" if message else ""
    return render(request, "400.html", {"message": message, "first_page": first_page}, status=400)


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


def post_action(request, form, service, /, *, done, then, regulator_write=False, **kwargs):
    """A small form posted from a detail page: run the service with the cleaned data, say the outcome as a message
    (a bad field or a domain error in Chinese, nothing saved) and go back to the page `then`.

    `done` is the success message, or a function of the service's result that gives it. `regulator_write`: one of
    the few writes a regulator above the county makes of its own (reviewing what its counties send it, writing at its
    own inspection), which the view has already checked by its own predicate — the page counterpart of an API
    viewset's `regulator_actions`."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .errors import DomainError
    from .permissions import may

    # A user who may write nothing is refused before its form is read: 403, whatever it sent.
    if not (
        may(request.user, "accounts.write") or (regulator_write and may(request.user, "accounts.write_above_county"))
    ):
        return refused(request)
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


def docx_response(document, filename):
    """A Word document made by core.documents (the one place .docx files are laid out) as a download."""
    from django.http import FileResponse

    from .documents import DOCX_CONTENT_TYPE
    from .excel import safe_filename

    return FileResponse(
        document, as_attachment=True, filename=f"{safe_filename(filename)}.docx", content_type=DOCX_CONTENT_TYPE
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


#: the most rows a print view lists: a bureau's whole ledger would be tens of thousands of pages
PRINT_MAX_ROWS = 3000


def ledger_print_page(request, *, title, columns, rows, back_url="", filter_text=""):
    """The print view of a ledger: every row of the current filter, not the page of 20 on screen, numbered (序号),
    with the export's columns (those `printed`), on A4 landscape with the header repeated on each printed page and
    the 填报人/审核人 lines below (templates/ledger_print.html, static/css/print.css).

    `rows` is what the export writes: a queryset of the rows the user may see under the filter, as `columns` read
    them (values or instances with what they show selected). It is sliced to PRINT_MAX_ROWS + 1, so the page costs
    one query for the rows whatever their number; beyond the limit it lists the first ones and says so. A batch of
    selected rows prints the same way: pass them as `rows`."""
    from django.utils import timezone

    from .excel import SIGNATURE_LINE

    limit = PRINT_MAX_ROWS
    fetched = list(rows[: limit + 1])
    capped = len(fetched) > limit
    fetched = fetched[:limit]
    shown = [c for c in columns if c.printed]
    number_width = 7  # four digits and the padding: the limit is in the thousands
    total = number_width + sum(c.width for c in shown)
    return render(
        request,
        "ledger_print.html",
        {
            "title": title,
            "headers": [(c.header, round(c.width * 100 / total, 2)) for c in shown],
            "number_width": round(number_width * 100 / total, 2),
            "rows": [[_print_cell(c.value(row)) for c in shown] for row in fetched],
            "count": len(fetched),
            "capped": capped,
            "limit": limit,
            "filter_text": filter_text,
            "back_url": back_url,
            "printed_at": timezone.localtime(),
            "signatures": SIGNATURE_LINE,
        },
    )


#: the longest text kept on one line on paper: a state (待整改), a level (一般B级), a kind (科队周查), a name
PRINT_WHOLE_CHARS = 4


def _print_cell(value):
    """(text, whole): `whole` keeps a date, a figure or a short word on one line on paper, so the free text columns
    wrap instead of breaking 2026-11-/02, 待整/改 or a name."""
    import datetime as dt
    from decimal import Decimal

    text = printable(value)
    whole = isinstance(value, dt.date | dt.time | int | float | Decimal) or len(text) <= PRINT_WHOLE_CHARS
    return text, whole


def printable(value):
    """A cell of a printed ledger as text: dates as 2026-03-05, times in local time, no "None"."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return str(value)


def filter_summary(record_filter):
    """What a bound, valid filter keeps, in words (煤矿：东峰煤矿；等级：重大), for the printed page's heading."""
    import datetime as dt

    form = record_filter.form
    if not record_filter.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(value, bool):
            choices = dict(getattr(field.widget, "choices", ()))
            text = choices.get("true" if value else "false") or ("是" if value else "否")
        elif isinstance(value, dt.date):
            text = f"{value:%Y-%m-%d}"
        elif getattr(field, "choices", None) and not hasattr(value, "pk"):
            text = dict(field.choices).get(value, value)
        else:
            text = value
        parts.append(f"{field.label}：{text}")
    return "；".join(parts)


def query_string_without_page(request):
    """The list's query string without its position (`page`, `cursor`): the filter, for links and exports."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    return params.urlencode()


def ledger_import_view(request, *, form_class, service, template_name, kind, batches_url, extra_context=None):
    """The import page of a ledger, in two steps: upload → preview (rows to add, skipped, in error, warnings; the
    columns mapped by hand when one is not recognised) → confirm, which writes what the preview showed or nothing.
    The file waits on the server between the steps (core.ledger_import.pending_*), found by a random token of the
    user's. `kind`: the ledger (core.models.LedgerKind), whose batches are listed at `batches_url`."""
    from django.db import OperationalError

    from .errors import DATABASE_BUSY_MESSAGE, is_database_busy

    step = (request.POST.get("step") or "upload") if request.method == "POST" else None
    # The upload form is bound to an upload's post only: a confirm's (or a cancel's) carries no file, and bound to it
    # the form beside the page's message said its file was missing.
    bound = step == "upload"
    form = form_class(request.POST if bound else None, request.FILES if bound else None, user=request.user)
    context = {"form": form, "batches_url": batches_url, **(extra_context or {})}
    if step is None:
        return render(request, template_name, context)
    page = _ImportPage(request, service, kind, context)
    try:
        if step == "upload":
            return page.upload(form, template_name)
        return page.after_upload(step, template_name)
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        # nothing was written: the same file can be sent again
        if form.is_bound:
            form.add_error(None, DATABASE_BUSY_MESSAGE)
        else:
            context["message"] = DATABASE_BUSY_MESSAGE
        return render(request, template_name, context, status=409)


class _ImportPage:
    """The steps of ledger_import_view after the first render."""

    def __init__(self, request, service, kind, context):
        self.request, self.service, self.kind, self.context = request, service, kind, context

    def upload(self, form, template_name):
        from .errors import DomainError
        from .ledger_import import pending_discard, pending_store

        if not form.is_valid():
            return render(self.request, template_name, self.context)
        pending = pending_store(
            user=self.request.user, mine=form.cleaned_data["mine"], kind=self.kind, upload=form.cleaned_data["file"]
        )
        try:
            return self.preview(pending, template_name, only_valid_rows=form.cleaned_data["only_valid_rows"])
        except DomainError as exc:
            pending_discard(pending)
            form.add_error("file", exc.message)
            return render(self.request, template_name, self.context)

    def after_upload(self, step, template_name):
        from django.http import Http404

        from .errors import NotFound
        from .ledger_import import pending_discard, pending_find

        post = self.request.POST
        try:
            pending = pending_find(user=self.request.user, kind=self.kind, token=post.get("token"))
        except NotFound as exc:
            if step == "cancel":
                raise Http404 from exc
            message = exc.message
            if step == "confirm":
                # A confirm sent again once the first had written the file finds nothing kept: say where it went.
                message = "预览已过期或不存在：如果刚才已确认导入，请在导入记录中查看；否则请重新上传文件。"
            self.context["message"] = message
            return render(self.request, template_name, self.context, status=404)
        only_valid_rows = post.get("only_valid_rows") in ("on", "true", "1")
        if step == "cancel":
            pending_discard(pending)
            return redirect_to_self(self.request)
        if step == "remap":
            return self.preview(pending, template_name, only_valid_rows=only_valid_rows, show_mapping=True)
        if step == "map":
            return self.map(pending, template_name, only_valid_rows)
        if step == "confirm":
            return self.confirm(pending, template_name, only_valid_rows)
        # Only a hand-made post gets here: the page again with the reason, the kept file left for a real step.
        self.context["message"] = "未知的操作，请用页面上的按钮继续。"
        return render(self.request, template_name, self.context, status=400)

    def _dry_run(self, pending, only_valid_rows):
        from .ledger_import import pending_upload

        return self.service(
            actor=self.request.user,
            mine=pending.mine,
            upload=pending_upload(pending),
            only_valid_rows=only_valid_rows,
            dry_run=True,
            mapping=pending.mapping,
            use_remembered_mapping=not pending.mapped_by_hand,
            file_name=pending.file_name,
        )

    def preview(self, pending, template_name, *, only_valid_rows, show_mapping=False, status=200, message=None):
        """Read the kept file again and show what a confirm would write (or the mapping form when a required column
        is not recognised); the plan's digest is kept for the confirm."""
        from .excel import MissingColumns

        self.context.update(token=pending.token, pending=pending, only_valid_rows=only_valid_rows, message=message)
        try:
            result = self._dry_run(pending, only_valid_rows)
        except MissingColumns as exc:
            self.context["mapping_form"] = _mapping_form(
                columns=exc.columns, headers=exc.headers, by_hand=pending.mapping, found=exc.found, missing=exc.missing
            )
            self.context["mapping_message"] = exc.message
            return render(self.request, template_name, self.context, status=status)
        pending.digest = result.digest
        pending.save(update_fields=["digest"])
        self.context["preview"] = result
        if show_mapping:
            self.context["mapping_form"] = _mapping_form(
                columns=result.columns, headers=result.sheet_headers, by_hand=result.mapping, found=result.headers
            )
        return render(self.request, template_name, self.context, status=status)

    def map(self, pending, template_name, only_valid_rows):
        """The columns mapped by hand on the page: they replace the remembered ones (kept at the confirm)."""
        from .errors import DomainError

        chosen = {}
        for key, header in self.request.POST.items():
            if key.startswith("map_") and header:
                if header in chosen:
                    message = f"表中的列“{header}”被对应到了两个项目，一列只能对应一个项目。"
                    return self.preview(
                        pending,
                        template_name,
                        only_valid_rows=only_valid_rows,
                        show_mapping=True,
                        status=400,
                        message=message,
                    )
                chosen[header] = key.removeprefix("map_")
        before = (pending.mapping, pending.mapped_by_hand)
        pending.mapping, pending.mapped_by_hand = chosen, True
        try:
            self._dry_run(pending, only_valid_rows)  # a mapping the file cannot take is refused before it is kept
        except DomainError as exc:
            from .excel import MissingColumns

            if not isinstance(exc, MissingColumns):
                pending.mapping, pending.mapped_by_hand = before
                return self.preview(
                    pending,
                    template_name,
                    only_valid_rows=only_valid_rows,
                    show_mapping=True,
                    status=400,
                    message=exc.message,
                )
        pending.save(update_fields=["mapping", "mapped_by_hand"])
        return self.preview(pending, template_name, only_valid_rows=only_valid_rows)

    def confirm(self, pending, template_name, only_valid_rows):
        from .errors import DomainError
        from .ledger_import import ImportRejected, pending_upload

        try:
            result = self.service(
                actor=self.request.user,
                mine=pending.mine,
                upload=pending_upload(pending),
                only_valid_rows=only_valid_rows,
                mapping=pending.mapping,
                use_remembered_mapping=not pending.mapped_by_hand,
                file_name=pending.file_name,
                expect_digest=pending.digest,
                pending=pending,  # let go with the rows' write (core.ledger_import.pending_claim)
            )
        except DomainError as exc:
            if not type(pending).objects.filter(pk=pending.pk).exists():
                # The kept file went while this confirm ran: most often the same confirm sent twice (the first one
                # imported it and let it go with its rows: AlreadyImported, or a plan changed by the first's rows),
                # else its preview expired meanwhile — the page cannot tell which.
                message = (
                    "该文件已经导入（“确认导入”可能点了两次）或预览已过期：请在导入记录中查看，未导入的请重新上传。"
                )
                self.context["message"] = message
                return render(self.request, template_name, self.context, status=409)
            if isinstance(exc, ImportRejected):
                # The page again with the reason, as a form with errors is (200): the user decides what to do.
                return self.preview(pending, template_name, only_valid_rows=only_valid_rows, message=exc.message)
            # PreviewChanged (409): the ledger changed since the preview, which is shown again as it now stands.
            return self.preview(
                pending, template_name, only_valid_rows=only_valid_rows, status=exc.status, message=exc.message
            )
        self.context.update(result=result, errors=result.errors, warnings=result.warnings)
        return render(self.request, template_name, self.context)


def redirect_to_self(request):
    from django.shortcuts import redirect

    return redirect(request.path)


def _mapping_form(*, columns, headers, by_hand, found, missing=()):
    """The rows of the column-mapping form: each ledger field with the sheet header chosen for it by hand (if any),
    the one recognised by name, and whether it is required and still missing."""
    chosen = {field: header for header, field in (by_hand or {}).items()}
    missing_fields = {name for name, _ in missing}
    return {
        "headers": headers,
        "rows": [
            {
                "field": name,
                "label": label,
                "required": required,
                "missing": name in missing_fields,
                "chosen": chosen.get(name, ""),
                "found": "" if name in chosen else (found or {}).get(name, ""),
            }
            for name, label, required in columns
        ],
    }


def import_batches_view(
    request,
    *,
    kind,
    title,
    import_url,
    list_url,
    permission,
    undo_url_name,
    notes=None,
    list_label="返回台账",
    undo_also="",
):
    """A ledger's import batches as the user may see them (scoped like the ledger), newest first, with 撤销 where the
    user may import into the batch's mine, may take this one back (ImportBatch.may_be_undone_by) and the day is not
    over. `notes(batches)` → {batch id: text}: what the
    ledger says of each batch of the page besides its counts (in one query, whatever the page's length); `undo_also`:
    what else an undo removes, said under the title."""

    from .models import ImportBatch

    batches = (
        ImportBatch.objects.visible_to(request.user)
        .filter(kind=kind)
        .select_related("mine", "created_by", "undone_by")
        .order_by("-created_at", "-id")
    )
    page = paginate(request, batches)
    page.object_list = list(page.object_list)
    said = notes(page.object_list) if notes is not None else {}
    for batch in page.object_list:
        batch.note = said.get(batch.pk, "")
        batch.undoable_by_user = batch.may_be_undone_by(request.user)
    context = {
        "page": page,
        "title": title,
        "import_url": import_url,
        "list_url": list_url,
        "list_label": list_label,
        "undo_also": undo_also,
        "permission": permission,
        "undo_url_name": undo_url_name,
    }
    return render(request, "import_batches.html", context)


def import_batch_undo_view(request, pk, *, service, then):
    """POST: undo the batch (the service decides: 404 not yours, 403 may not, 409 too late or worked on since)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.shortcuts import redirect

    from .errors import InvalidState, NotFound, NotPermitted

    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    try:
        batch = service(actor=request.user, batch_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidState as exc:
        return render(request, "import_undo_refused.html", {"message": exc.message, "back_url": then}, status=409)
    beside = "".join(f"，以及随之新建的{what} {n} 个" for what, n in getattr(batch, "removed_beside", []))
    messages.success(request, f"已撤销导入“{batch.file_name}”：删除了该批导入的 {batch.created_count} 条记录{beside}。")
    return redirect(then)


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


def offered_only_to(permission, reason):
    """For a page that is itself a form to change something (登记、导入、修改): a user the rule `permission`
    ("app.action", core.permissions.may, asked without an object) refuses gets 403 with `reason`, not a form whose
    every post would be refused (tests/core/test_pages_offer_only_what_may.py)."""
    from functools import wraps

    from .permissions import may

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, permission):
                return render(request, "403.html", {"reason": reason}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@login_not_required
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves wherever a page names no icon (the admin, the API docs, a
    download): the product's icon (static/favicon.ico, drawn from static/favicon.svg), public, cached for a day."""
    from django.conf import settings
    from django.http import HttpResponse

    path = settings.BASE_DIR / "static" / "favicon.ico"
    response = HttpResponse(path.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


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

"""No lost updates (optimistic concurrency), one mechanism for every edited record.

Each such model carries `row_version`, a counter raised by every save of an existing row. A page or an API client
names the counter it was based on (a hidden form field, `If-Match`, or a body `row_version`); the service compares it
under the row lock it already takes, and a stale write is refused with what changed since, by whom and when, instead
of silently putting back what the other person had just changed.

Not to be confused with `Submission.versions_submitted` (the API's `version`): how many versions a unit has sent.
"""

from django import forms
from django.db import models
from django.utils import timezone
from rest_framework.exceptions import APIException

from .errors import StaleEdit

#: fields that change without anyone editing them: never listed as "what changed"
NOT_EDITS = {"row_version", "updated_at", "fingerprint", "campaign"}

STALE_PAGE = "页面已过期，请刷新后重新填写。"


class RowVersioned(models.Model):
    """An abstract base for the models people edit: the counter, raised on every save of an existing row.

    Every write of these models happens in a service holding the row lock (select_for_update), so the increment in
    Python cannot race; `update_fields` saves get the counter added to what they write."""

    row_version = models.PositiveIntegerField(
        "修改版本号", default=1, editable=False, help_text="每次保存加 1；修改时用于发现他人已改过"
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.row_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "row_version"}
        super().save(*args, **kwargs)


def check_row_version(obj, expected, *, fields=None):
    """Refuse (StaleEdit) a write based on `expected` when `obj` (read under the row lock) is at another version.

    `expected` None means the caller did not say (an API client without If-Match, a script): the write goes ahead
    as it always did. `fields` limits the "what changed" list to the fields the caller's form shows."""
    if expected is None or int(expected) == obj.row_version:
        return
    raise StaleEdit(stale_message(obj, int(expected), fields=fields))


def stale_message(obj, expected, *, fields=None):
    """“该隐患已被 张三 于 11月29日 10:02 修改（整改措施、整改期限），请刷新后重新编辑。” — from the audit trail when
    the model keeps one (the record the user saw against the current one), else without the details."""
    noun = obj._meta.verbose_name
    history = getattr(type(obj), "history", None)
    if history is None:
        return f"该{noun}已被他人修改，请刷新后重新编辑。"
    records = list(
        obj.history.filter(row_version__gte=expected)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    seen = next((r for r in records if r.row_version == expected), None)
    later = [r for r in records if r.row_version > expected]
    if not later:
        return f"该{noun}已被他人修改，请刷新后重新编辑。"
    latest = later[-1]
    names = []
    for record in later:
        name = record.history_user.display_name if record.history_user else "系统"
        if name not in names:
            names.append(name)
    when = timezone.localtime(latest.history_date)
    changed = ""
    if seen is not None:
        delta = latest.diff_against(seen, excluded_fields=NOT_EDITS)
        labels = [
            str(obj._meta.get_field(c.field).verbose_name) for c in delta.changes if fields is None or c.field in fields
        ]
        if labels:
            changed = f"（{'、'.join(labels)}）"
    return (
        f"该{noun}已被 {'、'.join(names)} 于 {when.month}月{when.day}日 {when:%H:%M} 修改{changed}，请刷新后重新编辑。"
    )


# ------------------------------------------------------------------ pages


class RowVersionFormMixin:
    """A form that carries, hidden, the `row_version` the page was rendered with (put it before the form class).

    The field is there when the form edits an existing record: a model form's saved instance, or `row_version=`
    (the record's current one, given both when showing the page and when reading the post). A creating form has
    none. The view passes `form.cleaned_data["row_version"]` on to the service, which checks it. Missing from a post
    (a page from before), it is a plain Chinese error asking to reload, never a silent overwrite."""

    def __init__(self, *args, row_version=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if row_version is None and instance is not None and instance.pk:
            row_version = instance.row_version
        if row_version is not None:
            self.fields["row_version"] = forms.IntegerField(
                label="", widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, initial=row_version
            )

    def clean(self):
        cleaned = super().clean()
        if "row_version" in self._errors:
            # A hidden field's error would not be shown next to anything: say it above the form.
            del self._errors["row_version"]
            self.add_error(None, STALE_PAGE)
        return cleaned


# ------------------------------------------------------------------ API


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "If-Match 无效：请使用读取该记录时返回的 ETag。"
    default_code = "precondition_failed"


def etag(row_version):
    return f'"{row_version}"'


class RowVersionAPIMixin:
    """For the API views over RowVersioned models: detail and write answers carry `ETag: "<row_version>"` (when the
    serializer shows `row_version`), and `expected_row_version()` reads what the client based its write on.

    A write without If-Match (nor body `row_version`) works as before; with a stale one the service refuses it and
    the exception handler answers 412 (If-Match) or 409 (body), with the Chinese message."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if 200 <= response.status_code < 300 and isinstance(data, dict) and "row_version" in data:
            response["ETag"] = etag(data["row_version"])
        return response

    def expected_row_version(self, obj, data=None):
        """From If-Match (any of its tags; "*" is any version, leaving the body's to check), else from the validated
        body's `row_version` (popped from `data`), else None (no check).

        If-Match compares strongly (RFC 9110 §13.1.1): a weak tag `W/"3"` never matches, and only ASCII digits make
        a version (`"²"` is a digit to Python's isdigit, not to int)."""
        body = data.pop("row_version", None) if data is not None else None
        header = self.request.headers.get("If-Match")
        if not header:
            return body
        tags = [tag.strip() for tag in header.split(",") if tag.strip()]
        if "*" in tags:
            return body
        versions = []
        for tag in tags:
            value = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else ""
            if not (value.isascii() and value.isdigit()) or len(value) > 9:
                raise PreconditionFailed()
            versions.append(int(value))
        if not versions:
            raise PreconditionFailed()
        return obj.row_version if obj.row_version in versions else versions[0]

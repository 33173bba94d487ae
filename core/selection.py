"""Rows ticked on a list page (`?ids=1&ids=2`), read through the list's own queryset: an id the user may not see is
left out, as if never sent; when none of them is visible the answer is 404, as for any object that is not the user's."""

from django.http import Http404

from .errors import DomainError

MAX_SELECTED = 500  # far more than a page shows; a bound on the size of the IN (…) list


class NothingSelected(DomainError):
    """No row was ticked (or the ids were not ids): the page says so in Chinese and goes back to the list."""


def selected_ids(params):
    """The distinct positive integer ids in `params.getlist("ids")`, in the order given."""
    ids = {}  # a dict keeps the order given
    for value in params.getlist("ids"):
        for part in str(value).split(","):
            part = part.strip()
            # ASCII digits only (“²” is a digit to Python, not to int()); 18 of them at most, within a bigint
            if part.isascii() and part.isdigit() and len(part) <= 18 and int(part) > 0:
                ids[int(part)] = None
        if len(ids) > MAX_SELECTED:
            break
    ids = list(ids)
    if not ids:
        raise NothingSelected("请先勾选要处理的记录。")
    if len(ids) > MAX_SELECTED:
        raise NothingSelected(f"一次最多选择 {MAX_SELECTED} 条记录，请分批处理。")
    return ids


def selected_rows(queryset, params):
    """`queryset` (already the user's visible rows) narrowed to the ticked ids; Http404 when none is among them."""
    rows = queryset.filter(pk__in=selected_ids(params))
    if not rows.exists():
        raise Http404("所选记录不存在或无权查看。")
    return rows

"""One paginator for lists of any size, pages and API alike: numbered pages while the list is small, keyset pages
(no OFFSET) once it is not.

A list's key is its selector's ordering — a time column then the id, newest first (`-found_on, -id`) — and an index
of the same shape lets the database start a page at any position as cheaply as at the top. A position travels as an
opaque `cursor` (the key of the last row shown, or of the first when going back). It only says where to start: the
rows always come from the user's own queryset (the visibility rule and the current filter), so a cursor copied from
another user or another filter shows nothing it would not show anyway; a cursor that does not decode is a 400 with a
Chinese message, never a 500.

Counting a bureau's million rows costs more than the page. The count is exact below
`settings.LIST_EXACT_COUNT_BELOW` (counted, at most that many rows read) and otherwise the planner's estimate
(PostgreSQL's EXPLAIN of the same query, made on the first page and reused by the next ones for a minute:
`estimate_rows`), shown as such: “约 1,000,000 条” on the page, `count_is_estimate` in the API. SQLite has no usable
estimate: there the count is always exact (its lists are a county's at most).
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import F, Q, Value
from django.db.models.lookups import GreaterThan, LessThan

from .errors import DomainError

BAD_CURSOR = "翻页位置无效（链接可能被改动或已失效），请回到第一页重新浏览。"
#: a cursor is a few dozen characters; anything much longer was not made here
CURSOR_MAX_CHARS = 200
BIGINT_MAX = 2**63 - 1


class BadCursor(DomainError):
    """The `cursor` parameter is not one this site made (the API answers 400 with the message)."""

    def __init__(self, message=BAD_CURSOR):
        super().__init__(message)


class BadCursorRequest(BadRequest):
    """A page's bad cursor: the 400 page shows `user_message` (core.views.error_400)."""

    def __init__(self, message=BAD_CURSOR):
        super().__init__(message)
        self.user_message = message


def exact_count_below():
    return settings.LIST_EXACT_COUNT_BELOW


class _Row(models.Func):
    """A row value `(a, b)`: PostgreSQL compares it against another in one index condition (SQLite ≥ 3.15 too)."""

    template = "(%(expressions)s)"
    output_field = models.Field()


@dataclass(frozen=True)
class _Part:
    name: str  # the field's attname
    field: models.Field

    def to_json(self, value):
        if value is None:
            return None
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return value

    def from_json(self, raw):
        """The value of a decoded cursor, checked as strictly as the field stores it: anything else is BadCursor."""
        if raw is None:
            if not self.field.null:
                raise BadCursor
            return None
        if isinstance(self.field, models.DateTimeField):
            value = self._parse(raw, str)
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                raise BadCursor
            return value
        if isinstance(self.field, models.DateField):
            value = self._parse(raw, str)
            if isinstance(value, dt.datetime):
                raise BadCursor
            return value
        if isinstance(self.field, models.IntegerField | models.AutoField):
            if type(raw) is not int or not -BIGINT_MAX <= raw <= BIGINT_MAX:
                raise BadCursor
            return raw
        return self._parse(raw, str)

    def _parse(self, raw, kind):
        if not isinstance(raw, kind):
            raise BadCursor
        try:
            return self.field.to_python(raw)
        except (ValidationError, ValueError, TypeError, OverflowError) as exc:
            raise BadCursor from exc


class Key:
    """The ordering of a list as keyset parts: every part in the same direction, the last one unique (the id)."""

    def __init__(self, model, ordering):
        names = []
        for item in ordering:
            if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
                raise ImproperlyConfigured(f"{model.__name__}: keyset ordering needs plain field names, not {item!r}")
            names.append(item)
        if not names or names[-1].lstrip("-") not in ("id", "pk"):
            raise ImproperlyConfigured(f"{model.__name__}: a keyset ordering ends with the id, got {ordering!r}")
        directions = {name.startswith("-") for name in names}
        if len(directions) != 1:
            raise ImproperlyConfigured(f"{model.__name__}: a keyset ordering runs one way, got {ordering!r}")
        self.descending = directions.pop()
        self.parts = []
        for name in names:
            field = model._meta.pk if name.lstrip("-") == "pk" else model._meta.get_field(name.lstrip("-"))
            self.parts.append(_Part(field.attname, field))
        if any(part.field.null for part in self.parts[1:]):
            raise ImproperlyConfigured(f"{model.__name__}: only the first part of a keyset ordering may be empty")

    @classmethod
    def of(cls, queryset):
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        return cls(queryset.model, ordering)

    @property
    def nullable(self):
        return self.parts[0].field.null

    def order_by(self, *, reverse=False):
        """The ordering, or its reverse (to read the rows before a position). An empty first part comes first when
        newest first (PostgreSQL's own order for DESC, made explicit so SQLite agrees) and last the other way."""
        descending = self.descending != reverse
        terms = []
        for part in self.parts:
            column = F(part.name)
            if part.field.null:
                terms.append(column.desc(nulls_first=True) if descending else column.asc(nulls_last=True))
            else:
                terms.append(column.desc() if descending else column.asc())
        return terms

    def values(self, row):
        return [getattr(row, part.name) for part in self.parts]

    def after(self, values, *, reverse=False):
        """A Q for the rows strictly after `values` in the list's order (before them with `reverse`)."""
        forward = self.descending != reverse  # True: towards smaller values
        compare = LessThan if forward else GreaterThan
        columns = _Row(*[F(part.name) for part in self.parts])
        given = _Row(*[Value(v, output_field=part.field) for part, v in zip(self.parts, values, strict=True)])
        if not self.nullable:
            return Q(compare(columns, given))
        first = self.parts[0].name
        rest = self.parts[1:]
        rest_columns = _Row(*[F(part.name) for part in rest]) if len(rest) > 1 else F(rest[0].name)
        rest_values = [Value(v, output_field=part.field) for part, v in zip(rest, values[1:], strict=True)]
        rest_given = _Row(*rest_values) if len(rest) > 1 else rest_values[0]
        # The empty first parts come first when newest first ("forward" with a descending key) and last otherwise.
        empty_first = self.descending
        if values[0] is None:
            among_empty = Q(**{f"{first}__isnull": True}) & Q(compare(rest_columns, rest_given))
            if forward == empty_first:
                return among_empty | Q(**{f"{first}__isnull": False})
            return among_empty
        # A row value with an empty part compares as unknown (no row), so the filled ones need no check of their own.
        past = Q(compare(columns, given))
        if forward == empty_first:
            return past
        return past | Q(**{f"{first}__isnull": True})

    def encode(self, values, direction):
        payload = {"k": [part.to_json(v) for part, v in zip(self.parts, values, strict=True)], "d": direction}
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def decode(self, cursor):
        """(values, direction) of a cursor made by `encode`; BadCursor for anything else."""
        if not isinstance(cursor, str) or not cursor or len(cursor) > CURSOR_MAX_CHARS:
            raise BadCursor
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload = json.loads(raw.decode())
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise BadCursor from exc
        if not isinstance(payload, dict) or set(payload) != {"k", "d"} or payload["d"] not in ("n", "p"):
            raise BadCursor
        values = payload["k"]
        if not isinstance(values, list) or len(values) != len(self.parts):
            raise BadCursor
        return [part.from_json(v) for part, v in zip(self.parts, values, strict=True)], payload["d"]


#: how long the planner's estimate of a list (its scope and filter) serves the pages after the first: it only sets
#: “约 N 条” (two significant figures) and whether rows are counted, so a minute-old one says the same
ESTIMATE_SECONDS = 60


def estimate_rows(queryset, *, reuse=False):
    """The planner's estimate of how many rows `queryset` has (one EXPLAIN, nothing read); None where there is none
    (SQLite). Each estimate made is kept ESTIMATE_SECONDS under the query's own SQL; `reuse` (the pages reached by a
    cursor) takes the kept one instead of asking again, so paging on costs no EXPLAIN per page.

    The key is made here from the compiled query — the visibility rule's condition and the filter included — never
    from anything the request carries: an estimate only ever serves the same user's same list."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    query = queryset.order_by().values("pk")
    sql, params = query.query.sql_with_params()
    key = "paging:estimate:" + hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    estimate = cache.get(key) if reuse else None
    if estimate is None:
        plan = json.loads(query.explain(format="json"))
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        cache.set(key, estimate, ESTIMATE_SECONDS)
    return estimate


def round_estimate(n):
    """Two significant figures: an estimate says “about”, not a figure to the row (998,734 → 1,000,000)."""
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return round(n / scale) * scale


class KeysetPage:
    """A page read at a position: iterable like a Django Page; `keyset` tells the shared paging partial which links
    to draw (首页 · 上一页 · 下一页 with cursors; no page numbers, no 末页)."""

    keyset = True

    def __init__(
        self, rows, *, has_next, has_previous, key, count, count_is_estimate, per_page, count_is_lower_bound=False
    ):
        self.object_list = rows
        self.has_next_page = has_next
        self.has_previous_page = has_previous
        self.key = key
        self.count = count
        self.count_is_estimate = count_is_estimate
        # counted past the threshold although the estimate was below it: "more than the threshold" is all that is known
        self.count_is_lower_bound = count_is_lower_bound
        self.per_page = per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __bool__(self):
        return True  # a page, even an empty one (the partial shows its count)

    def has_next(self):
        return self.has_next_page

    def has_previous(self):
        return self.has_previous_page

    def has_other_pages(self):
        return self.has_next_page or self.has_previous_page

    @property
    def next_cursor(self):
        if not self.has_next_page or not self.object_list:
            return None
        return self.key.encode(self.key.values(self.object_list[-1]), "n")

    @property
    def previous_cursor(self):
        if not self.has_previous_page or not self.object_list:
            return None
        return self.key.encode(self.key.values(self.object_list[0]), "p")

    @property
    def count_text(self):
        if self.count_is_lower_bound:
            return f"超过 {exact_count_below():,}"
        return f"约 {self.count:,}" if self.count_is_estimate else f"共 {self.count:,}"


class KeysetPaginator:
    """Pages of `queryset` (ordered by its selector: a time column, then the id) for pages and the API.

    `page(cursor=…, number=…)`: a cursor reads at that position (keyset); without one, a list whose count is exact
    (below the threshold) gives numbered pages as Django's Paginator does, and a larger one its first keyset page.
    Queries: the estimate (PostgreSQL; reused by the pages after the first), a bounded count when the estimate is
    below the threshold, the rows (by position: their ids, then the rows)."""

    def __init__(self, queryset, per_page=20, *, known_count=None):
        self.key = Key.of(queryset)
        self.queryset = queryset
        self.per_page = int(per_page)
        self._count = None
        #: () → the exact number of rows when something cheaper than counting them knows it (the dashboards' figures:
        #: core.counts.figures_counter), else None
        self.known_count = known_count
        #: the count is only known to be above settings.LIST_EXACT_COUNT_BELOW (set by `count`)
        self.count_is_lower_bound = False

    def count(self, *, rows_seen=0, reuse=False):
        """(count, is_estimate): an estimate of at least the threshold stays one; below it the rows are counted (at
        most threshold + 1 of them read), and if they are more after all the estimate stands, raised to the
        threshold. `reuse`: a page after the first, which takes the estimate the first one made (estimate_rows)."""
        if self._count is None and self.known_count is not None:
            known = self.known_count()
            if known is not None:
                self._count = (known, False)
        if self._count is None:
            below = exact_count_below()
            estimate = estimate_rows(self.queryset, reuse=reuse)
            if estimate is not None and estimate >= below:
                self._count = (max(round_estimate(estimate), rows_seen), True)
            else:
                # The ids alone: what a page's rows show (a document's item count, a subquery per row) is no part of
                # the count, but Django keeps a queryset's annotations in a bounded count's inner query.
                ids = self.queryset.order_by().values("pk")
                counted = ids[: below + 1].count() if estimate is not None else None
                if counted is None:  # SQLite: exact, whatever the size
                    self._count = (ids.count(), False)
                elif counted > below:
                    # The planner guessed too few (a text search's fixed guess, say): all that is known is "more than
                    # the threshold", so the page says that ("超过 5,000 条"), not an "about" the rows just disproved.
                    # "At least": the threshold and one, not rounded (a rounding up would promise rows not there).
                    self.count_is_lower_bound = True
                    self._count = (below + 1, True)
                else:
                    self._count = (counted, False)
        return self._count

    def page(self, *, cursor=None, number=None, keyset=False):
        """The page at `cursor`; without one, page `number` of a small list or the first keyset page of a large one
        (`keyset`: the first keyset page whatever the size — the API's `cursor=`)."""
        if cursor:
            values, direction = self.key.decode(cursor)
            return self._page_at(values, direction)
        if keyset:
            return self._page_at(None, "n")
        count, is_estimate = self.count()
        if is_estimate or count > exact_count_below():
            return self._page_at(None, "n")
        paginator = Paginator(self.queryset.order_by(*self.key.order_by()), self.per_page)
        paginator.__dict__["count"] = count  # already counted: Paginator.count is a cached_property
        page = paginator.get_page(number)
        page.keyset = False
        page.count_is_estimate = False
        return page

    def _page_at(self, values, direction):
        backwards = direction == "p"
        ordering = self.key.order_by(reverse=backwards)
        qs = self.queryset.order_by(*ordering)
        if values is not None:
            qs = qs.filter(self.key.after(values, reverse=backwards))
        # Two steps: the page's ids first, from the time index alone (it carries the mine, so the visibility rule's
        # join needs no row of the table: a county's 1 % of a province's rows costs index entries, not row reads),
        # then those rows with everything they show.
        ids = list(qs.values_list("pk", flat=True)[: self.per_page + 1])
        more = len(ids) > self.per_page
        ids = ids[: self.per_page]
        rows = list(self.queryset.filter(pk__in=ids).order_by(*ordering)) if ids else []
        if backwards:
            rows.reverse()
            has_next, has_previous = True, more
        else:
            has_next, has_previous = more, values is not None
        whole_list = values is None and not more  # the whole list is on this page: its count is what we hold
        count = (len(rows), False) if whole_list else self.count(rows_seen=len(rows), reuse=values is not None)
        return KeysetPage(
            rows,
            has_next=has_next,
            has_previous=has_previous,
            key=self.key,
            count=count[0],
            count_is_estimate=count[1],
            per_page=self.per_page,
            count_is_lower_bound=not whole_list and self.count_is_lower_bound,
        )


def keyset_page(request, queryset, per_page=20, *, known_count=None):
    """A page of `queryset` for `?cursor=` / `?page=` (core.views.paginate with KeysetPaginator); a bad cursor is a
    400 page with the Chinese message. `known_count`: as KeysetPaginator's."""
    try:
        return KeysetPaginator(queryset, per_page, known_count=known_count).page(
            cursor=request.GET.get("cursor"), number=request.GET.get("page")
        )
    except BadCursor as exc:
        raise BadCursorRequest(exc.message) from exc

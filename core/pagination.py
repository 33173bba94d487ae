from functools import partial

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .counts import count_from_figures, used_filters
from .paging import Key, KeysetPaginator
from .views import CappedPaginator


class StandardPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class CappedPagination(StandardPagination):
    """`count` stops at 10,000 (core.views.CappedPaginator): for tables of millions; filter to get exact counts."""

    django_paginator_class = CappedPaginator


CURSOR_HELP = (
    "按位置翻页（大台账推荐）：传 `cursor=`（空值）取第一页，之后使用响应中 `next` / `previous` 链接里的 cursor；"
    "此时不使用 `page`。cursor 为不透明字符串，被改动或失效时返回 400。"
)


class CountedPaginator(Paginator):
    """A Paginator told its count (core.counts: read from maintained figures), which it does not count again."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its cached value


class LedgerPagination(StandardPagination):
    """The bureau-wide ledgers (hazards, 三违, trips underground, enforcement documents): page numbers as before
    (`page`, an exact `count` — the contract for existing clients), or, when the request carries `cursor`, pages by
    position (core.paging.KeysetPaginator: no OFFSET, as fast at the millionth row as at the first). In both modes
    `count_is_estimate` says whether `count` is exact: by position it is exact when the dashboards' figures answer
    for the list's filters (hazards, 三违: core.counts), else the database's estimate once the list is larger than
    settings.LIST_EXACT_COUNT_BELOW; `count_is_lower_bound` that the list holds at least `count` rows and
    how many more is not known (the page's “超过 N 条”: the estimate was below the threshold and the rows disproved
    it; page numbers counted up to their cap)."""

    cursor_query_param = "cursor"
    cursor_query_description = CURSOR_HELP

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset_page = None
        if self.cursor_query_param not in request.query_params:
            self.django_paginator_class = self._numbered_paginator(queryset, request, view)
            # In the key's order, empty dates first on every database (SQLite sorts NULL last when descending, where
            # PostgreSQL sorts it first): page 2 by number holds the rows the cursor's second page holds.
            ordered = queryset.order_by(*Key.of(queryset).order_by())
            return super().paginate_queryset(ordered, request, view)
        self.request = request
        paginator = KeysetPaginator(
            queryset,
            self.get_page_size(request),
            known_count=lambda: self._count_from_figures(queryset, request, view),
        )
        # `cursor=` (empty) opts in and reads the first page; the keyset mode never falls back to page numbers.
        self.keyset_page = paginator.page(cursor=request.query_params[self.cursor_query_param] or None, keyset=True)
        return list(self.keyset_page)

    def _numbered_paginator(self, queryset, request, view):
        """The class's paginator; Django's, told the exact count when figures maintained for the list's model answer
        for its filters (core.counts) and the view says its rows are the user's narrowed by its filterset alone
        (`counts_from_figures`): the count the contract promises, without counting a province's million rows."""
        default = type(self).django_paginator_class
        count = self._count_from_figures(queryset, request, view)
        return default if count is None else partial(CountedPaginator, count=count)

    @staticmethod
    def _count_from_figures(queryset, request, view):
        """The list's exact count from the figures maintained for its model, when the view says its rows are the user's
        narrowed by its filterset alone (`counts_from_figures`) and the figures answer for those filters; else None."""
        filterset_class = getattr(view, "filterset_class", None)
        if not getattr(view, "counts_from_figures", False) or filterset_class is None:
            return None
        filters = used_filters(filterset_class(request.query_params, queryset=queryset, request=request))
        return None if filters is None else count_from_figures(queryset.model, user=request.user, filters=filters)

    def _count_is_estimate(self):
        return bool(getattr(self.page.paginator, "is_capped", False))

    def get_paginated_response(self, data):
        if self.keyset_page is None:
            return Response(
                {
                    "count": self.page.paginator.count,
                    "count_is_estimate": self._count_is_estimate(),
                    "count_is_lower_bound": self._count_is_estimate(),  # a capped count: the cap, reached
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                    "results": data,
                }
            )
        page = self.keyset_page
        return Response(
            {
                "count": page.count,
                "count_is_estimate": page.count_is_estimate,
                "count_is_lower_bound": page.count_is_lower_bound,
                "next": self._cursor_link(page.next_cursor),
                "previous": self._cursor_link(page.previous_cursor),
                "results": data,
            }
        )

    def _cursor_link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        properties = answer["properties"]
        ordered = {"count": properties["count"]}
        ordered["count_is_estimate"] = {
            "type": "boolean",
            "example": False,
            "description": "true 时 `count` 为估算值（按位置翻页的大台账，或条数达到上限）；false 时为准确条数。",
        }
        ordered["count_is_lower_bound"] = {
            "type": "boolean",
            "example": False,
            "description": (
                "true 时实际条数不少于 `count`，具体多少未计（页面上的“超过 N 条”）；"
                "此时 `count_is_estimate` 也为 true。"
            ),
        }
        ordered.update((k, v) for k, v in properties.items() if k != "count")
        answer["properties"] = ordered
        answer["required"] = ["count", "count_is_estimate", "count_is_lower_bound", "results"]
        return answer

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
        ]


class CappedLedgerPagination(LedgerPagination):
    """LedgerPagination whose page numbers count at most 10,000 rows (trips underground: millions per province);
    `count_is_estimate` is then true."""

    django_paginator_class = CappedPaginator

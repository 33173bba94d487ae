from rest_framework import pagination

from .views import CappedPaginator


class StandardPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class CappedPagination(StandardPagination):
    """`count` stops at 10,000 (core.views.CappedPaginator): for tables of millions; filter to get exact counts."""

    django_paginator_class = CappedPaginator

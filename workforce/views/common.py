"""The workforce pages' context on top of the shared list and form pages (core.views)."""

from accounts.permissions import can_see_several_mines
from core import views as common

from ..permissions import can_keep_records


def list_page(request, **kwargs):
    return common.list_page(
        request,
        can_write=can_keep_records(request.user),
        show_mine=can_see_several_mines(request.user),
        **kwargs,
    )


def form_page(request, form, service, **kwargs):
    return common.form_page(request, form, service, template="form.html", **kwargs)

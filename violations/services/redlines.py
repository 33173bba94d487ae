from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from campaign.membership import campaigns_of
from core.errors import DomainError, NotPermitted
from core.excel import ImportColumn, check_workbook_file, parse_text, read_table
from core.ledger_import import bound_errors

from ..models import RedLineItem, RedLineKind, RedLineList
from ..permissions import can_keep_red_lines
from ..progress import red_lines_progress_refresh

ITEM_COLUMNS = [
    ImportColumn("level", ("层级", "级别", "管理层级"), parse_text(40), required=True),
    ImportColumn("post", ("岗位", "工种", "适用岗位"), parse_text(60), required=True),
    ImportColumn(
        "content", ("行为", "红线内容", "违法违规违章行为", "内容", "问责情形"), parse_text(2000), required=True
    ),
    ImportColumn("consequence", ("处理措施", "追责措施", "追责问责措施", "处理"), parse_text(2000)),
]


def red_line_items_from_xlsx(upload):
    """The rows of an uploaded list (.xlsx with 层级、岗位、行为、处理措施), or a DomainError listing bad rows."""
    from django.conf import settings

    check_workbook_file(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
    table = read_table(upload, ITEM_COLUMNS, max_rows=2000, min_header_matches=3)
    errors = list(table.errors)
    for number, values in table.rows:  # the items' bounds, as in the forms and the API
        errors.extend(bound_errors(RedLineItem, number, values, table.headers))
    errors.sort(key=lambda e: e.row)
    if errors:
        detail = "；".join(f"第 {e.row} 行“{e.column}”：{e.message}" for e in errors[:10])
        raise DomainError(f"清单有错误，未保存：{detail}")
    if not table.rows:
        raise DomainError("清单中没有条目。")
    return [values for _, values in table.rows]


@transaction.atomic
def red_line_list_publish(*, actor, mine, kind, title, effective_on, items, note=""):
    """A new version of the mine's list; it becomes the current one and the old versions stay readable."""
    if not can_keep_red_lines(actor, mine):
        raise NotPermitted("红线清单由煤矿或其主体企业制定。")
    if kind not in RedLineKind.values:
        raise DomainError("清单类型不正确。", field="kind")
    if not items:
        raise DomainError("清单中没有条目。")
    lists = RedLineList.objects.select_for_update().filter(mine=mine, kind=kind)
    version = (lists.aggregate(v=Max("version"))["v"] or 0) + 1
    lists.filter(is_current=True).update(is_current=False)
    red_line_list = RedLineList.objects.create(
        mine=mine, kind=kind, version=version, title=title, effective_on=effective_on, note=note, created_by=actor
    )
    RedLineItem.objects.bulk_create(
        RedLineItem(
            red_line_list=red_line_list,
            order=index,
            **{k: item.get(k) or "" for k in ("level", "post", "content", "consequence")},
        )
        for index, item in enumerate(items, start=1)
    )
    for campaign in campaigns_of(unit=mine, day=timezone.localdate()):
        red_lines_progress_refresh(mine=mine, campaign=campaign)
    return red_line_list

from django.urls import reverse
from django.views.decorators.http import require_POST

from core.models import LedgerKind
from core.views import import_batch_undo_view, import_batches_view, ledger_import_view, offered_only_to

from ..forms import HazardImportForm
from ..services import hazards_import, hazards_import_undo


@offered_only_to("hazards.write_ledger", "登记、导入和修改隐患由煤矿、主体企业和县局执法人员办理，您的账号只能查看。")
def hazard_import(request):
    return ledger_import_view(
        request,
        form_class=HazardImportForm,
        service=hazards_import,
        template_name="ledger_import.html",
        kind=LedgerKind.HAZARDS,
        batches_url=reverse("hazard_import_batches"),
        extra_context={
            "title": "导入隐患台账",
            "list_url": reverse("hazard_list"),
            "help": "直接上传各矿现有的 Excel 台账：系统按列名（如“排查日期”“隐患内容”“整改期限”）识别各列，"
            "自动跳过标题行、空行和合计行；日期可写作 2024-11-03、2024.11.3 或 2024年11月3日。"
            "上传后先预览（将新增、重复跳过、错误和需要核对的行），确认后才写入；列名识别不了时可以手工对应。"
            "已导入过的隐患（同日期、同地点、同内容）不会重复导入。",
        },
    )


def hazard_import_batches(request):
    return import_batches_view(
        request,
        kind=LedgerKind.HAZARDS,
        title="隐患台账导入记录",
        import_url=reverse("hazard_import"),
        list_url=reverse("hazard_list"),
        permission="hazards.write_ledger",
        undo_url_name="hazard_import_undo",
    )


@require_POST
def hazard_import_undo(request, pk):
    return import_batch_undo_view(request, pk, service=hazards_import_undo, then=reverse("hazard_import_batches"))

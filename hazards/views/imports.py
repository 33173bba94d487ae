from django.urls import reverse

from core.views import ledger_import_view, offered_only_to

from ..forms import HazardImportForm
from ..services import hazards_import


@offered_only_to("hazards.write_ledger", "登记、导入和修改隐患由煤矿、主体企业和县局执法人员办理，您的账号只能查看。")
def hazard_import(request):
    return ledger_import_view(
        request,
        form_class=HazardImportForm,
        service=hazards_import,
        template_name="ledger_import.html",
        extra_context={
            "title": "导入隐患台账",
            "list_url": reverse("hazard_list"),
            "help": "直接上传各矿现有的 Excel 台账：系统按列名（如“排查日期”“隐患内容”“整改期限”）识别各列，"
            "自动跳过标题行、空行和合计行；日期可写作 2024-11-03、2024.11.3 或 2024年11月3日。"
            "已导入过的隐患（同日期、同地点、同内容）不会重复导入。",
        },
    )

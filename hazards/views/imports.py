from core.views import ledger_import_view

from ..forms import HazardImportForm
from ..services import hazards_import


def hazard_import(request):
    return ledger_import_view(
        request, form_class=HazardImportForm, service=hazards_import, template_name="hazards/hazard_import.html"
    )

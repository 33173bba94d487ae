from django.shortcuts import render

from core.errors import DomainError

from ..forms import HazardImportForm
from ..services import hazards_import
from ..services.ledger_import import HazardImportRejected


def hazard_import(request):
    form = HazardImportForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = hazards_import(
                actor=request.user,
                mine=form.cleaned_data["mine"],
                upload=form.cleaned_data["file"],
                only_valid_rows=form.cleaned_data["only_valid_rows"],
            )
        except HazardImportRejected as exc:
            context.update(rejected=exc.message, errors=exc.errors)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            context.update(result=result, errors=result.errors)
    return render(request, "hazards/hazard_import.html", context)

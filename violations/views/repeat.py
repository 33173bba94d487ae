from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.history import history_rows
from core.views import paginate, post_action

from .. import services
from ..forms import MentoringStepForm
from ..models import MentoringKind
from ..permissions import can_write_violations
from ..selectors import person_violations, repeat_offender_detail, repeat_offender_list


def repeat_offender_list_view(request):
    return render(
        request,
        "violations/repeat_offender_list.html",
        {"page": paginate(request, repeat_offender_list(user=request.user)), "steps_needed": len(MentoringKind.values)},
    )


def repeat_offender_detail_view(request, pk):
    offender = repeat_offender_detail(user=request.user, pk=pk)
    done = {s.kind for s in offender.steps.all()}
    remaining = [(k, label) for k, label in MentoringKind.choices if k not in done]
    form = MentoringStepForm(initial={"done_on": timezone.localdate()})
    form.fields["kind"].choices = remaining
    return render(
        request,
        "violations/repeat_offender_detail.html",
        {
            "offender": offender,
            "violations": person_violations(
                user=request.user, mine_id=offender.mine_id, person_name=offender.person_name
            ),
            "form": form if remaining and can_write_violations(request.user, offender.mine) else None,
            "history": history_rows(offender),
        },
    )


@require_POST
def mentoring_step_create(request, pk):
    offender = repeat_offender_detail(user=request.user, pk=pk)
    return post_action(
        request,
        MentoringStepForm(request.POST),
        services.mentoring_step_record,
        done="帮教措施已登记。",
        then=reverse("repeat_offender_detail", kwargs={"pk": pk}),
        actor=request.user,
        offender=offender,
    )

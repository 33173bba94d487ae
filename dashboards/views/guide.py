from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import guide_role


def guide(request):
    """使用说明: one short part per role, the reader's own first and open; the others folded below it, so a leader can
    read what a mine officer does. Each part is a template named after the role's value."""
    own = guide_role(request.user)
    roles = sorted(Role.choices, key=lambda choice: choice[0] != own)  # stable: the rest keep the order of Role
    sections = [
        {"template": f"dashboards/guide/{value}.html", "label": label, "own": value == own} for value, label in roles
    ]
    return render(request, "dashboards/guide.html", {"sections": sections, "own_label": dict(Role.choices).get(own)})

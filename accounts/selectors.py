from django.db.models import Count, Q

from .models import Mine, MineStatus


def mine_list(*, user):
    return Mine.objects.visible_to(user).select_related("parent").order_by("parent__name", "name", "pk")


def mine_counts_for(*, user):
    """How many mines the user oversees, and how many of them are under 停产整顿 (one query)."""
    return Mine.objects.visible_to(user).aggregate(
        total=Count("pk"), suspended=Count("pk", filter=Q(status=MineStatus.SUSPENDED))
    )

import datetime as dt

from django.utils import timezone

from accidents import services

TODAY = dt.date.today()


def moment(days_ago=0, hour=9, minute=0):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def record(actor, mine, *, days_ago=1, late_minutes=30, place="1301工作面", **fields):
    occurred = moment(days_ago)
    values = {
        "occurred_at": occurred,
        "place": place,
        "kind": "roof",
        "minor_injuries": 1,
        "description": "片帮伤人，一名工人左臂擦伤。",
        "reporter_name": "李明",
        "reported_at": occurred + dt.timedelta(minutes=late_minutes),
    }
    values.update(fields)
    return services.accident_create(actor=actor, mine=mine, **values)

"""Every sweep of the round (sweeps.registry.ALL_SWEEPS) is also on beat's schedule as a task of its own app.

A sweep added to the registry but not to CELERY_BEAT_SCHEDULE runs only when someone runs `run_sweeps` by hand: the
enforcement documents', the penalty cases', the main leaders' 检查 and the 三违 问责 sweeps were in that state and
never reminded anyone on a real deployment. This test fails on the next one."""

from celery import current_app
from django.conf import settings

from sweeps.registry import ALL_SWEEPS


def beat_tasks():
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_every_registered_sweep_has_its_task_on_the_beat():
    missing = []
    for name, sweep in ALL_SWEEPS.items():
        task = f"{sweep.__module__.split('.')[0]}.tasks.{sweep.__name__}"
        if task not in beat_tasks():
            missing.append(f"{name}: {task}")
    assert not missing, "sweeps beat never runs:\n" + "\n".join(missing)


def test_every_task_on_the_beat_is_a_registered_task():
    current_app.loader.import_default_modules()
    unknown = sorted(beat_tasks() - set(current_app.tasks))
    assert not unknown, unknown

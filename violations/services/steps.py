"""Records made of a fixed set of steps, each once (the three back-tracks of a 三违, the three 帮教 steps of a repeat
offender): refuse a step twice, and know when the last one completes the set."""

from core.errors import InvalidState


def step_check_new(steps, kind, choices, *, verb):
    if steps.filter(kind=kind).exists():
        raise InvalidState(f"“{choices(kind).label}”已{verb}过。", field="kind")


def steps_completed_on(steps, choices):
    """The date the set was completed (its last step), or None while a step is missing."""
    done = list(steps.values_list("done_on", flat=True))
    return max(done) if len(done) == len(choices.values) else None

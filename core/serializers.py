from rest_framework import serializers

from . import bounds


class ReasonSerializer(serializers.Serializer):
    """The input of every “send back” action (退回): a reason is required."""

    reason = serializers.CharField(label="理由", validators=[bounds.note_text()])


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", validators=[bounds.note_text()]
    )

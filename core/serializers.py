from rest_framework import serializers

from . import bounds
from .mines import visible_mines


class ReasonSerializer(serializers.Serializer):
    """The input of every “send back” action (退回): a reason is required."""

    reason = serializers.CharField(label="理由", validators=[bounds.note_text()])


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", validators=[bounds.note_text()]
    )


class VisibleMineField(serializers.PrimaryKeyRelatedField):
    """A mine among those the requesting user sees (another tenant's mine is "does not exist")."""

    def __init__(self, **kwargs):
        from django.apps import apps

        super().__init__(queryset=apps.get_model("accounts", "Mine").objects.none(), **kwargs)  # for the schema

    def get_queryset(self):
        request = self.context.get("request")
        return visible_mines(request.user) if request else super().get_queryset()


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """The answer of every ledger import (core.ledger_import.ImportResult)."""

    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    total_rows = serializers.IntegerField()
    errors = ImportRowErrorSerializer(many=True)

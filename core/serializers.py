from rest_framework import serializers

from . import bounds
from .mines import visible_mines


class TextField(serializers.CharField):
    """A CharField that takes only a JSON string: DRF's CharField turns 123 or true into "123"/"True", so a client
    sending the wrong type would be answered as if it had sent text. Refused with 400 and a Chinese message."""

    default_error_messages = {"not_text": "{label}必须是文字（字符串）。"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", label=self.label or self.field_name)
        return super().to_internal_value(data)


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


class ImportWarningSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中的行号")
    column = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=[
            ("outside_campaign", "日期不在本次专项整治期间"),
            ("suspends_mine", "重大隐患未销号，煤矿将停产整顿"),
            ("closed", "文件中已销号或已整改"),
            ("suspected_major", "疑似重大隐患，导入后待县局核实"),
        ]
    )
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """The answer of every ledger import that wrote its rows (core.ledger_import.ImportResult)."""

    created = serializers.IntegerField(help_text="新增的行数")
    skipped = serializers.IntegerField(help_text="重复（已在台账中或文件中重复）而跳过的行数")
    total_rows = serializers.IntegerField()
    errors = ImportRowErrorSerializer(many=True)
    warnings = ImportWarningSerializer(many=True)
    mapping = serializers.DictField(child=serializers.CharField(), help_text="手工对应的列：表头 → 字段名")
    batch = serializers.IntegerField(allow_null=True, help_text="导入批次（24 小时内可撤销）")


class ImportSkippedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中的行号")
    reason = serializers.ChoiceField(choices=[("in_ledger", "已在本矿台账中"), ("in_file", "与文件中前面的行重复")])
    message = serializers.CharField()


class ImportCreatedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中的行号；其余键为该行将写入的主要字段")


class ImportPreviewSerializer(serializers.Serializer):
    """The answer of a dry run (`dry_run=true`): what the import would write, nothing written."""

    dry_run = serializers.BooleanField()
    total_rows = serializers.IntegerField()
    created_count = serializers.IntegerField()
    skipped_count = serializers.IntegerField()
    error_rows = serializers.IntegerField()
    created = ImportCreatedRowSerializer(many=True, help_text="将新增的行")
    skipped = ImportSkippedRowSerializer(many=True, help_text="将跳过的重复行")
    errors = ImportRowErrorSerializer(many=True)
    warnings = ImportWarningSerializer(many=True)
    mapping = serializers.DictField(child=serializers.CharField(), help_text="手工对应的列：表头 → 字段名")
    columns = serializers.DictField(child=serializers.CharField(), help_text="识别出的列：字段名 → 表头")


class LedgerImportSerializer(serializers.Serializer):
    """The input of every ledger import: the file, the mine (for users who see several), and the options."""

    file = serializers.FileField(label="台账文件")
    mine = VisibleMineField(label="煤矿", required=False)
    only_valid_rows = serializers.BooleanField(label="只导入正确的行", default=False)
    dry_run = serializers.BooleanField(
        label="只预览", default=False, help_text="true：只返回预览（将新增、跳过、错误、提醒），不写入任何数据"
    )
    mapping = serializers.JSONField(
        label="列对应",
        required=False,
        help_text='JSON 对象，表头 → 字段名，例如 {"检查时间": "found_on"}；会记住，用于该矿下次导入',
    )

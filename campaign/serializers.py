from rest_framework import serializers

from accounts.serializers import BureauUsernameField
from core import bounds

from .authoring import MAX_PARTICIPANTS
from .models import (
    Campaign,
    CampaignRevision,
    Deadline,
    DeadlineKind,
    GroupKind,
    GroupMember,
    MemberPost,
    Phase,
    ProgressDeclaration,
    RecordEvidence,
    Requirement,
    RequirementPerformer,
    RequirementProgress,
    WorkingGroup,
)
from .organisation import members_in_order


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "order", "code", "name", "starts_on", "ends_on", "summary"]


class DeadlineSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "code",
            "kind",
            "kind_display",
            "name",
            "period",
            "due_on",
            "due_at",
            "owed_by_enterprises",
            "owed_by_mines",
            "owed_by_bureau",
        ]


class RequirementSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "parent",
            "level",
            "code",
            "name",
            "target_min",
            "target_max",
            "target_unit",
            "performed_by",
            "evidence",
            "number",
            "text",
            "paragraph",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    current_phase = serializers.SerializerMethodField()
    participants = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="选定的参加单位（煤矿、主体企业）的编号；covers_all_units 为 true 时为空：全县煤矿和主体企业参加",
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "name",
            "document_no",
            "issuer",
            "issued_on",
            "starts_on",
            "ends_on",
            "goals",
            "is_template",
            "status",
            "version",
            "published_at",
            "covers_all_units",
            "participants",
            "current_phase",
            "phases",
            "deadlines",
        ]

    def get_current_phase(self, obj) -> PhaseSerializer(allow_null=True):
        phase = obj.current_phase
        return PhaseSerializer(phase).data if phase else None


class GroupMemberSerializer(serializers.ModelSerializer):
    post_display = serializers.CharField(source="get_post_display", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True, default=None)
    display_name = serializers.CharField(read_only=True)
    display_title = serializers.CharField(read_only=True)
    display_phone = serializers.CharField(read_only=True)

    class Meta:
        model = GroupMember
        fields = [
            "id",
            "group",
            "post",
            "post_display",
            "user",
            "name",
            "title",
            "phone",
            "display_name",
            "display_title",
            "display_phone",
            "order",
            "row_version",
        ]


class WorkingGroupSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "id",
            "campaign",
            "kind",
            "kind_display",
            "name",
            "located_at",
            "phone",
            "duties",
            "order",
            "row_version",
            "members",
        ]

    def get_members(self, obj) -> GroupMemberSerializer(many=True):
        # From the list's prefetch: 组长 first, as the notice lists them.
        return GroupMemberSerializer(members_in_order(obj.members.all()), many=True).data


class VisibleCampaignField(serializers.PrimaryKeyRelatedField):
    """A campaign among those the requesting user sees (another county's is "does not exist")."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Campaign.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return (
            Campaign.objects.visible_to(request.user).filter(is_template=False) if request else super().get_queryset()
        )


class VisibleGroupField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=WorkingGroup.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return super().get_queryset()
        return WorkingGroup.objects.visible_to(request.user).select_related("campaign")


class WorkingGroupWriteSerializer(serializers.Serializer):
    """Parses input only; the service decides who may keep the organisation."""

    campaign = VisibleCampaignField(label="专项整治")
    kind = serializers.ChoiceField(label="类别", choices=GroupKind.choices)
    name = serializers.CharField(label="名称", max_length=100)
    located_at = serializers.CharField(label="设在", max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(label="联系电话", max_length=40, required=False, allow_blank=True, default="")
    duties = serializers.CharField(
        label="职责", required=False, allow_blank=True, default="", validators=[bounds.note_text()]
    )
    order = serializers.IntegerField(label="顺序", required=False, allow_null=True, min_value=0, max_value=10_000)
    row_version = serializers.IntegerField(label="修改版本号", required=False, min_value=0, max_value=2**31 - 1)


class GroupMemberWriteSerializer(serializers.Serializer):
    group = VisibleGroupField(label="工作组")
    post = serializers.ChoiceField(label="组内职务", choices=MemberPost.choices, default=MemberPost.MEMBER)
    user = BureauUsernameField(label="系统用户（用户名）", required=False, allow_null=True)
    name = serializers.CharField(label="姓名", max_length=60, required=False, allow_blank=True, default="")
    title = serializers.CharField(label="单位职务", max_length=60, required=False, allow_blank=True, default="")
    phone = serializers.CharField(label="联系电话", max_length=40, required=False, allow_blank=True, default="")
    order = serializers.IntegerField(label="顺序", required=False, allow_null=True, min_value=0, max_value=10_000)
    row_version = serializers.IntegerField(label="修改版本号", required=False, min_value=0, max_value=2**31 - 1)


# ------------------------------------------------------------------ 核验 (campaign.verification)


class ProgressDeclarationSerializer(serializers.ModelSerializer):
    declared_by = serializers.CharField(source="declared_by.username", read_only=True, allow_null=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ProgressDeclaration
        fields = [
            "number",
            "status",
            "figure",
            "note",
            "files",
            "declared_at",
            "declared_by",
            "review",
            "review_reason",
            "reviewed_by",
            "reviewed_at",
        ]


class TaskProgressSerializer(serializers.ModelSerializer):
    """One unit's progress on one item, with where it stands with the bureau (`state`) and every declaration."""

    campaign = serializers.IntegerField(source="requirement.campaign_id", read_only=True)
    code = serializers.CharField(source="requirement.code", read_only=True)
    name = serializers.CharField(source="requirement.name", read_only=True)
    version = serializers.IntegerField(source="declarations", read_only=True, help_text="申报次数（最新版本号）")
    flagged = serializers.BooleanField(read_only=True, help_text="退回两次及以上")
    versions = ProgressDeclarationSerializer(many=True, read_only=True)

    class Meta:
        model = RequirementProgress
        fields = [
            "id",
            "campaign",
            "organization",
            "requirement",
            "code",
            "name",
            "status",
            "figure",
            "note",
            "state",
            "version",
            "times_returned",
            "flagged",
            "return_reason",
            "filled_from_records",
            "row_version",
            "versions",
        ]


class _ProgressReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        label="申报版本", required=False, min_value=1, max_value=2**31 - 1, help_text="核验的是第几次申报（可选）"
    )


class ProgressVerifySerializer(_ProgressReviewSerializer):
    note = serializers.CharField(
        label="核验意见", required=False, allow_blank=True, default="", validators=[bounds.note_text()]
    )


class ProgressReturnSerializer(_ProgressReviewSerializer):
    reason = serializers.CharField(label="退回理由", validators=[bounds.note_text()])


class CampaignCreateSerializer(serializers.Serializer):
    """A new draft (issue 21): blank, or copied from `source` (a template or a past campaign the user sees)."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    code = serializers.SlugField(max_length=40, required=False, allow_blank=True, default="")
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    issuer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    goals = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, allow_null=True, default=None, max_length=20
    )
    notice_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=500_000)
    source = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none(), required=False, allow_null=True)
    covers_all_units = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true：全县煤矿和主体企业参加；false：只有 participants 中的单位参加。"
        "不填时，列出了 participants 即为 false，否则复制的沿用来源的参加单位、空白的为 true",
    )
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_null=True,
        default=None,
        max_length=MAX_PARTICIPANTS,
        help_text="参加单位的编号：本局所辖的煤矿或主体企业（选定主体企业即其所属煤矿全部参加）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["source"].queryset = Campaign.objects.visible_to(request.user)

    def validate(self, data):
        if not data.get("source") and not data.get("name"):
            raise serializers.ValidationError({"name": "请填写名称。"})
        if not data.get("source") and not data.get("ends_on"):
            raise serializers.ValidationError({"ends_on": "请填写结束日期。"})
        return data


class TaskListImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, max_length=200)
    text = serializers.CharField(required=False, allow_blank=False, max_length=500_000, trim_whitespace=False)
    part = serializers.IntegerField(required=False, min_value=1, max_value=99)

    def validate(self, data):
        if not data.get("file") and not data.get("text"):
            raise serializers.ValidationError({"file": "请上传 .docx 或 .xlsx 文件，或在 text 中粘贴任务清单。"})
        return data


# ------------------------------------------------------------------ authoring the structure (campaign.authoring)
# These parse input only: what a value may be (a name's length, a date within the campaign, who owes a deadline, an
# item's target) is the service's to say, the same for the pages and the API.


class CampaignUpdateSerializer(serializers.Serializer):
    """PATCH of a campaign's facts: only the fields sent change. A new `starts_on` shifts the whole campaign (its end,
    phases and deadlines keep their offsets); an `ends_on` sent as well is taken as is."""

    name = serializers.CharField(label="名称", required=False, allow_blank=True)
    document_no = serializers.CharField(label="文号", required=False, allow_blank=True)
    issuer = serializers.CharField(label="印发单位", required=False, allow_blank=True)
    issued_on = serializers.DateField(label="印发日期", required=False, allow_null=True)
    starts_on = serializers.DateField(label="开始日期", required=False)
    ends_on = serializers.DateField(label="结束日期", required=False)
    goals = serializers.ListField(label="目标", child=serializers.CharField(allow_blank=True), required=False)
    notice_text = serializers.CharField(label="通知全文", required=False, allow_blank=True, trim_whitespace=False)


class PhaseRecordSerializer(PhaseSerializer):
    class Meta(PhaseSerializer.Meta):
        fields = ["id", "campaign", *PhaseSerializer.Meta.fields[1:]]


class PhaseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label="阶段名称", allow_blank=True)
    starts_on = serializers.DateField(label="开始日期")
    ends_on = serializers.DateField(label="结束日期")
    summary = serializers.CharField(label="工作内容", required=False, allow_blank=True, default="")
    order = serializers.IntegerField(
        label="顺序", required=False, min_value=1, max_value=100, help_text="不填时排在最后"
    )


class DeadlineRecordSerializer(DeadlineSerializer):
    class Meta(DeadlineSerializer.Meta):
        fields = ["id", "campaign", *DeadlineSerializer.Meta.fields[1:], "note"]


class DeadlineWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="类型", choices=DeadlineKind.choices)
    name = serializers.CharField(label="名称", allow_blank=True)
    due_on = serializers.DateField(label="截止日期", help_text="当天 23:59:59 前报送为按时")
    owed_by_mines = serializers.BooleanField(label="煤矿需报送", required=False, default=True)
    owed_by_enterprises = serializers.BooleanField(label="主体企业需报送", required=False, default=True)
    owed_by_bureau = serializers.BooleanField(label="县局向上级报送", required=False, default=False)
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="")


class RequirementRecordSerializer(RequirementSerializer):
    class Meta(RequirementSerializer.Meta):
        fields = ["id", "campaign", *RequirementSerializer.Meta.fields[1:], "order", "parameters"]
        read_only_fields = ["parameters"]


class RequirementWriteSerializer(serializers.Serializer):
    """A section (no `parent`), a measure (under a section) or an item (under a measure) of the campaign's task list;
    an item also has its owner, target and evidence rule. A requirement stays under its parent: `parent` is read
    when one is created only."""

    parent = serializers.PrimaryKeyRelatedField(
        label="所属部分或措施", queryset=Requirement.objects.none(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(label="内容", required=False, allow_blank=True, default="", help_text="不填时取原文")
    text = serializers.CharField(label="原文全文", required=False, allow_blank=True, default="")
    paragraph = serializers.IntegerField(
        label="出自通知第几段", required=False, allow_null=True, min_value=1, max_value=1_000_000
    )
    performed_by = serializers.ChoiceField(label="落实主体", choices=RequirementPerformer.choices, required=False)
    evidence = serializers.ChoiceField(
        label="证明方式",
        choices=[("", "自行填报"), *RecordEvidence.choices],
        required=False,
        allow_blank=True,
        help_text="空：单位自行填报；其他：由系统根据相应记录填写",
    )
    target_min = serializers.DecimalField(
        label="目标下限", max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    target_max = serializers.DecimalField(
        label="目标上限", max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    target_unit = serializers.CharField(label="单位", required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.context.get("campaign")
        if campaign is not None:
            self.fields["parent"].queryset = campaign.requirements.all()


# ------------------------------------------------------------------ thresholds (campaign.thresholds)


class ThresholdsWriteSerializer(serializers.Serializer):
    """PATCH of a campaign's figures: any of them, the others stay; each is checked against its figure's bounds by
    the service (campaign.thresholds), as on the page."""

    def __init__(self, *args, **kwargs):
        from .figures import FIGURES, REMINDER_DAYS

        super().__init__(*args, **kwargs)
        for figure in FIGURES:
            self.fields[figure.name] = serializers.DecimalField(
                label=f"{figure.label}（{figure.unit}）",
                max_digits=10,
                decimal_places=2,
                required=False,
                help_text=f"默认 {figure.default}{figure.unit}，可填 {figure.minimum}–{figure.maximum}",
            )
        self.fields[REMINDER_DAYS.name] = serializers.ListField(
            label=f"{REMINDER_DAYS.label}（天）",
            child=serializers.IntegerField(),
            required=False,
            help_text=f"截止前第几天提醒，如 {list(REMINDER_DAYS.default)}",
        )

    def validate(self, data):
        sent = self.initial_data.keys() if hasattr(self.initial_data, "keys") else ()
        unknown = sorted(set(sent) - set(self.fields))
        if unknown:
            known = "、".join(self.fields)
            raise serializers.ValidationError({unknown[0]: f"未知阈值“{unknown[0]}”。可设置：{known}。"})
        return data


class ThresholdFigureSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    default = serializers.JSONField(help_text="通知（默认）的数值")
    value = serializers.JSONField(help_text="本期专项整治的数值")
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()
    item = serializers.IntegerField(allow_null=True, help_text="保存该数值的任务事项（空：专项整治本身或无此事项）")
    settable = serializers.BooleanField(help_text="本期任务清单有对应事项，可以设置")


class CampaignRevisionSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CampaignRevision
        fields = ["version", "changed_at", "changed_by", "summary", "changes"]


class ThresholdsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    status = serializers.CharField(help_text="draft：修改直接保存；published：每次修改形成新的版本并通知各单位")
    version = serializers.IntegerField()
    may_edit = serializers.BooleanField()
    values = serializers.DictField(child=serializers.JSONField())
    figures = ThresholdFigureSerializer(many=True)
    history = CampaignRevisionSerializer(
        many=True, help_text="最近的阈值修改（新的在前）：修改人、时间、修改前后的数值"
    )

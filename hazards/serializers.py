from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.bounds import validators_of
from core.serializers import LedgerImportSerializer, TextField, VisibleMineField

from .models import (
    ExamResult,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardSource,
    HazardSpecialty,
    Inspection,
    InspectionMode,
)
from .selectors import current_major_categories, current_major_items


class MajorItemSerializer(serializers.Serializer):
    """A situation (情形) of 《煤矿重大事故隐患判定标准》 as the API reads it: category and item numbers, its article,
    text and the citation an enforcement document uses."""

    category = serializers.IntegerField(source="category.no", read_only=True)
    item = serializers.IntegerField(source="no", read_only=True)
    article = serializers.CharField(source="category.article", read_only=True)
    text = serializers.CharField(read_only=True)
    citation = serializers.CharField(read_only=True)
    version = serializers.CharField(source="category.standard.version", read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"category": {"type": "integer"}, "item": {"type": "integer"}},
        "required": ["category", "item"],
    }
)
class MajorItemField(serializers.Field):
    """Written as {"category": n, "item": m}: the item m of category n of the current standard."""

    default_error_messages = {
        "shape": '重大隐患情形应写作 {{"category": 类别序号, "item": 项序号}}。',
        "unknown": "现行《煤矿重大事故隐患判定标准》第{category}类没有第{item}项。",
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("shape")
        category, item = data.get("category"), data.get("item")
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (category, item)):
            self.fail("shape")
        found = current_major_items().filter(category__no=category, no=item).first()
        if found is None:
            self.fail("unknown", category=category, item=item)
        return found

    def to_representation(self, value):
        return MajorItemSerializer(value).data


class SuspectedMajorSerializer(serializers.Serializer):
    """The matcher's finding on a general hazard (疑似重大隐患), until the bureau confirms or dismisses it."""

    category = serializers.IntegerField(source="item.category.no")
    item = serializers.IntegerField(source="item.no")
    score = serializers.FloatField()
    state = serializers.CharField()


class HazardSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    specialty_display = serializers.CharField(source="get_specialty_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    listed = serializers.SerializerMethodField()
    major_item = MajorItemSerializer(read_only=True, allow_null=True)
    suspected_major = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "mine",
            "mine_name",
            "campaign",
            "inspection",
            "source",
            "source_display",
            "found_on",
            "location",
            "specialty",
            "specialty_display",
            "description",
            "level",
            "level_display",
            "grade",
            "major_category",
            "major_item",
            "suspected_major",
            "measures",
            "funds",
            "responsible_unit",
            "responsible_person",
            "due_on",
            "contingency_plan",
            "status",
            "status_display",
            "rectified_on",
            "accepted_by_name",
            "accepted_on",
            "overdue",
            "days_overdue",
            "listed",
            "note",
            "created_at",
            "updated_at",
            "row_version",
        ]
        read_only_fields = fields

    def get_listed(self, obj) -> bool:
        return hasattr(obj, "listing")

    @extend_schema_field(SuspectedMajorSerializer(allow_null=True))
    def get_suspected_major(self, obj):
        finding = getattr(obj, "suspected_major", None)
        return None if finding is None or not finding.is_pending else SuspectedMajorSerializer(finding).data


class HazardWriteSerializer(serializers.Serializer):
    """Parses input only; the service decides (五落实, permissions, 停产整顿)."""

    mine = VisibleMineField(label="煤矿")
    inspection = serializers.PrimaryKeyRelatedField(label="检查", queryset=Inspection.objects.none(), required=False)
    source = serializers.ChoiceField(label="排查类型", choices=HazardSource.choices)
    found_on = serializers.DateField(label="排查日期", validators=validators_of(Hazard, "found_on"))
    location = serializers.CharField(label="隐患地点", max_length=200)
    specialty = serializers.ChoiceField(label="专业", choices=HazardSpecialty.choices, default=HazardSpecialty.OTHER)
    description = serializers.CharField(label="隐患内容", validators=validators_of(Hazard, "description"))
    level = serializers.ChoiceField(label="隐患等级", choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    grade = serializers.ChoiceField(label="一般隐患分级", choices=["A", "B", "C", ""], required=False, default="")
    major_category = serializers.PrimaryKeyRelatedField(
        label="重大隐患类别", queryset=current_major_categories(), required=False, allow_null=True
    )
    major_item = MajorItemField(
        label="重大隐患情形",
        required=False,
        allow_null=True,
        help_text='重大隐患所属情形：{"category": 类别序号, "item": 项序号}（现行判定标准），可省略类别',
    )
    measures = serializers.CharField(
        label="整改措施", required=False, allow_blank=True, default="", validators=validators_of(Hazard, "measures")
    )
    funds = serializers.DecimalField(
        label="整改资金（元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        validators=validators_of(Hazard, "funds"),
    )
    responsible_unit = serializers.CharField(label="整改责任单位", max_length=100, required=False, allow_blank=True)
    responsible_person = serializers.CharField(label="整改责任人", max_length=40, required=False, allow_blank=True)
    due_on = serializers.DateField(
        label="整改期限", required=False, allow_null=True, validators=validators_of(Hazard, "due_on")
    )
    contingency_plan = serializers.CharField(
        label="应急预案", required=False, allow_blank=True, validators=validators_of(Hazard, "contingency_plan")
    )
    note = serializers.CharField(label="备注", max_length=500, required=False, allow_blank=True)
    photo = serializers.FileField(
        label="整改前照片/资料", required=False, help_text="登记时可附带（multipart/form-data），与隐患同时保存"
    )
    row_version = serializers.IntegerField(
        label="修改版本号",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="修改时可填读取时的 row_version（或用 If-Match 头）：他人已改过则拒绝（409）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["inspection"].queryset = Inspection.objects.visible_to(request.user)
        if self.partial:
            self.fields.pop("mine")
            self.fields.pop("inspection")
            self.fields.pop("photo")  # files of an existing hazard: POST …/files/ on the page
        else:
            self.fields.pop("row_version")  # a new hazard has no version


class SubmitForAcceptanceSerializer(serializers.Serializer):
    rectified_on = serializers.DateField(
        label="整改完成日期", required=False, validators=validators_of(Hazard, "rectified_on")
    )
    note = serializers.CharField(
        label="说明", required=False, allow_blank=True, default="", validators=validators_of(HazardEvent, "note")
    )


class HazardImportSerializer(LedgerImportSerializer):
    file = serializers.FileField(label="隐患台账（.xlsx）")


class ExamResultSerializer(serializers.ModelSerializer):
    retraining_open = serializers.BooleanField(read_only=True)
    paper = serializers.SerializerMethodField(
        help_text="按判定标准试卷阅卷时：试卷编号与答对题数；手工登记成绩时为 null"
    )

    def get_paper(self, exam) -> dict | None:
        if exam.paper_id is None:
            return None
        from .services.exam_papers import grade

        _score, right = grade(exam.paper, exam.answers)
        return {
            "id": exam.paper_id,
            "number": exam.paper.number,
            "questions": len(exam.paper.questions),
            "right": right,
        }

    class Meta:
        model = ExamResult
        fields = [
            "id",
            "person_name",
            "post",
            "score",
            "passed",
            "retraining_due_on",
            "retrained_on",
            "retraining_open",
            "paper",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    exams = ExamResultSerializer(many=True, read_only=True)
    hazards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    exam_missing = serializers.BooleanField(read_only=True, help_text="县局检查未开展逢查必考（无考试成绩）")
    inspected_by = serializers.CharField(
        source="inspected_by_label",
        read_only=True,
        help_text="上级部门自行组织的检查：如“晋城市应急管理局检查”；县局的为空",
    )

    class Meta:
        model = Inspection
        fields = [
            "id",
            "mine",
            "mine_name",
            "campaign",
            "inspected_on",
            "mode",
            "mode_display",
            "higher_bureau",
            "inspected_by",
            "inspectors",
            "team_note",
            "notes",
            "exams",
            "exam_missing",
            "hazards",
            "created_at",
        ]
        read_only_fields = fields


class ColleagueField(serializers.PrimaryKeyRelatedField):
    """A person of the caller's own bureau (an inspection's 检查人员): anyone else is "not found", as on the page."""

    def get_queryset(self):
        user = self.context["request"].user
        return User.objects.filter(organization_id=user.organization_id, is_active=True)


class InspectionWriteSerializer(serializers.Serializer):
    mine = VisibleMineField(label="煤矿")
    inspectors = ColleagueField(
        queryset=User.objects.none(),  # the schema's model; each request reads its own bureau (get_queryset)
        label="检查人员",
        many=True,
        required=False,
        help_text="本单位参加检查的人员（用户编号）；登记人本人自动列入",
    )
    inspected_on = serializers.DateField(label="检查日期", validators=validators_of(Inspection, "inspected_on"))
    mode = serializers.ChoiceField(label="检查方式", choices=InspectionMode.choices)
    team_note = serializers.CharField(label="其他检查人员", max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(
        label="检查情况", required=False, allow_blank=True, validators=validators_of(Inspection, "notes")
    )


class InspectionUpdateSerializer(serializers.Serializer):
    """What an inspection's record says, corrected (its mine, day and mode stay as recorded)."""

    team_note = serializers.CharField(label="其他检查人员", max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(
        label="检查情况", required=False, allow_blank=True, validators=validators_of(Inspection, "notes")
    )


class CriteriaMatchInputSerializer(serializers.Serializer):
    """A hazard description to match against the situations of 《煤矿重大事故隐患判定标准》."""

    text = TextField(
        label="隐患内容",
        max_length=2000,
        error_messages={"blank": "请填写隐患内容。", "required": "请填写隐患内容（text）。"},
    )
    location = TextField(label="隐患地点", max_length=200, required=False, allow_blank=True, default="")
    # Blank: the hazard form asks as the officer types, before a 专业 is chosen (the page sends "" then).
    specialty = serializers.ChoiceField(
        label="专业", choices=HazardSpecialty.choices, required=False, allow_blank=True, default=""
    )


class CriteriaMatchSerializer(serializers.Serializer):
    category = serializers.IntegerField(label="类别序号")
    item = serializers.IntegerField(label="项序号")
    article = serializers.CharField(label="条")
    text = serializers.CharField(label="情形")
    score = serializers.FloatField(label="得分")


class CriteriaMatchResultSerializer(serializers.Serializer):
    likely_major = serializers.BooleanField(label="疑似重大隐患")
    matches = CriteriaMatchSerializer(many=True, label="可能的情形（最可能的在前）")

from rest_framework import serializers

from core import bounds
from core.serializers import VisibleMineField

from .models import MineSupervisor, Organization, SupervisorDuty, User


class OrganizationBriefSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "kind", "kind_display", "name"]


class OrganizationSerializer(serializers.ModelSerializer):
    """An organisation of any level (the contract of issue 22): `kind` is province, city, bureau (the county),
    enterprise or mine; `parent` the id of the one above it (null at the top); `division_code` its 行政区划代码."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    bureau = serializers.IntegerField(
        source="bureau_id", read_only=True, allow_null=True, help_text="所属县应急管理局（监管部门为其自身）"
    )

    class Meta:
        model = Organization
        fields = ["id", "kind", "kind_display", "name", "short_name", "parent", "bureau", "division_code"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "role_display", "organization"]


class MineSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="parent_id", read_only=True)
    enterprise_name = serializers.CharField(source="parent.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    supervisors = serializers.SerializerMethodField(help_text="监管专员（包保该矿的县局执法人员）的用户名")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "enterprise",
            "enterprise_name",
            "licence_no",
            "capacity_mt",
            "status",
            "status_display",
            "address",
            "contact_phone",
            "contact_email",
            "supervisors",
        ]

    def get_supervisors(self, obj) -> list[str]:
        # From the list's prefetch (accounts.selectors.active_supervisions): no query per mine.
        return [s.supervisor.username for s in obj.active_supervisions]


class MineSupervisorSerializer(serializers.ModelSerializer):
    mine_name = serializers.CharField(source="mine.name", read_only=True)
    supervisor = serializers.CharField(source="supervisor.username", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.display_name", read_only=True)
    supervisor_phone = serializers.CharField(source="supervisor.phone", read_only=True)
    duty_display = serializers.CharField(source="get_duty_display", read_only=True)

    class Meta:
        model = MineSupervisor
        fields = [
            "id",
            "mine",
            "mine_name",
            "supervisor",
            "supervisor_name",
            "supervisor_phone",
            "duty",
            "duty_display",
            "since",
            "note",
            "row_version",
        ]


class BureauUsernameField(serializers.SlugRelatedField):
    """A person named by username, among the users of the requesting user's bureau (the service checks the rest):
    a username of another county is "does not exist", as its objects are."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or request.user.bureau_id is None:
            return User.objects.none()
        return User.objects.filter(organization_id=request.user.bureau_id)


class MineSupervisorWriteSerializer(serializers.Serializer):
    """Parses input only; the service decides who may assign whom."""

    mine = VisibleMineField(label="煤矿")
    supervisor = BureauUsernameField(label="监管专员（用户名）")
    duty = serializers.ChoiceField(label="包保分工", choices=SupervisorDuty.choices, default=SupervisorDuty.LEAD)
    since = serializers.DateField(
        label="包保起始日期", required=False, allow_null=True, validators=[bounds.planned_date]
    )
    note = serializers.CharField(label="备注", max_length=200, required=False, allow_blank=True, default="")
    row_version = serializers.IntegerField(label="修改版本号", required=False, min_value=0, max_value=2**31 - 1)

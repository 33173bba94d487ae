"""The campaign's own organisation (the notice's section 二, 成立专项工作小组): the 领导组 with its members and
posts, the office it sets up (where it sits, its phone), the 检查工作组.

Who answers for which mine (监管专员包保) is the bureau's standing record, accounts.MineSupervisor: the 监管专员 are
there before and after a campaign."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import bounds
from core.concurrency import RowVersioned
from core.history import AuditTrail


class GroupKind(models.TextChoices):
    LEADING = "leading", "领导组"
    OFFICE = "office", "领导组办公室"
    INSPECTION = "inspection", "检查工作组"


class MemberPost(models.TextChoices):
    """Posts in the order a notice lists them."""

    HEAD = "head", "组长"
    DEPUTY = "deputy", "副组长"
    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    MEMBER = "member", "成员"
    LIAISON = "liaison", "联络员"


#: a post's place in a list of members (组长 first)
POST_RANK = {value: rank for rank, value in enumerate(MemberPost.values)}


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the campaign sees its organisation (the notice is public: 此件主动公开)."""
        from .campaign import Campaign

        return self.filter(campaign__in=Campaign.objects.visible_to(user))


class WorkingGroup(RowVersioned, models.Model):
    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="专项整治", on_delete=models.CASCADE, related_name="working_groups"
    )
    kind = models.CharField("类别", max_length=16, choices=GroupKind.choices)
    name = models.CharField("名称", max_length=100)
    located_at = models.CharField("设在", max_length=100, blank=True, help_text="如：县应急局煤矿执法一股")
    phone = models.CharField("联系电话", max_length=40, blank=True)
    duties = models.TextField("职责", blank=True, validators=[bounds.note_text()])
    order = models.PositiveSmallIntegerField("顺序", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "顺序")])

    objects = WorkingGroupQuerySet.as_manager()

    history = AuditTrail(verbose_name="工作组修改记录")

    class Meta:
        verbose_name = "工作组"
        verbose_name_plural = "工作组"
        ordering = ["campaign", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="working_group_unique_name")]

    def __str__(self):
        return self.name


class GroupMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .campaign import Campaign

        return self.filter(group__campaign__in=Campaign.objects.visible_to(user))


class GroupMember(RowVersioned, models.Model):
    """A post in a group: a system user of the bureau, or a name with a title (刘二红 县应急管理局总工程师), or a
    body of people (煤矿执法股室全体人员)."""

    group = models.ForeignKey(WorkingGroup, verbose_name="工作组", on_delete=models.CASCADE, related_name="members")
    post = models.CharField("职务（组内）", max_length=16, choices=MemberPost.choices, default=MemberPost.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="系统用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_posts",
    )
    name = models.CharField(
        "姓名", max_length=60, blank=True, help_text="不是系统用户时填写；也可填人员范围，如“全体监管专员”"
    )
    title = models.CharField("单位职务", max_length=60, blank=True, help_text="如：县应急管理局局长")
    phone = models.CharField("联系电话", max_length=40, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0, validators=[bounds.at_most(bounds.MAX_ORDER, "顺序")])

    objects = GroupMemberQuerySet.as_manager()

    history = AuditTrail(verbose_name="工作组成员修改记录")

    class Meta:
        verbose_name = "工作组成员"
        verbose_name_plural = "工作组成员"
        ordering = ["group", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="group_member_user_or_name"),
        ]

    def __str__(self):
        return f"{self.get_post_display()} {self.display_name}"

    @property
    def display_name(self):
        return self.user.display_name if self.user_id else self.name

    @property
    def display_title(self):
        return self.title or (self.user.title if self.user_id else "")

    @property
    def display_phone(self):
        return self.phone or (self.user.phone if self.user_id else "")

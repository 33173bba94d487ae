from django.conf import settings
from django.db import models

from core import bounds
from core.scoping import MineScopedQuerySet


class RedLineKind(models.TextChoices):
    RED_LINE = "red_line", "违法违规违章行为红线清单"
    ACCOUNTABILITY = "accountability", "追责问责清单"


class RedLineList(models.Model):
    """A mine's red-line list or its accountability list. A new version replaces the current one; old ones stay."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="red_lines")
    kind = models.CharField("清单类型", max_length=16, choices=RedLineKind.choices)
    version = models.PositiveIntegerField("版本", validators=[bounds.at_most(bounds.MAX_ORDER, "版本")])
    title = models.CharField("标题", max_length=200)
    effective_on = models.DateField("生效日期", validators=[bounds.planned_date])
    is_current = models.BooleanField("现行版本", default=True)
    note = models.CharField("修订说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = MineScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "红线清单"
        verbose_name_plural = "红线清单"
        ordering = ["mine", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["mine", "kind", "version"], name="redline_unique_version"),
            models.UniqueConstraint(
                fields=["mine", "kind"], condition=models.Q(is_current=True), name="redline_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"


class RedLineItem(models.Model):
    red_line_list = models.ForeignKey(RedLineList, verbose_name="清单", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", validators=[bounds.at_most(bounds.MAX_ORDER, "序号")])
    level = models.CharField("层级", max_length=40, help_text="如 矿级、科队级、班组级")
    post = models.CharField("岗位", max_length=60, help_text="如 采煤机司机、瓦斯检查工；全体人员写“全员”")
    content = models.TextField("行为（红线）", validators=[bounds.note_text()])
    consequence = models.TextField("处理/追责措施", blank=True, validators=[bounds.note_text()])

    class Meta:
        verbose_name = "清单条目"
        verbose_name_plural = "清单条目"
        ordering = ["red_line_list", "order"]

    def __str__(self):
        return f"{self.order}. {self.content[:30]}"

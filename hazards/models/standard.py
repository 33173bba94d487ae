from django.db import models

from core import bounds


class HazardStandard(models.Model):
    """A version of 《煤矿重大事故隐患判定标准》; kept as data so a revision loads without code changes."""

    version = models.CharField("版本", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    document_no = models.CharField("文号", max_length=60, blank=True)
    is_current = models.BooleanField("现行有效", default=True)

    class Meta:
        verbose_name = "重大事故隐患判定标准"
        verbose_name_plural = "重大事故隐患判定标准"
        ordering = ["-version"]

    def __str__(self):
        return f"{self.name}（{self.version}版）"


class MajorHazardCategory(models.Model):
    standard = models.ForeignKey(
        HazardStandard, verbose_name="判定标准", on_delete=models.PROTECT, related_name="categories"
    )
    no = models.PositiveSmallIntegerField("序号", validators=[bounds.at_most(bounds.MAX_ORDER, "序号")])
    name = models.CharField("情形", max_length=200)

    class Meta:
        verbose_name = "重大事故隐患类别"
        verbose_name_plural = "重大事故隐患类别"
        ordering = ["standard", "no"]
        constraints = [models.UniqueConstraint(fields=["standard", "no"], name="major_category_unique_no")]

    def __str__(self):
        return f"{self.no}. {self.name}"

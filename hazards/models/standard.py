from django.db import models

from core import bounds


def citation(*, standard_name, article, label):
    """How an enforcement document cites a situation: 《煤矿重大事故隐患判定标准》第七条第（二）项."""
    return f"《{standard_name}》{article}第{label}项"


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
    article = models.CharField("条", max_length=10, blank=True, help_text="判定标准中列出本类情形的条，如“第四条”")

    class Meta:
        verbose_name = "重大事故隐患类别"
        verbose_name_plural = "重大事故隐患类别"
        ordering = ["standard", "no"]
        constraints = [models.UniqueConstraint(fields=["standard", "no"], name="major_category_unique_no")]

    def __str__(self):
        return f"{self.no}. {self.name}"


class MajorHazardItem(models.Model):
    """One situation (情形) of a category, cited in enforcement documents as 第X条第（Y）项."""

    category = models.ForeignKey(
        MajorHazardCategory, verbose_name="重大隐患类别", on_delete=models.PROTECT, related_name="items"
    )
    no = models.PositiveSmallIntegerField("项", validators=[bounds.at_most(bounds.MAX_ORDER, "项")])
    label = models.CharField("项号", max_length=10, help_text="如“（一）”")
    text = models.TextField("情形", validators=[bounds.long_text()])

    class Meta:
        verbose_name = "重大事故隐患情形"
        verbose_name_plural = "重大事故隐患情形"
        ordering = ["category", "no"]
        constraints = [models.UniqueConstraint(fields=["category", "no"], name="major_item_unique_no")]

    def __str__(self):
        return f"{self.article}第{self.label}项 {self.text}"

    @property
    def article(self):
        return self.category.article

    @property
    def citation(self):
        """《煤矿重大事故隐患判定标准》第七条第（二）项: how an enforcement document cites it."""
        return citation(standard_name=self.category.standard.name, article=self.category.article, label=self.label)

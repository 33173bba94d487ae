"""Loads a revision of 《煤矿重大事故隐患判定标准》 beside the versions already there.

    python manage.py load_hazard_standard path/to/major-hazard-criteria-2026.json [--current]

The file is laid out as hazards/data/major-hazard-criteria-2020.json (version, standard, document_no, categories with
no, article, name and items with no, label, text). Hazards keep the version they were judged under: an older
version's categories and items stay; --current makes the new one the version new hazards are judged under.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hazards.models import HazardStandard, MajorHazardCategory, MajorHazardItem
from hazards.standards import load_standard, read_standard


def check(data):
    """The file's shape, with a message that names what is wrong."""
    for key in ("version", "standard", "categories"):
        if not data.get(key):
            raise CommandError(f"文件缺少“{key}”。")
    for cat in data["categories"]:
        for key in ("no", "name", "article"):
            if key not in cat:
                raise CommandError(f"第{cat.get('no', '?')}类缺少“{key}”。")
        for item in cat.get("items", ()):
            if not {"no", "label", "text"} <= item.keys():
                raise CommandError(f"第{cat['no']}类第{item.get('no', '?')}项缺少 no、label 或 text。")


class Command(BaseCommand):
    help = "载入一版《煤矿重大事故隐患判定标准》（类别、条、情形），与已有版本并存"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--current", action="store_true", help="设为现行有效版本（新登记的重大隐患按此版判定）")

    def handle(self, path, current, **options):
        try:
            data = read_standard(path)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        check(data)
        with transaction.atomic():
            standard = load_standard(
                data,
                HazardStandard=HazardStandard,
                MajorHazardCategory=MajorHazardCategory,
                MajorHazardItem=MajorHazardItem,
                make_current=current,
            )
        items = MajorHazardItem.objects.filter(category__standard=standard).count()
        state = "现行有效" if HazardStandard.objects.get(pk=standard.pk).is_current else "未设为现行"
        self.stdout.write(f"{standard}：{standard.categories.count()} 类，{items} 项情形（{state}）")

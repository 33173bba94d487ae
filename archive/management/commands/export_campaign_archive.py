from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.export import archive_name, export_campaign_archive
from campaign.models import Campaign


class Command(BaseCommand):
    help = "把一期专项整治的全部记录（台账、报送及各版本、附件、修改记录）导出为一个 zip 档案。"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="专项整治编号，如 yc-demo")
        parser.add_argument("--out", help="输出文件（默认：<编号>-<日期>.zip）")

    def handle(self, *args, campaign, out=None, **options):
        obj = Campaign.objects.filter(code=campaign, is_template=False).first()
        if obj is None:
            raise CommandError(f"没有编号为“{campaign}”的专项整治。")
        path = Path(out or archive_name(obj))
        with path.open("wb") as handle:
            manifest = export_campaign_archive(obj, handle)
        counts = "，".join(f"{k} {v['count']}" for k, v in manifest["parts"].items() if v["count"])
        self.stdout.write(self.style.SUCCESS(f"已导出 {path}：{counts}"))

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Bureau
from campaign.models import Campaign
from campaign.services import campaign_clone
from core.errors import DomainError


class Command(BaseCommand):
    help = "以已有专项整治（通常是模板）为样板复制新一期，所有日期同步平移。"

    def add_arguments(self, parser):
        parser.add_argument("source", help="样板的编号，如 yc-2024-100d")
        parser.add_argument("code", help="新一期的编号")
        parser.add_argument("--starts-on", required=True, help="新一期开始日期，YYYY-MM-DD")
        parser.add_argument("--bureau", required=True, help="组织单位（应急管理局）名称")
        parser.add_argument("--name", help="新一期名称（默认沿用样板名称）")
        parser.add_argument(
            "--document-no", default="", help="新一期通知的文号（不沿用样板的文号；不填则留空，可在页面上补填）"
        )

    def handle(self, *args, source, code, starts_on, bureau, name=None, document_no="", **options):
        try:
            starts = dt.date.fromisoformat(starts_on)
        except ValueError as exc:
            raise CommandError("开始日期格式应为 YYYY-MM-DD。") from exc
        template = Campaign.objects.filter(code=source).first()
        if template is None:
            raise CommandError(f"没有编号为“{source}”的专项整治。")
        bureau_obj = Bureau.objects.filter(name=bureau).first()
        if bureau_obj is None:
            raise CommandError(f"没有名为“{bureau}”的应急管理局。")
        try:
            clone = campaign_clone(
                source=template, code=code, starts_on=starts, bureau=bureau_obj, name=name, document_no=document_no
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建 {clone.code}：{clone.starts_on} 至 {clone.ends_on}"))

from django.core.management.base import BaseCommand
from django.db import transaction

from accidents.demo import seed_accidents
from accountability.demo import seed_accountability
from accounts.demo import seed_levels, seed_organizations, seed_supervisors
from campaign.demo import (
    seed_campaign,
    seed_city_campaign,
    seed_organisation,
    seed_verification,
    seed_winter_campaign,
)
from campaign.membership import units_of
from enforcement.demo_documents import seed_city_inspection, seed_documents
from enforcement.demo_penalty import seed_penalty_cases
from enforcement.demo_suspension import seed_suspensions
from hazards.demo import seed_hazards, seed_neighbour_hazards
from hazards.demo_listing import seed_listings
from notifications.demo import seed_channels
from reporting.demo import seed_reporting, seed_upward_reports
from violations.demo import seed_violations
from workforce.demo import seed_workforce


def fill_from_records(campaign):
    """The items of `campaign` proved by records, filled in from the records its mines already keep (a record kept
    after it was published moves them by itself)."""
    from violations.progress import backtracks_progress_refresh
    from workforce.progress import records_progress_refresh

    for mine in units_of(campaign, kinds=("mine",)):
        records_progress_refresh(mine=mine, campaign=campaign)
        backtracks_progress_refresh(mine=mine, campaign=campaign)


class Command(BaseCommand):
    help = "创建（或补全）演示县的数据：单位、用户、进行中的专项整治和台账。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="所有演示账号的密码")

    @transaction.atomic
    def handle(self, *args, password, **options):
        orgs, users = seed_organizations(password=password)
        seed_supervisors(orgs=orgs, users=users)
        campaign = seed_campaign(bureau=orgs["bureau"], actor=users["admin"])
        seed_organisation(campaign=campaign, users=users)
        seed_hazards(campaign=campaign, orgs=orgs, users=users)
        seed_violations(campaign=campaign, orgs=orgs, users=users)
        seed_workforce(campaign=campaign, orgs=orgs, users=users)
        seed_reporting(campaign=campaign, orgs=orgs, users=users)
        seed_verification(campaign=campaign, orgs=orgs, users=users)
        seed_penalty_cases(orgs=orgs, users=users)
        seed_documents(orgs=orgs, users=users)
        seed_listings(orgs=orgs, users=users)
        seed_suspensions(orgs=orgs, users=users)
        seed_accidents(campaign=campaign, orgs=orgs, users=users)
        seed_accountability(orgs=orgs, users=users)
        seed_channels(orgs=orgs, users=users)  # the bureau's robots and some deliveries in each status
        seed_levels(orgs=orgs, users=users, password=password)
        seed_neighbour_hazards(orgs=orgs, users=users)
        # The city's own inspection of a 阳城 mine: its finding in the county's ledger, its document in its own series.
        seed_city_inspection(orgs=orgs, users=users, password=password)
        # The city's campaign the demo county's answers, and what the counties sent the city on it.
        city_campaign, _ = seed_city_campaign(orgs=orgs, users=users, county_campaign=campaign)
        seed_upward_reports(campaign=city_campaign, orgs=orgs, users=users)
        # A second campaign running at the same time, over two of the mines: seeded last, so the pages of the first
        # are as they were; the records already kept fill in its items proved by records.
        winter, created = seed_winter_campaign(orgs=orgs, users=users)
        if created:
            fill_from_records(winter)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪：{campaign.name}（{campaign.starts_on} 至 {campaign.ends_on}）")
        )
        self.stdout.write("演示账号：" + "、".join(users) + f"，密码均为 {password}")

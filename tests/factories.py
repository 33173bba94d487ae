import datetime as dt

import factory

from accounts.models import Bureau, City, Enterprise, Mine, Province, Role, User
from campaign.models import Campaign
from campaign.services import campaign_clone
from campaign.template_data import read_template


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau

    kind = "bureau"
    name = factory.Sequence(lambda n: f"测试县应急管理局{n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    kind = "city"
    name = factory.Sequence(lambda n: f"测试市应急管理局{n}")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    kind = "province"
    name = factory.Sequence(lambda n: f"测试省应急管理厅{n}")


def regulator_levels(county):
    """Above the `county` fixture: 山西省 → 晋城市 → the county's bureau (阳城); its neighbour (the other bureau) under
    another city, 外市, itself under no province — so the province and the city see the county and never the other
    bureau, and 外市 sees the other bureau and never the county. A regulator account on each of the three."""

    class Levels:
        pass

    lv = Levels()
    lv.province = ProvinceFactory(name="山西省应急管理厅", division_code="140000")
    lv.city = CityFactory(name="晋城市应急管理局", division_code="140500", parent=lv.province)
    lv.other_city = CityFactory(name="外市应急管理局", division_code="140400")
    county.bureau.parent, county.bureau.division_code = lv.city, "140522"
    county.bureau.save()
    county.other_bureau.parent, county.other_bureau.division_code = lv.other_city, "140423"
    county.other_bureau.save()
    lv.city_user = UserFactory(username="city", role=Role.REGULATOR, organization=lv.city, full_name="市局监管员")
    lv.province_user = UserFactory(username="province", role=Role.REGULATOR, organization=lv.province)
    lv.other_city_user = UserFactory(username="other_city", role=Role.REGULATOR, organization=lv.other_city)
    return lv


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    kind = "enterprise"
    name = factory.Sequence(lambda n: f"测试煤业集团{n}")
    parent = factory.SubFactory(BureauFactory)


class MineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mine

    kind = "mine"
    name = factory.Sequence(lambda n: f"测试煤矿{n}")
    parent = factory.SubFactory(EnterpriseFactory)
    licence_no = factory.Sequence(lambda n: f"MK{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = Role.MINE_OFFICER
    organization = factory.SubFactory(MineFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-Secret-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def template_campaign():
    ensure_reference_data()
    return Campaign.objects.get(code=read_template()["code"])


def running_campaign(*, bureau, starts_on=dt.date(2024, 10, 28), code=None):
    """A campaign of `bureau` cloned from the 2024 template (same dates unless `starts_on` moves them)."""
    return campaign_clone(
        source=template_campaign(), code=code or f"c-{bureau.pk}-{starts_on:%Y%m%d}", starts_on=starts_on, bureau=bureau
    )


class HazardFactory(factory.django.DjangoModelFactory):
    """A general hazard, still open, written straight to the table (tests of services call the services)."""

    class Meta:
        model = "hazards.Hazard"

    mine = factory.SubFactory(MineFactory)
    source = "unit_weekly"
    found_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
    location = factory.Sequence(lambda n: f"{n}号工作面")
    specialty = "roof"
    description = factory.Sequence(lambda n: f"支架初撑力不足 {n}")
    level = "general"
    measures = "补液升架"
    responsible_unit = "综采一队"
    responsible_person = "王建军"
    due_on = factory.LazyAttribute(lambda o: o.found_on + dt.timedelta(days=7))
    status = "open"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """A major hazard names its 情形, as the services require: the first item of the category given, or
        第八条第（三）项 (串联通风) with its category. `major_item=None`: one recorded before the items were data."""
        if kwargs.get("level") == "major" and "major_item" not in kwargs:
            from hazards.models import MajorHazardItem

            category = kwargs.get("major_category")
            items = MajorHazardItem.objects.order_by("no")
            if category is not None:
                kwargs["major_item"] = items.filter(category=category).first()
            else:
                kwargs["major_item"] = items.get(category__standard__is_current=True, category__no=5, no=3)
                kwargs["major_category"] = kwargs["major_item"].category
        return kwargs


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "violations.Violation"

    mine = factory.SubFactory(MineFactory)
    occurred_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=2))
    location = "1203掘进工作面"
    person_name = factory.Sequence(lambda n: f"职工{n}")
    post = "掘进工"
    department = "掘进一队"
    team = "掘进一队3班"
    type = "operation"
    severity = "general"
    description = factory.Sequence(lambda n: f"未执行敲帮问顶 {n}")


def ensure_reference_data():
    """The data the migrations load (the 2024 template, the 2020 major-hazard standard), loaded again if a
    transactional test's flush removed it. Same loaders as the migrations; idempotent."""
    from campaign.models import Deadline, Phase, Requirement
    from campaign.template_data import load_campaign, read_notice, read_template
    from hazards.models import HazardStandard, MajorHazardCategory, MajorHazardItem
    from hazards.standards import CRITERIA_2020, load_standard, read_standard

    data = read_template()
    if not Campaign.objects.filter(code=data["code"]).exists():
        models = {"Campaign": Campaign, "Phase": Phase, "Deadline": Deadline, "Requirement": Requirement}
        load_campaign(data, models=models, is_template=True, notice_text=read_notice())
    if not MajorHazardCategory.objects.exists():
        load_standard(read_standard(), HazardStandard=HazardStandard, MajorHazardCategory=MajorHazardCategory)
    if not MajorHazardItem.objects.exists():  # the 80 情形 (hazards 0015) complete the same 2020 version
        load_standard(
            read_standard(CRITERIA_2020),
            HazardStandard=HazardStandard,
            MajorHazardCategory=MajorHazardCategory,
            MajorHazardItem=MajorHazardItem,
            make_current=False,
        )

"""The demo county's organisations and people (DESIGN.md §4). Idempotent: looked up by name/username."""

from decimal import Decimal

from .models import Bureau, City, Enterprise, Mine, MineStatus, MineSupervisor, Role, SupervisorDuty, User
from .services import mine_supervisor_assign

BUREAU_NAME = "阳城县应急管理局"
#: the notice's contacts (阳应急发〔2024〕280号: 联系电话 4220723, 电子邮箱 jjy0425@163.com)
BUREAU_PHONE = "4220723"
BUREAU_EMAIL = "jjy0425@163.com"

ENTERPRISES = [
    {
        "name": "晋阳煤业集团有限公司",
        "short_name": "晋阳煤业",
        "mines": [
            ("mine1", "晋阳煤业集团东峰煤矿", "东峰煤矿", "MK1405220001", "90"),
            ("mine2", "晋阳煤业集团西岭煤矿", "西岭煤矿", "MK1405220002", "60"),
            (None, "晋阳煤业集团南沟煤矿", "南沟煤矿", "MK1405220003", "45"),
        ],
    },
    {
        "name": "阳城县华泰能源有限公司",
        "short_name": "华泰能源",
        "mines": [
            ("mine3", "华泰能源北坡煤矿", "北坡煤矿", "MK1405220004", "120"),
            (None, "华泰能源河口煤矿", "河口煤矿", "MK1405220005", "30"),
        ],
    },
]

PEOPLE = {
    "inspector": ("刘伟", Role.INSPECTOR, "执法一股股长"),
    # A second 监管专员 of the county (检查工作组副组长 in the notice), who answers for 北坡煤矿 and the mines
    # without an account.
    "inspector2": ("马晋斌", Role.INSPECTOR, "执法二股股长"),
    "leader": ("陈永明", Role.LEADER, "局长"),
    "admin": ("系统管理员", Role.ADMIN, "信息中心"),
    "ent1": ("高志刚", Role.ENTERPRISE_OFFICER, "安全副总"),
    "ent2": ("杨建华", Role.ENTERPRISE_OFFICER, "安全部长"),
    "mine1": ("周伟", Role.MINE_OFFICER, "安检科科长"),
    "mine2": ("王磊", Role.MINE_OFFICER, "安检科副科长"),
    "mine3": ("李红梅", Role.MINE_OFFICER, "安全员"),
}


#: mobile phones the mines see next to their 监管专员 (demo numbers)
PHONES = {"inspector": "13935601271", "inspector2": "13935601283"}

#: 监管专员包保: which demo inspector answers for which mine (by the key of `orgs`)
SUPERVISION = [
    ("mine1", "inspector", SupervisorDuty.LEAD, "驻矿监管"),
    ("mine2", "inspector", SupervisorDuty.LEAD, "停产整顿期间每周到矿"),
    ("mine2", "inspector2", SupervisorDuty.ASSIST, "协助复产验收"),
    ("mine3", "inspector2", SupervisorDuty.LEAD, ""),
    ("南沟煤矿", "inspector2", SupervisorDuty.LEAD, ""),
    ("河口煤矿", "inspector2", SupervisorDuty.LEAD, ""),
]


def seed_organizations(*, password):
    bureau, _ = Bureau.objects.get_or_create(
        kind="bureau",
        name=BUREAU_NAME,
        defaults={"short_name": "县应急局", "contact_phone": BUREAU_PHONE, "contact_email": BUREAU_EMAIL},
    )
    if not bureau.contact_email:  # a county seeded before the bureau had an e-mail
        bureau.contact_email = BUREAU_EMAIL
        bureau.save(update_fields=["contact_email"])
    orgs = {"bureau": bureau}
    for index, spec in enumerate(ENTERPRISES, start=1):
        enterprise, _ = Enterprise.objects.get_or_create(
            kind="enterprise", name=spec["name"], parent=bureau, defaults={"short_name": spec["short_name"]}
        )
        orgs[f"ent{index}"] = enterprise
        for username, name, short, licence, capacity in spec["mines"]:
            mine, _ = Mine.objects.get_or_create(
                kind="mine",
                name=name,
                parent=enterprise,
                defaults={
                    "short_name": short,
                    "licence_no": licence,
                    "capacity_mt": Decimal(capacity),
                    "status": MineStatus.NORMAL,
                    "address": f"山西省晋城市阳城县{short[:2]}村",
                },
            )
            orgs[username or short] = mine
    users = {}
    for username, (full_name, role, title) in PEOPLE.items():
        org = orgs.get(username, bureau)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "organization": org,
                "title": title,
                "email": f"{username}@demo.invalid",
                "phone": PHONES.get(username, ""),
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        # Only set the password when it differs, so a second run changes nothing.
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        users[username] = user
    return orgs, users


#: above the demo county (issue 22): its city, and a second small county of the same city
CITY = {"name": "晋城市应急管理局", "short_name": "市应急局", "division_code": "140500"}
COUNTY_CODE = "140522"  # 阳城县
NEIGHBOUR = {
    "name": "沁水县应急管理局",
    "short_name": "沁水县应急局",
    "division_code": "140521",
    "enterprise": ("沁水县鑫源煤业有限公司", "鑫源煤业"),
    "mines": [
        ("qinshui_mine", "鑫源煤业东坡煤矿", "东坡煤矿", "MK1405210001", "60"),
        (None, "鑫源煤业西坡煤矿", "西坡煤矿", "MK1405210002", "45"),
    ],
}
LEVEL_PEOPLE = {
    "city": ("赵国华", Role.REGULATOR, "市局安全生产基础科科长"),
    "qinshui": ("李建军", Role.INSPECTOR, "沁水县应急局煤矿执法股股长"),
    "qinshui_mine": ("韩晓峰", Role.MINE_OFFICER, "安检科科长"),
}


def seed_levels(*, orgs, users, password):
    """晋城市应急管理局 above the demo county and a second county (沁水) beside it, with one enterprise, two mines, the
    city's regulator `city` and the officer of 东坡煤矿. Idempotent: looked up by name, codes set once."""
    city, _ = City.objects.get_or_create(kind="city", name=CITY["name"], defaults=CITY)
    county = orgs["bureau"]
    if county.parent_id != city.pk or county.division_code != COUNTY_CODE:
        county.parent, county.division_code = city, COUNTY_CODE
        county.save(update_fields=["parent", "division_code"])
    neighbour, _ = Bureau.objects.get_or_create(
        kind="bureau",
        name=NEIGHBOUR["name"],
        defaults={"short_name": NEIGHBOUR["short_name"], "division_code": NEIGHBOUR["division_code"], "parent": city},
    )
    name, short = NEIGHBOUR["enterprise"]
    enterprise, _ = Enterprise.objects.get_or_create(
        kind="enterprise", name=name, parent=neighbour, defaults={"short_name": short}
    )
    level_orgs = {"city": city, "neighbour": neighbour, "neighbour_enterprise": enterprise}
    for username, name, short, licence, capacity in NEIGHBOUR["mines"]:
        mine, _ = Mine.objects.get_or_create(
            kind="mine",
            name=name,
            parent=enterprise,
            defaults={
                "short_name": short,
                "licence_no": licence,
                "capacity_mt": Decimal(capacity),
                "address": f"山西省晋城市沁水县{short[:2]}村",
            },
        )
        level_orgs[username or short] = mine
    level_users = {}
    for username, (full_name, role, title) in LEVEL_PEOPLE.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "organization": level_orgs.get(username) or level_orgs["neighbour"],
                "title": title,
                "email": f"{username}@demo.invalid",
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        level_users[username] = user
    orgs.update(level_orgs)
    users.update(level_users)
    return level_orgs, level_users


def seed_supervisors(*, orgs, users):
    """监管专员包保 of the demo county (once: an assignment already there is left as it is)."""
    for key, username, duty, note in SUPERVISION:
        mine, supervisor = orgs[key], users[username]
        if not MineSupervisor.objects.filter(mine=mine, supervisor=supervisor).exists():
            mine_supervisor_assign(actor=users["inspector"], mine=mine, supervisor=supervisor, duty=duty, note=note)


#: the city's second officer, named with `city` on the city's own documents (two officers sign a document)
CITY_COLLEAGUE = {
    "username": "city_officer",
    "full_name": "王海涛",
    "title": "市局执法监察支队执法人员",
    "certificate_no": "14050020200611",
}


def seed_city_colleague(*, city, password):
    """A second regulator of the city (issue 22: its documents need two officers holding a 执法证号); it logs in like
    every demo account. Idempotent: looked up by username."""
    fields = dict(CITY_COLLEAGUE)
    username = fields.pop("username")
    user, created = User.objects.get_or_create(
        username=username, defaults={**fields, "role": Role.REGULATOR, "organization": city}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user

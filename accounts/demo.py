"""The demo county's organisations and people (DESIGN.md §4). Idempotent: looked up by name/username."""

from decimal import Decimal

from .models import Bureau, Enterprise, Mine, MineStatus, Role, User

BUREAU_NAME = "阳城县应急管理局"

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
    "leader": ("陈永明", Role.LEADER, "局长"),
    "admin": ("系统管理员", Role.ADMIN, "信息中心"),
    "ent1": ("高志刚", Role.ENTERPRISE_OFFICER, "安全副总"),
    "ent2": ("杨建华", Role.ENTERPRISE_OFFICER, "安全部长"),
    "mine1": ("周伟", Role.MINE_OFFICER, "安检科科长"),
    "mine2": ("王磊", Role.MINE_OFFICER, "安检科副科长"),
    "mine3": ("李红梅", Role.MINE_OFFICER, "安全员"),
}


def seed_organizations(*, password):
    bureau, _ = Bureau.objects.get_or_create(
        kind="bureau", name=BUREAU_NAME, defaults={"short_name": "县应急局", "contact_phone": "4220723"}
    )
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

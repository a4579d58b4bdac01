"""Demo city: 临江市, two districts, units of every kind, about 400 officers with generated names.

Built through the account services, never raw inserts. Deterministic: the same seed, the same city.
"""

import random

from accounts import passwords, services, units
from accounts.models import Role, UnitKind

DEMO_PASSWORD = "yingzhi2026"  # noqa: S105 (the documented demo password, refused in production)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建文利晶波宁鑫斌宇浩凯健俊帆帅旭"
    "欣怡晨阳雪梅琳婷颖佳悦蕾倩瑶嘉博彬翔飞海亮坤峰毅志国庆东林春燕丹慧敏捷诚晓光天宏振兴永安"
)

# (name, kind, (department, officers)…, officers at the head unit): about 200 people a district.
DISTRICT_UNITS = (
    (
        "{d}公安分局",
        UnitKind.POLICE,
        (
            ("城关派出所", 24),
            ("{short}派出所", 20),
            ("滨江派出所", 20),
            ("刑侦大队", 18),
            ("治安大队", 12),
            ("交警大队", 16),
            ("政治处", 6),
        ),
        6,
    ),
    ("{d}人民检察院", UnitKind.PROCURATORATE, (("第一检察部", 8), ("第二检察部", 7), ("综合业务部", 5)), 3),
    ("{d}人民法院", UnitKind.COURT, (("刑事审判庭", 8), ("民事审判庭", 9), ("执行局", 8), ("立案庭", 5)), 3),
    ("{d}司法局", UnitKind.JUSTICE, (("法律援助中心", 5), ("城关司法所", 4)), 3),
)
DISTRICTS = (("东湖区", "东湖", 31), ("西山区", "西山", 32))


def _name(rng: random.Random, used: set) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in used:
            used.add(name)
            return name


def seed_people(now, rng: random.Random) -> dict:
    """Create the city's units and people. Returns the named units and demo accounts for later steps."""
    demo_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash for all demo accounts: seeding stays fast
    used_names: set = set()
    city = units.create_unit(None, name="临江市委政法委", kind=UnitKind.COMMITTEE, parent=None, now=now)
    admin, _ = services.create_user(
        None, username="admin", full_name="系统管理员", unit=city, role=Role.ADMIN, now=now, password_hash=demo_hash
    )
    result = {"city": city, "admin": admin, "districts": [], "officers": []}
    for index, (district, short, prefix) in enumerate(DISTRICTS):
        committee = units.create_unit(
            None, name=f"{district}委政法委", kind=UnitKind.COMMITTEE, parent=city, now=now, sort_order=index
        )
        result["districts"].append(committee)
        serial = 0

        def add(unit, role=Role.OFFICER, username=None, full_name=None, prefix=prefix):
            nonlocal serial
            serial += 1
            user, _ = services.create_user(
                None,
                username=username or f"{prefix}{serial:04d}",
                full_name=full_name or _name(rng, used_names),
                unit=unit,
                role=role,
                now=now,
                password_hash=demo_hash,
            )
            if role == Role.OFFICER:
                result["officers"].append(user)
            return user

        suffix = "" if index == 0 else "2"
        result[f"supervisor{suffix}"] = add(
            committee, Role.SUPERVISOR, username=f"supervisor{suffix}", full_name=_name(rng, used_names)
        )
        for _ in range(2):
            add(committee)
        for order, (pattern, kind, departments, head_count) in enumerate(DISTRICT_UNITS):
            body = units.create_unit(
                None, name=pattern.format(d=district), kind=kind, parent=committee, now=now, sort_order=order
            )
            add(body, Role.SUPERVISOR)
            for _ in range(head_count):
                add(body)
            for sub_order, (dept, count) in enumerate(departments):
                department = units.create_unit(
                    None,
                    name=dept.format(short=short),
                    kind=UnitKind.DEPARTMENT,
                    parent=body,
                    now=now,
                    sort_order=sub_order,
                )
                for number in range(count):
                    # The district's demo officer is the first one of its 城关派出所.
                    demo_login = "officer" + suffix if dept == "城关派出所" and number == 0 else None
                    add(department, username=demo_login)
    return result

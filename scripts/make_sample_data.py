"""Write the shipped 2020 input files under ``zsreport/data/2020/`` (the sample the package ships).

* ``2020年招商计划表.xlsx`` — the real plan: the 附件 table of 邵承办发〔2020〕2号, figure by figure.
* ``2020Q1`` … ``2020Q4`` / ``季度完成情况.xlsx`` and ``项目库.xlsx`` — **sample** quarterly returns
  (labelled 示例数据 in their titles): a COVID-hit first quarter, then recovery, the city a little
  over most targets by Q4 with a few units behind 序时进度. The counts in 季度完成情况 are derived
  from the ledger under the counting rules of ``docs/ARCHITECTURE.md`` so that the two agree.
  邵阳县 follows the seed article (20 projects, 16.88亿元, +20%, 孚瓯科技, 红石生态科技园, 华登玩具).

Deterministic: a fixed seed, fixed workbook timestamps and fixed zip entry times, so re-running
the script reproduces the committed files byte for byte.

    cd /work/main && PYTHONPATH=. python3 scripts/make_sample_data.py
    python3 scripts/make_sample_data.py --units 120 --out /tmp/data120   # a province-sized sample
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "zsreport" / "data"  # package data: the sample year, the default registry and office
YEAR = 2020
SEED = 20200620  # the plan's 成文日期

CITY = "全市"
REAL_UNITS = (
    "邵阳经开区",
    "邵东市",
    "新邵县",
    "隆回县",
    "武冈市",
    "洞口县",
    "邵阳县",
    "绥宁县",
    "城步县",
    "新宁县",
    "大祥区",
    "双清区",
    "北塔区",
)
UNITS = REAL_UNITS  # the units written (scale_units changes it for --units)
KEYS = (
    "provincial_funds",
    "industrial_funds",
    "foreign_capital",
    "new_projects",
    "chain_projects",
    "hightech",
    "big_manufacturing",
    "top500",
)
COUNT_KEYS = KEYS[3:]
N = None  # a blank cell in the plan: no target

# The 附件 table of 邵承办发〔2020〕2号, exactly as printed (blank = no target).
PLAN: dict[str, tuple[float | None, ...]] = {
    "全市": (523, 315, 37600, 180, 102, 90, 14, 15),
    "邵阳经开区": (17, 11.4, 1700, 32, 32, 20, 2, 3),
    "邵东市": (97.45, 58.47, 4550, 30, 20, 20, 2, 1),
    "新邵县": (57.25, 34.35, 3550, 18, 15, 8, 2, 1),
    "隆回县": (42, 25.2, 4800, 18, 8, 8, 2, 1),
    "武冈市": (35.85, 21.51, 4850, 18, 7, 8, 2, 1),
    "洞口县": (45.8, 27.48, 3750, 12, 7, 6, 2, 1),
    "邵阳县": (43.4, 26.04, 3700, 12, 5, 6, 2, 1),
    "绥宁县": (18.35, 11.01, N, 7, 3, 2, N, 1),
    "城步县": (15.95, 9.57, N, 7, 2, 2, N, 1),
    "新宁县": (21.8, 13.08, 3700, 7, 3, 2, N, 1),
    "大祥区": (50.75, 30.45, 3700, 7, N, 3, N, 1),
    "双清区": (55.65, 33.39, 3300, 6, N, 3, N, 1),
    "北塔区": (21.75, 13.05, N, 6, N, 2, N, 1),
}

CHAINS = ("装备制造", "显示功能材料", "智能家居家电", "循环经济", "中医药", "时尚用品", "互联网")
OTHER = "其他"
MANUFACTURING = ("装备制造", "显示功能材料", "智能家居家电", "循环经济", "中医药", "时尚用品")

# ---------------------------------------------------------------------------------------------
# Year-end (Q4) design of the sample: how far each unit gets.
# Money: ratio of the annual target reached by Q4 (units without a target get a small absolute
# figure instead); 同比 at Q4. Counts: the number of signed (新引进) projects and how many of them
# are chain / 高新技术 / 5亿元以上制造业 / 三类500强.
# ---------------------------------------------------------------------------------------------
MONEY_RATIO = {  # 省外境内资金, 工业引资, 实际利用外资 (Q4 / target)
    "邵阳经开区": (1.12, 1.10, 1.06),
    "邵东市": (1.08, 1.07, 1.05),
    "新邵县": (1.06, 1.05, 1.03),
    "隆回县": (1.05, 1.04, 1.02),
    "武冈市": (1.07, 1.06, 1.04),
    "洞口县": (1.04, 1.03, 1.01),
    "邵阳县": (None, 1.05, 1.02),  # 省外境内资金 fixed below (seed article: +20% 同比)
    "绥宁县": (1.03, 1.02, None),
    "城步县": (0.86, 0.84, None),  # behind 序时进度
    "新宁县": (1.04, 1.03, 0.81),  # 外资 behind
    "大祥区": (1.05, 1.04, 1.02),
    "双清区": (0.93, 0.95, 1.01),  # behind on 省外境内资金
    "北塔区": (1.02, 0.90, None),  # 工业引资 behind
}
NO_TARGET_FOREIGN = {"绥宁县": 420, "城步县": 0, "北塔区": 260}  # 万美元, Q4
SHAOYANG_PROVINCIAL = (45.60, 38.00)  # 邵阳县 省外境内资金 Q4 and 上年同期: +20.0%
GROWTH = {  # 同比 of the money figures at Q4
    "邵阳经开区": 0.23,
    "邵东市": 0.12,
    "新邵县": 0.09,
    "隆回县": 0.15,
    "武冈市": 0.18,
    "洞口县": 0.07,
    "邵阳县": 0.20,
    "绥宁县": 0.11,
    "城步县": -0.06,
    "新宁县": 0.05,
    "大祥区": 0.14,
    "双清区": -0.03,
    "北塔区": 0.21,
}
COUNTS = {  # new, chain, hightech, big_manufacturing, top500 at Q4
    "邵阳经开区": (33, 33, 21, 3, 3),
    "邵东市": (31, 20, 20, 2, 2),
    "新邵县": (19, 15, 9, 2, 1),
    "隆回县": (18, 8, 8, 2, 1),
    "武冈市": (19, 7, 8, 2, 1),
    "洞口县": (13, 7, 6, 2, 1),
    "邵阳县": (20, 10, 7, 1, 1),  # big_manufacturing behind (孚瓯 only)
    "绥宁县": (7, 3, 2, 0, 0),
    "城步县": (7, 2, 1, 0, 0),  # 高新技术 behind
    "新宁县": (8, 3, 2, 0, 1),
    "大祥区": (7, 1, 3, 1, 1),
    "双清区": (5, 0, 3, 0, 1),  # new projects behind
    "北塔区": (6, 1, 2, 0, 0),
}
INFO_Q4 = {
    "邵阳经开区": 156,
    "邵东市": 142,
    "新邵县": 88,
    "隆回县": 97,
    "武冈市": 91,
    "洞口县": 76,
    "邵阳县": 118,
    "绥宁县": 45,
    "城步县": 38,
    "新宁县": 52,
    "大祥区": 64,
    "双清区": 57,
    "北塔区": 41,
}
# Cumulative share of the year's final figure reached by the end of each quarter.
PATH_2020 = (0.15, 0.43, 0.73, 1.0)  # COVID-hit Q1, then recovery
PATH_2019 = (0.22, 0.48, 0.74, 1.0)  # a normal year (for 上年同期)
PENDING_Q4 = {  # 洽谈 projects still open at the year's end
    "邵阳经开区": 4,
    "邵东市": 3,
    "新邵县": 2,
    "隆回县": 2,
    "武冈市": 2,
    "洞口县": 1,
    "邵阳县": 0,  # its 15 意向 firms are in talks but not yet in the ledger
    "绥宁县": 1,
    "城步县": 1,
    "新宁县": 2,
    "大祥区": 2,
    "双清区": 2,
    "北塔区": 2,
}

# ---------------------------------------------------------------------------------------------
# Project names: fictional firms, real-sounding products.
# ---------------------------------------------------------------------------------------------
FIRM_A = "湘邵宏鑫瑞恒华金盛远泰源丰明晟航正博嘉凯荣德兴隆昌润弘锦越通達宝"
FIRM_B = "达丰源泰昌盛通航宇晖科诚信力创联合美安和锐新龙腾川峰禾"
PRODUCTS = {
    "装备制造": (
        "精密机械零部件",
        "汽车零部件",
        "工程机械配套件",
        "数控机床",
        "液压元件",
        "智能装备",
        "微特电机",
        "新能源汽车电池托盘",
        "摩托车配件",
        "精密铸造件",
        "输变电设备",
    ),
    "显示功能材料": (
        "特种玻璃深加工",
        "盖板玻璃",
        "电子元器件",
        "触控显示模组",
        "光学膜",
        "液晶显示模组",
        "电子线路板",
    ),
    "智能家居家电": ("智能电饭煲", "小家电", "智能卫浴", "定制家居", "电热水壶", "智能锁具", "厨房电器"),
    "循环经济": ("废旧塑料再生利用", "再生金属回收加工", "报废汽车拆解", "废纸再生利用", "再生资源分拣"),
    "中医药": (
        "中药饮片加工",
        "金银花深加工",
        "中药材仓储物流",
        "中成药生产",
        "中药配方颗粒",
        "玉竹精深加工",
    ),
    "时尚用品": ("箱包", "打火机", "发制品", "鞋服", "眼镜", "毛绒玩具", "体育用品", "五金刀剪"),
    "互联网": ("大数据中心", "电商产业园", "软件服务外包", "数字创意", "直播电商基地", "呼叫中心"),
    "其他": ("新型建材", "食品加工", "竹木制品", "纺织服装", "农产品加工", "冷链物流", "包装材料", "纸制品"),
}
SUFFIXES = ("生产项目", "生产基地项目", "产业园项目", "智能制造项目", "生产线项目", "扩建项目")
SERVICE_SUFFIXES = ("项目", "产业园项目", "基地建设项目")
SERVICES = {
    "冷链物流",
    "中药材仓储物流",
    "大数据中心",
    "电商产业园",
    "软件服务外包",
    "数字创意",
    "直播电商基地",
    "呼叫中心",
    "再生资源分拣",
}
CHAIN_WEIGHTS = {  # which chains a unit's projects lean to
    "邵阳经开区": {"装备制造": 4, "显示功能材料": 4, "智能家居家电": 3, "互联网": 1},
    "邵东市": {"时尚用品": 5, "中医药": 2, "装备制造": 2, "智能家居家电": 1},
    "新邵县": {"装备制造": 2, "循环经济": 2, "中医药": 1, "时尚用品": 1},
    "隆回县": {"中医药": 3, "时尚用品": 2, "装备制造": 1},
    "武冈市": {"装备制造": 2, "中医药": 1, "时尚用品": 1, "智能家居家电": 1},
    "洞口县": {"装备制造": 2, "中医药": 1, "时尚用品": 2},
    "邵阳县": {"装备制造": 3, "时尚用品": 1},
    "绥宁县": {"中医药": 2, "循环经济": 1},
    "城步县": {"中医药": 2, "时尚用品": 1},
    "新宁县": {"时尚用品": 1, "中医药": 1, "装备制造": 1},
    "大祥区": {"循环经济": 1, "互联网": 1},
    "双清区": {"循环经济": 2, "互联网": 1},
    "北塔区": {"互联网": 2, "智能家居家电": 1},
}

LEADERS = (
    "市委常委、常务副市长",
    "市委常委、副市长",
    "副市长",
    "市人大常委会副主任",
    "市政协副主席",
    "市委常委、市委秘书长",
)
DEPTS = (
    "市工业和信息化局",
    "市发展和改革委员会",
    "市商务局",
    "市科学技术局",
    "市自然资源和规划局",
    "市市场监督管理局",
    "邵阳经开区管委会",
)
PROBLEMS = {
    "征地拆迁": (
        ("项目用地尚有{n}亩未完成征收，个别农户诉求较高", "属地政府包片攻坚，{m}月底前完成剩余用地征收交付"),
        ("红线范围内有{n}座坟墓待迁移", "落实迁坟补偿政策，{m}月底前清零"),
    ),
    "要素保障": (
        ("园区110千伏专线未建成，试生产用电容量不足", "供电公司倒排工期，{m}月底前完成专线送电"),
        ("项目用水、用气管网未接通", "属地政府协调管网单位，{m}月底前接通"),
    ),
    "融资": (
        ("企业流动资金紧张，设备购置贷款未落实", "金融办组织银企对接，推荐纳入重点企业融资白名单"),
        ("受疫情影响，投资方资金到位滞后", "市级联系领导约谈投资方，督促{m}月底前到位{n}00万元"),
    ),
    "审批": (
        ("环评、能评手续办理进度慢", "行政审批服务局开辟绿色通道，实行并联审批"),
        ("施工许可证尚未办理", "容缺受理，{m}月中旬前核发施工许可证"),
    ),
    "用工": (
        ("熟练技术工人缺口约{n}0人", "人社局组织专场招聘会，开展订单式培训"),
        ("企业招工难，一线普工缺口较大", "依托劳务协作站定向输送务工人员"),
    ),
    "其他": (
        ("项目配套道路未完工，物流车辆进出不便", "属地政府加快配套道路建设，{m}月底前通车"),
        ("企业反映标准化厂房交付延期", "园区倒排工期，确保{m}月底前交付厂房"),
    ),
}


@dataclass
class Project:
    name: str
    unit: str
    chain: str
    investment: float
    provincial: float
    foreign: int
    sign_q: int | None  # quarter it is signed (None: still 洽谈 at Q4)
    start_q: int | None = None
    prod_q: int | None = None
    sign_date: dt.date | None = None
    start_date: dt.date | None = None
    prod_date: dt.date | None = None
    talks_from: int = 1  # first quarter it appears in the ledger
    hightech: bool = False
    top500: str = ""
    big: bool = False
    key: bool = False
    leader: str = ""
    dept: str = ""
    problem_kind: str = ""
    problem: str = ""
    next_step: str = ""
    fixed: dict = field(default_factory=dict)

    def status(self, q: int) -> str:
        if self.prod_q is not None and self.prod_q <= q:
            return "投产"
        if self.start_q is not None and self.start_q <= q:
            return "开工"
        if self.sign_q is not None and self.sign_q <= q:
            return "签约"
        return "洽谈"


def quarter_end(q: int) -> dt.date:
    return (dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30), dt.date(YEAR, 12, 31))[q - 1]


def quarter_start(q: int) -> dt.date:
    return dt.date(YEAR, 3 * q - 2, 1)


def day_in(rng: random.Random, q: int, after: dt.date | None = None) -> dt.date:
    lo = quarter_start(q)
    if after is not None and after >= lo:
        lo = after + dt.timedelta(days=1)
    hi = quarter_end(q)
    if q == 4:
        hi = dt.date(YEAR, 12, 28)
    if lo > hi:
        lo = hi
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        # Each firm once among the 13 real units; a province-sized sample has more projects than
        # there are firm names, so there a firm may come back with another product.
        self.distinct_firms = len(UNITS) <= len(REAL_UNITS)

    def make(self, chain: str) -> str:
        for _ in range(1000):
            firm = self.rng.choice(FIRM_A) + self.rng.choice(FIRM_B)
            product = self.rng.choice(PRODUCTS[chain])
            suffix = self.rng.choice(SERVICE_SUFFIXES if product in SERVICES else SUFFIXES)
            if product.endswith(("园", "基地", "中心")) and suffix != "项目":
                suffix = "建设项目"
            name = firm + product + suffix
            if name not in self.used and not (self.distinct_firms and firm in {n[:2] for n in self.used}):
                self.used.add(name)
                return name
        raise RuntimeError("ran out of project names")

    def take(self, name: str) -> str:
        assert name not in self.used, name
        self.used.add(name)
        return name


def split_by_quarter(rng: random.Random, n: int) -> list[int]:
    """Sign quarter for each of n projects, following PATH_2020 (cumulative)."""
    cum = [round(n * p) for p in PATH_2020]
    if n >= 4 and cum[0] == 0:
        cum[0] = 1
    quarters: list[int] = []
    prev = 0
    for q, c in enumerate(cum, start=1):
        quarters += [q] * (c - prev)
        prev = c
    rng.shuffle(quarters)
    return quarters


def pick_chain(rng: random.Random, unit: str) -> str:
    weights = CHAIN_WEIGHTS[unit]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def progress(rng: random.Random, p: Project) -> None:
    """Dates and later statuses from the sign quarter."""
    if p.sign_q is None:
        return
    if p.sign_date is None:
        p.sign_date = day_in(rng, p.sign_q)
    if p.start_q is None and "start_q" not in p.fixed:
        lag = rng.choices((0, 1, 2, None), weights=(3, 4, 2, 1))[0]
        if lag is not None and p.sign_q + lag <= 4:
            p.start_q = p.sign_q + lag
    if p.start_q is not None and p.start_date is None:
        p.start_date = day_in(rng, p.start_q, after=p.sign_date)
    if p.start_q is not None and p.prod_q is None and "prod_q" not in p.fixed:
        lag = rng.choices((1, 2, None), weights=(3, 3, 4))[0]
        if p.investment >= 5:
            lag = None  # big plants take longer than a year
        if lag is not None and p.start_q + lag <= 4:
            p.prod_q = p.start_q + lag
    if p.prod_q is not None and p.prod_date is None:
        p.prod_date = day_in(rng, p.prod_q, after=p.start_date)


def money_split(rng: random.Random, p: Project) -> None:
    if rng.random() < 0.1:
        p.foreign = rng.choice((150, 200, 300, 500, 800, 1200))
        p.provincial = round(p.investment * rng.uniform(0.2, 0.5), 2)
    else:
        p.foreign = 0
        p.provincial = round(p.investment * rng.uniform(0.6, 1.0), 2)


def shaoyang_county(rng: random.Random, names: Names) -> list[Project]:
    """邵阳县 per the seed article: 20 signed projects, 16.88亿元 in all."""
    u = "邵阳县"
    out: list[Project] = []
    fuou = Project(
        names.take("孚瓯科技新材料产业园项目"),
        u,
        OTHER,
        6.0,
        6.0,
        0,
        sign_q=1,
        start_q=2,
        sign_date=dt.date(YEAR, 1, 16),
        start_date=dt.date(YEAR, 5, 6),
        big=True,
        hightech=True,
        key=True,
        leader="市委常委、常务副市长",
        dept="市工业和信息化局",
        fixed={"prod_q": None},
    )
    out.append(fuou)
    huadeng = Project(
        names.take("华登玩具增资扩产项目"),
        u,
        "时尚用品",
        0.6,
        0.6,
        0,
        sign_q=2,
        start_q=2,
        prod_q=3,
        sign_date=dt.date(YEAR, 5, 20),
        start_date=dt.date(YEAR, 6, 18),
        prod_date=dt.date(YEAR, 8, 25),
        problem_kind="其他",
        problem="受疫情影响外贸订单减少",
        next_step="总部在县工业集中区新增租赁厂房8000平方米，扩大生产线，新增投资6000万元",
    )
    out.append(huadeng)
    qmp = [
        ("台洲建伟汽摩配件生产项目", 0.80, 3, dt.date(YEAR, 9, 8)),
        ("鼎驰摩托车配件生产项目", 0.55, 3, dt.date(YEAR, 9, 22)),
        ("恒锐汽车制动器生产项目", 0.60, 4, dt.date(YEAR, 10, 27)),
        ("金轮汽摩轮毂生产项目", 0.65, 4, dt.date(YEAR, 12, 7)),
        ("宏达摩托车减震器生产项目", 0.45, 4, dt.date(YEAR, 12, 7)),
        ("瑞丰汽摩线束生产项目", 0.50, 4, dt.date(YEAR, 12, 7)),
        ("盛通汽车座椅骨架生产项目", 0.70, 4, dt.date(YEAR, 12, 7)),
        ("远航摩托车链条生产项目", 0.40, 4, dt.date(YEAR, 12, 7)),
        ("凯力汽摩精密齿轮生产项目", 0.50, 4, dt.date(YEAR, 12, 7)),
    ]
    for i, (name, inv, q, day) in enumerate(qmp):
        p = Project(
            names.take(f"红石生态科技园{name}"),
            u,
            "装备制造",
            inv,
            inv,
            0,
            sign_q=q,
            sign_date=day,
            hightech=i in (0, 2, 8),
            fixed={"prod_q": None},
        )
        if i == 0:
            p.start_q, p.start_date = 4, dt.date(YEAR, 10, 15)
        out.append(p)
    # nine more, 5.13亿元 between them
    others = [
        ("兴旺食品加工", 0.42, 1, "其他"),
        ("湘源竹木制品", 0.38, 2, "其他"),
        ("嘉禾纺织服装", 0.55, 2, "其他"),
        ("明达新型建材", 0.86, 2, "其他"),
        ("荣昌包装材料", 0.47, 3, "其他"),
        ("博创电子元件", 0.63, 3, "其他"),
        ("润丰农产品加工", 0.36, 3, "其他"),
        ("正泰五金制品", 0.58, 3, "其他"),
        ("德新冷链物流", 0.88, 3, "其他"),
    ]
    assert abs(sum(o[1] for o in others) - 5.13) < 1e-9
    for i, (firm, inv, q, chain) in enumerate(others):
        p = Project(
            names.take(f"{firm}{'生产项目' if i % 2 else '项目'}"),
            u,
            chain,
            inv,
            inv,
            0,
            sign_q=q,
            hightech=i in (3, 5, 7),
            top500="民营500强" if i == 8 else "",
        )
        out.append(p)
    for p in out:
        if p.provincial == p.investment and not p.key:
            p.provincial = round(p.investment * rng.uniform(0.7, 1.0), 2)
        progress(rng, p)
    assert len(out) == 20 and abs(sum(p.investment for p in out) - 16.88) < 1e-9
    return out


def unit_projects(rng: random.Random, names: Names, unit: str) -> list[Project]:
    new, chain_n, ht_n, big_n, top_n = COUNTS[unit]
    quarters = split_by_quarter(rng, new)
    chains = [pick_chain(rng, unit) for _ in range(chain_n)] + [OTHER] * (new - chain_n)
    idx = list(range(new))
    # big plants are manufacturing chain projects when the unit has any
    manuf = [i for i in idx if chains[i] in MANUFACTURING] or [i for i in idx if chains[i] == OTHER]
    big = set(rng.sample(manuf, big_n))
    hightech = set(rng.sample(idx, ht_n))
    top = set(rng.sample(sorted(big) + rng.sample([i for i in idx if i not in big], new - big_n), top_n))
    out = []
    for i in idx:
        chain = chains[i]
        if i in big:
            inv = round(rng.uniform(5.2, 15.0), 1)
        elif i in top:
            inv = round(rng.uniform(1.5, 4.8), 2)
        else:
            inv = round(min(4.8, rng.lognormvariate(-0.1, 0.7)), 2)
            inv = max(inv, 0.2)
        p = Project(
            names.make(chain),
            unit,
            chain,
            inv,
            0.0,
            0,
            sign_q=quarters[i],
            hightech=i in hightech,
            big=i in big,
            top500=rng.choice(("世界500强", "中国500强", "民营500强", "民营500强")) if i in top else "",
        )
        money_split(rng, p)
        progress(rng, p)
        out.append(p)
    for _ in range(PENDING_Q4[unit]):
        chain = pick_chain(rng, unit) if rng.random() < 0.7 else OTHER
        p = Project(names.make(chain), unit, chain, round(rng.uniform(0.5, 8.0), 2), 0.0, 0, sign_q=None)
        money_split(rng, p)
        p.talks_from = rng.choice((2, 3, 4))
        out.append(p)
    return out


def assign_key_projects(rng: random.Random, projects: list[Project]) -> None:
    """~25 重点项目 with 五个一 owners; most carry a problem for the 联席调度会."""
    ranked = sorted(projects, key=lambda p: (-(p.big or bool(p.top500)), -p.investment, p.name))
    keys = [p for p in ranked if p.key]
    for p in ranked:
        if len(keys) >= 26:
            break
        if not p.key and (p.big or p.top500 or p.investment >= 3.5):
            p.key = True
            keys.append(p)
    kinds = list(PROBLEMS)
    for n, p in enumerate(sorted(keys, key=lambda p: p.name)):
        p.leader = p.leader or LEADERS[n % len(LEADERS)]
        p.dept = p.dept or ("邵阳经开区管委会" if p.unit == "邵阳经开区" else rng.choice(DEPTS[:-2]))
        if p.name.startswith("孚瓯"):
            kind = "征地拆迁"
            p.problem = "项目占地270亩，红线内尚有约30亩用地未完成征收交付，二期场平受影响"
            p.next_step = "县政府包片攻坚，实行货币安置，年底前完成交付"
        elif rng.random() < 0.7:
            kind = kinds[n % len(kinds)]
            text, step = rng.choice(PROBLEMS[kind])
            fill = {"n": rng.randint(2, 9), "m": rng.randint(1, 3)}
            p.problem, p.next_step = text.format(**fill), step.format(**fill)
        else:
            continue
        p.problem_kind = kind
    # a few ordinary projects report problems too
    for p in rng.sample([p for p in projects if not p.key and not p.problem], 8):
        kind = rng.choice(kinds)
        text, step = rng.choice(PROBLEMS[kind])
        fill = {"n": rng.randint(2, 9), "m": rng.randint(1, 3)}
        p.problem_kind, p.problem, p.next_step = kind, text.format(**fill), step.format(**fill)


def build_projects() -> list[Project]:
    rng = random.Random(SEED)
    names = Names(rng)
    # two firm names with characters outside GB2312 (fonts must fall back)
    names.used.update({"堃泰", "镕鑫"})
    projects: list[Project] = []
    for unit in UNITS:
        if unit == "邵阳县":
            projects += shaoyang_county(rng, names)
        else:
            projects += unit_projects(rng, names, unit)
    # rename two ordinary projects after firms whose names need a fallback font
    for p, firm, product in (
        (
            next((p for p in projects if p.unit == "邵阳经开区" and p.chain == "装备制造"), None),
            "堃泰",
            "精密机械零部件",
        ),
        (
            next((p for p in projects if p.unit == "双清区" and p.chain == "循环经济"), None),
            "镕鑫",
            "再生金属回收加工",
        ),
    ):
        if p is None:  # a sample of fewer units than the real 13
            continue
        names.used.discard(p.name)
        p.name = names.take(f"{firm}{product}生产项目")
    # projects signed in Q2–Q4 were often already in talks the quarter before
    for p in projects:
        if p.sign_q is not None:
            p.talks_from = p.sign_q - 1 if p.sign_q > 1 and rng.random() < 0.5 else p.sign_q
    assign_key_projects(rng, projects)
    return projects


# ---------------------------------------------------------------------------------------------
# Quarterly figures
# ---------------------------------------------------------------------------------------------
def counts_at(projects: list[Project], unit: str, q: int) -> tuple[int, ...]:
    signed = [p for p in projects if p.unit == unit and p.status(q) != "洽谈"]
    return (
        len(signed),
        sum(p.chain in CHAINS for p in signed),
        sum(p.hightech for p in signed),
        sum(p.big for p in signed),
        sum(bool(p.top500) for p in signed),
    )


def actuals(projects: list[Project]) -> dict[int, dict[str, dict[str, float]]]:
    """quarter → unit → column → value (cumulative)."""
    rng = random.Random(SEED + 1)
    out: dict[int, dict[str, dict[str, float]]] = {q: {} for q in range(1, 5)}
    for unit in UNITS:
        plan = dict(zip(KEYS, PLAN[unit], strict=True))
        ratio = MONEY_RATIO[unit]
        q4: dict[str, float] = {}
        if unit == "邵阳县":
            q4["provincial_funds"] = SHAOYANG_PROVINCIAL[0]
        else:
            q4["provincial_funds"] = round(plan["provincial_funds"] * ratio[0], 2)
        q4["industrial_funds"] = round(plan["industrial_funds"] * ratio[1], 2)
        if plan["foreign_capital"] is None:
            q4["foreign_capital"] = NO_TARGET_FOREIGN[unit]
        else:
            q4["foreign_capital"] = round(plan["foreign_capital"] * ratio[2])
        # shares per quarter, jittered per unit but increasing
        jitter = [rng.uniform(-0.03, 0.03) for _ in range(3)] + [0.0]
        share20 = [min(1.0, max(0.08, s + j)) for s, j in zip(PATH_2020, jitter, strict=True)]
        share19 = [min(1.0, s + rng.uniform(-0.02, 0.02)) if s < 1 else 1.0 for s in PATH_2019]
        g = GROWTH[unit]
        prev_total = {
            "provincial_funds": SHAOYANG_PROVINCIAL[1]
            if unit == "邵阳县"
            else round(q4["provincial_funds"] / (1 + g), 2),
            "industrial_funds": round(q4["industrial_funds"] / (1 + g + rng.uniform(-0.03, 0.03)), 2),
            "foreign_capital": round(q4["foreign_capital"] / (1 + g + rng.uniform(-0.04, 0.04))),
        }
        for q in range(1, 5):
            row: dict[str, float] = {}
            for k, dec in (("provincial_funds", 2), ("industrial_funds", 2), ("foreign_capital", 0)):
                row[k] = round(q4[k] * share20[q - 1], dec) if q < 4 else q4[k]
                row[k + "_prev"] = round(prev_total[k] * share19[q - 1], dec) if q < 4 else prev_total[k]
                if dec == 0:
                    row[k], row[k + "_prev"] = int(row[k]), int(row[k + "_prev"])
            row["industrial_funds"] = min(row["industrial_funds"], row["provincial_funds"])
            row["industrial_funds_prev"] = min(row["industrial_funds_prev"], row["provincial_funds_prev"])
            row.update(zip(COUNT_KEYS, counts_at(projects, unit, q), strict=True))
            row["info_count"] = round(INFO_Q4[unit] * (share20[q - 1] + 0.05 if q < 4 else 1.0))
            out[q][unit] = row
    return out


# ---------------------------------------------------------------------------------------------
# Office-style workbooks
# ---------------------------------------------------------------------------------------------
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TITLE_FONT = Font(name="方正小标宋简体", size=16)
HEAD_FONT = Font(name="黑体", size=10)
BODY_FONT = Font(name="仿宋_GB2312", size=11)
NOTE_FONT = Font(name="仿宋_GB2312", size=10)
FIXED_TIME = dt.datetime(2020, 12, 31, 9, 0, 0)


def new_book(sheet: str) -> tuple[Workbook, object]:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    wb.properties.creator = "邵承办"
    wb.properties.created = FIXED_TIME
    return wb, ws


def title_row(ws, row: int, text: str, ncols: int, height: float = 36) -> None:
    ws.cell(row, 1, text).font = TITLE_FONT
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = height


def note_row(ws, row: int, text: str, ncols: int) -> None:
    ws.cell(row, 1, text).font = NOTE_FONT
    ws.cell(row, 1).alignment = LEFT
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def head(ws, r1: int, c1: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
    r2, c2 = r2 or r1, c2 or c1
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.font = HEAD_FONT
            cell.alignment = CENTER
    ws.cell(r1, c1, text)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def body(ws, row: int, col: int, value, fmt: str | None = None, align=CENTER) -> None:
    cell = ws.cell(row, col, value)
    cell.border = BOX
    cell.font = BODY_FONT
    cell.alignment = align
    if fmt:
        cell.number_format = fmt


def widths(ws, values: list[float]) -> None:
    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps so that the bytes depend only on the content."""
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps "now" into docProps/core.xml and the zip entries: pin both
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    r"\g<1>2020-12-31T09:00:00Z\g<2>",
                    text,
                )
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 12, 31, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


FMT = {0: "0", 2: "0.00"}
PLAN_FMT = ("0.00", "0.00", "0", "0", "0", "0", "0", "0")
PLAN_HEADERS = (
    "省外境内资金\n(亿元)",
    "其中工业引资\n(亿元)",
    "实际利用外资\n(万美元)",
    "新引进产业\n招商项目",
    "七大产业链\n项目",
    "高新技术企业",
    "投资5亿元以上\n制造业项目",
    "三类500强\n企业项目",
)


def write_plan(path: Path) -> None:
    wb, ws = new_book("招商计划表")
    title_row(ws, 1, f"{YEAR}年邵阳市承产转移示范区建设招商计划表", 9)
    head(ws, 2, 1, "单位", r2=3)
    head(ws, 2, 2, "计划引资金额", c2=4)
    head(ws, 2, 5, "计划招商产业项目数量(个)", c2=9)
    for c, text in enumerate(PLAN_HEADERS, start=2):
        head(ws, 3, c, text)
    ws.row_dimensions[3].height = 42
    for r, unit in enumerate((CITY, *UNITS), start=4):
        body(ws, r, 1, unit)
        for c, (v, fmt) in enumerate(zip(PLAN[unit], PLAN_FMT, strict=True), start=2):
            # keep the printed figures: 17 stays 17, 11.4 stays 11.4 (general format keeps it so)
            body(ws, r, c, v, "General" if fmt == "0.00" else fmt)
        ws.row_dimensions[r].height = 20
    widths(ws, [13, 13, 13, 13, 12, 12, 12, 14, 12])
    ws.freeze_panes = "B4"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "2:3"
    save(wb, path)


QUARTER_CN = "一二三四"
ACT_MONEY = (
    ("省外境内资金(亿元)", "provincial_funds", "0.00"),
    ("其中：工业引资(亿元)", "industrial_funds", "0.00"),
    ("实际利用外资(万美元)", "foreign_capital", "0"),
)
ACT_COUNTS = (
    ("新引进产业\n招商项目", "new_projects"),
    ("七大产业链\n项目", "chain_projects"),
    ("高新技术\n企业", "hightech"),
    ("投资5亿元以上\n制造业项目", "big_manufacturing"),
    ("三类500强\n企业项目", "top500"),
)


def write_actuals(path: Path, q: int, rows: dict[str, dict[str, float]]) -> None:
    wb, ws = new_book("完成情况")
    ncols = 13
    title_row(
        ws,
        1,
        f"{YEAR}年第{QUARTER_CN[q - 1]}季度承接产业转移示范区建设招商引资完成情况表（示例数据）",
        ncols,
    )
    ws.cell(2, 1, f"统计时间：{YEAR}年1月1日至{quarter_end(q):%-m月%-d日}（累计）").font = NOTE_FONT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.cell(2, 1).alignment = Alignment(horizontal="right")
    head(ws, 3, 1, "单位", r2=4)
    c = 2
    for text, _, _ in ACT_MONEY:
        head(ws, 3, c, text, c2=c + 1)
        head(ws, 4, c, "本年累计")
        head(ws, 4, c + 1, "上年同期")
        c += 2
    head(ws, 3, c, "招商产业项目数量(个)", c2=c + 4)
    for i, (text, _) in enumerate(ACT_COUNTS):
        head(ws, 4, c + i, text)
    c += 5
    head(ws, 3, c, "报送招商\n信息条数(条)", r2=4)
    ws.row_dimensions[4].height = 42
    total = {k: sum(rows[u][k] for u in UNITS) for k in rows[UNITS[0]]}
    r = 5
    for unit, row in ((CITY, total), *((u, rows[u]) for u in UNITS)):
        body(ws, r, 1, unit)
        c = 2
        for _, key, fmt in ACT_MONEY:
            dec = 2 if fmt == "0.00" else 0
            body(ws, r, c, round(row[key], dec), fmt)
            body(ws, r, c + 1, round(row[key + "_prev"], dec), fmt)
            c += 2
        for _, key in ACT_COUNTS:
            body(ws, r, c, int(row[key]), "0")
            c += 1
        body(ws, r, c, int(row["info_count"]), "0")
        ws.row_dimensions[r].height = 20
        r += 1
    note_row(ws, r, "备注：本表为示例数据，非官方统计。", ncols)
    widths(ws, [12, 10, 10, 10, 10, 11, 11, 10, 10, 9, 12, 10, 11])
    ws.freeze_panes = "B5"
    ws.page_setup.orientation = "landscape"
    save(wb, path)


LEDGER_HEADERS = (
    ("序号", 6, None),
    ("项目名称", 34, None),
    ("所属单位", 11, None),
    ("产业链", 12, None),
    ("计划总投资\n(亿元)", 11, "0.00"),
    ("其中省外境内资金\n(亿元)", 13, "0.00"),
    ("外资\n(万美元)", 10, "0"),
    ("项目状态", 9, None),
    ("签约日期", 12, "yyyy-mm-dd"),
    ("开工日期", 12, "yyyy-mm-dd"),
    ("投产日期", 12, "yyyy-mm-dd"),
    ("高新技术企业", 9, None),
    ("三类500强", 11, None),
    ("5亿元以上\n制造业", 10, None),
    ("重点项目", 8, None),
    ("市级联系领导", 20, None),
    ("牵头部门", 18, None),
    ("问题类型", 10, None),
    ("存在问题", 36, None),
    ("下步措施", 36, None),
)


def yn(flag: bool) -> str:
    return "是" if flag else "否"


def write_ledger(path: Path, q: int, projects: list[Project]) -> None:
    wb, ws = new_book("项目库")
    ncols = len(LEDGER_HEADERS)
    title_row(ws, 1, f"{YEAR}年第{QUARTER_CN[q - 1]}季度招商引资项目库（示例数据）", ncols)
    for c, (text, w, _) in enumerate(LEDGER_HEADERS, start=1):
        head(ws, 2, c, text)
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.row_dimensions[2].height = 36
    rows = [p for p in projects if p.talks_from <= q]
    order = {u: i for i, u in enumerate(UNITS)}
    rows.sort(key=lambda p: (order[p.unit], p.sign_date or dt.date(YEAR + 1, 1, 1), p.name))
    r = 3
    for n, p in enumerate(rows, start=1):
        status = p.status(q)
        done = status == "投产"
        values = (
            n,
            p.name,
            p.unit,
            p.chain,
            p.investment,
            p.provincial,
            p.foreign,
            status,
            p.sign_date if status != "洽谈" else None,
            p.start_date if status in ("开工", "投产") else None,
            p.prod_date if done else None,
            yn(p.hightech),
            p.top500 or None,
            yn(p.big),
            yn(p.key),
            p.leader or None,
            p.dept or None,
            None if done else (p.problem_kind or None),
            None if done else (p.problem or None),
            None if done else (p.next_step or None),
        )
        for c, (v, (_, _, fmt)) in enumerate(zip(values, LEDGER_HEADERS, strict=True), start=1):
            align = LEFT if c in (2, 16, 17, 19, 20) else CENTER
            body(ws, r, c, v, fmt, align)
        r += 1
    note_row(ws, r, "备注：本表为示例数据，项目及企业名称均为虚构，非官方统计。", ncols)
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{r - 1}"
    ws.page_setup.orientation = "landscape"
    save(wb, path)


def scale_units(n: int) -> None:
    """Write ``n`` units instead of the 13 real ones, e.g. to measure zsreport at a province's size.

    Up to 13 the real units are taken in order; beyond them come fictional ones (样例014县 …), each
    copying the plan and the habits of a real unit in turn (邵阳县 excepted). The 全市 plan row becomes their sum.
    """
    global UNITS
    names = [*REAL_UNITS[:n], *(f"样例{i:03d}县" for i in range(len(REAL_UNITS) + 1, n + 1))]
    # 邵阳县's figures follow the seed article, not ratios, so it is no model for a fictional unit.
    models = [u for u in REAL_UNITS if u != "邵阳县"]
    model_of = {name: name if name in REAL_UNITS else models[i % len(models)] for i, name in enumerate(names)}
    for table in (PLAN, MONEY_RATIO, GROWTH, COUNTS, INFO_Q4, PENDING_Q4, CHAIN_WEIGHTS):
        for name in names:
            table.setdefault(name, table[model_of[name]])
    for name in names:
        if model_of[name] in NO_TARGET_FOREIGN:
            NO_TARGET_FOREIGN.setdefault(name, NO_TARGET_FOREIGN[model_of[name]])
    columns = zip(*(PLAN[name] for name in names), strict=True)
    PLAN[CITY] = tuple(
        None if all(v is None for v in column) else round(sum(v or 0 for v in column), 2)
        for column in columns
    )
    UNITS = tuple(names)


def write_registry(data_dir: Path) -> None:
    """registry.toml for the units written (the shipped one with its [[units]] list replaced)."""
    text = (SHIPPED / "registry.toml").read_text(encoding="utf-8")
    start = text.index("[[units]]")
    end = text.index("\n# The eight plan indicators")
    real = dict(re.findall(r'name = "([^"]+)"\naddressee = "([^"]+)"', text[start:end]))
    blocks = []
    for name in UNITS:
        addressee = real.get(name, f"{name}委、县人民政府")
        blocks.append(f'[[units]]\nname = "{name}"\naddressee = "{addressee}"')
    (data_dir / "registry.toml").write_text(
        text[:start] + "\n".join(blocks) + "\n" + text[end:], encoding="utf-8"
    )


def copy_office_files(data_dir: Path) -> None:
    """office.toml and each quarter's 发文.toml, as shipped."""
    (data_dir / "office.toml").write_bytes((SHIPPED / "office.toml").read_bytes())
    for q in range(1, 5):
        source = SHIPPED / str(YEAR) / f"{YEAR}Q{q}" / "发文.toml"
        target = data_dir / str(YEAR) / f"{YEAR}Q{q}" / "发文.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="写出示例数据（默认：zsreport/data/ 中的 2020 年数据，13 个单位）"
    )
    parser.add_argument("--units", type=int, default=len(REAL_UNITS), help="单位个数（默认 13）")
    parser.add_argument("--out", type=Path, default=SHIPPED, help="数据文件夹（默认 zsreport/data/）")
    parser.add_argument(
        "--seed", type=int, default=None, help="随机种子（默认：随包数据的种子；其他种子生成另一套示例）"
    )
    args = parser.parse_args(argv)
    global SEED
    SEED = (
        SEED if args.seed is None else args.seed
    )  # another seed: another sample year (tests run the sentence oracle over several)
    if args.units < 1:
        parser.error("--units 至少为 1")
    if args.units != len(REAL_UNITS):
        scale_units(args.units)
    data_dir = args.out
    if data_dir.resolve() != SHIPPED.resolve():
        data_dir.mkdir(parents=True, exist_ok=True)
        write_registry(data_dir)
        copy_office_files(data_dir)
    out = data_dir / str(YEAR)
    projects = build_projects()
    figures = actuals(projects)
    write_plan(out / f"{YEAR}年招商计划表.xlsx")
    for q in range(1, 5):
        folder = out / f"{YEAR}Q{q}"
        write_actuals(folder / "季度完成情况.xlsx", q, figures[q])
        write_ledger(folder / "项目库.xlsx", q, projects)
    # headline numbers
    for q in range(1, 5):
        tot = {k: sum(figures[q][u][k] for u in UNITS) for k in KEYS}
        line = "  ".join(
            f"{k}={tot[k]:.2f}/{PLAN[CITY][i]}({tot[k] / PLAN[CITY][i]:.0%})" for i, k in enumerate(KEYS)
        )
        print(f"Q{q}: {line}")
    print(f"units: {len(UNITS)}; projects: {len(projects)}; key: {sum(p.key for p in projects)}")


if __name__ == "__main__":
    main()

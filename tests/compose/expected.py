"""The sentences each document must contain, written from the oracle's facts (``oracle.Facts``).

Each function returns the data-dependent fragments of one document kind, whole sentences where the
wording allows; ``missing`` and ``unchecked`` compare them with a document's text."""

from __future__ import annotations

import re
from fractions import Fraction

from tests.compose.oracle import (
    Facts,
    Figure,
    ahead,
    amount,
    assessment,
    behind,
    chain_counts,
    cn,
    competition,
    groups,
    join,
    judged,
    key_projects,
    no_target,
    round_half_up,
    show,
    signed,
    step,
)

CITY = "全市"
STAGE_LABELS = (("投产", "已投产"), ("开工", "已开工"), ("签约", "已签约待开工"), ("洽谈", "在谈"))
# Sentences that state no figure of the quarter (the office's standing requirements).
STOCK = (
    "二是紧扣产业链抓招商",
    "三是落实机制抓推进",
    "二是抓问题销号",
    "三是抓项目转化",
    "要紧扣七大产业链精准招商",
    "根据《",
    "对以上单位予以通报表彰",
    "受表彰的单位要珍惜荣誉",
    "一是总结经验抓谋划",
    "一是抓谋划",
    "现将",
)


def qname(q: int) -> str:
    return f"第{cn(q)}季度"


def cutoff_part(f: Facts) -> str:
    c = f.cutoff
    return f"截至{c.year}年{c.month}月{c.day}日，" if c else ""


def some(f: Facts) -> str:
    return "已报送的" if f.unreported else ""


def money(f: Facts, fig: Figure, key: str) -> str:
    return amount(fig.actual, f.decimals[key])  # type: ignore[arg-type]


def rate_gap(f: Facts, fig: Figure) -> str:
    if fig.target is None:
        return "未下达年度目标"
    return f"完成年度目标的{fig.rate_text()}，{fig.gap_phrase(f.year_end)}"


def yoy(fig: Figure, like_for_like_note: bool) -> str:
    phrase = fig.yoy_phrase()
    if not phrase:
        return ""
    note = (
        f"（同口径，不含无上年同期数的{join(fig.left_out)}）" if like_for_like_note and fig.left_out else ""
    )
    return f"，{phrase}{note}"


# ---------------------------------------------------------------- 全市通报


def city(f: Facts) -> list[str]:
    c = f.figures[CITY]
    pf, ind, fc, np_ = (
        c[k] for k in ("provincial_funds", "industrial_funds", "foreign_capital", "new_projects")
    )
    out = []
    if pf.target is None:
        opening = "稳步推进"
    else:
        opening = "总体进展顺利" if pf.on_schedule else "稳步推进，但进度仍需加快"
    out.append(f"全市招商引资工作{opening}。")
    if f.unreported:
        out.append(
            f"{cutoff_part(f)}{join(f.unreported)}未按时报送{f.year}年{qname(f.quarter)}招商引资数据。本通报中的"
            f"全市数据为已报送的{len(f.reported)}个单位合计，全市年度目标相应扣除上述单位的目标（同口径）"
        )
    end = f"{f.quarter * 3}月底"
    out.append(
        f"截至{end}，全市引进省外境内资金{money(f, pf, 'provincial_funds')}亿元，{rate_gap(f, pf)}{yoy(pf, True)}；"
        f"其中工业引资{money(f, ind, 'industrial_funds')}亿元，{rate_gap(f, ind)}{yoy(ind, True)}。"
        f"实际利用外资{money(f, fc, 'foreign_capital')}万美元，{rate_gap(f, fc)}{yoy(fc, True)}。"
    )
    parts = []
    for key in ("chain_projects", "hightech", "big_manufacturing", "top500"):
        fig = c[key]
        done = f"完成年度目标的{fig.rate_text()}" if fig.target is not None else "未下达年度目标"
        parts.append(f"{f.labels[key]}{amount(fig.actual, 0)}个，{done}")  # type: ignore[arg-type]
    out.append(
        f"全市新引进产业招商项目{amount(np_.actual, 0)}个，{rate_gap(f, np_)}。其中，{'；'.join(parts)}。"  # type: ignore[arg-type]
        f"全市各单位累计报送招商引资信息{sum(f.info.values())}条。"
    )
    out += trend(f, pf)
    out += city_units(f)
    out += chains(f)
    out += city_key_projects(f)
    out += city_problems(f)
    return out


def trend(f: Facts, pf: Figure) -> list[str]:
    if len(f.trend_quarters) < 2:
        return []
    steps = "，".join(
        f"{qname(q)}末累计{amount(v, 2)}亿元" for q, v in zip(f.trend_quarters, f.trend, strict=True)
    )
    tail = ""
    if pf.target is not None:
        gap, _ = pf.gap()
        if gap > 0:
            tail = "，全年超额完成目标任务" if f.year_end else "，累计进度已超过序时进度"
        elif gap == 0:
            tail = "，全年恰好完成目标任务" if f.year_end else "，累计进度与序时进度持平"
        else:
            tail = "，全年未完成目标任务" if f.year_end else "，累计进度仍落后于序时进度"
    return [f"从逐季进度看，全市省外境内资金{steps}{tail}。"]


def _no_target_tail(f: Facts, key: str) -> str:
    n = no_target(f, key)
    return f"；{join(n)}未下达年度目标，不参加排名" if n and judged(f, key) else ""


def city_units(f: Facts) -> list[str]:
    key = "provincial_funds"
    j, a, b, n = judged(f, key), ahead(f, key), behind(f, key), no_target(f, key)
    if not j:
        body = "各单位均未下达年度目标"
    elif not b:
        body = f"{some(f)}{len(j)}个{'有目标任务的' if n else ''}单位均{f.reached}"
    elif not a:
        body = f"{join(b)}{len(b)}个单位均{f.lagging}，需加大工作力度"
    else:
        body = f"{join(a)}{len(a)}个单位{f.reached}；{join(b)}{len(b)}个单位{f.lagging}，需加大工作力度"
    first = f"从省外境内资金完成情况看，{body}{_no_target_tail(f, key)}。"
    top = [
        (fig.rank, u)
        for u in f.units
        if (fig := f.figures[u][key]).rank is not None and fig.rank <= 3 and u in f.reported
    ]
    placed = groups(sorted(top, key=lambda t: (t[0], f.units.index(t[1]))))
    if placed:
        names = [u for _, us in placed for u in us]
        ties = [f"{join(us)}并列第{cn(r)}" for r, us in placed if len(us) > 1]
        first += (
            f"完成率排名前三的是{join(names)}"
            + "".join(("，其中" if i == 0 else "，") + t for i, t in enumerate(ties))
            + "。"
        )
    key = "new_projects"
    j, b, n = judged(f, key), behind(f, key), no_target(f, key)
    if not j:
        body = "各单位均未下达年度目标"
    elif b:
        body = f"{join(b)}{len(b)}个单位{f.lagging}"
    else:
        body = f"{some(f)}{len(j)}个{'有目标任务的' if n else ''}单位均{f.reached}"
    return [first, f"从新引进产业招商项目完成情况看，{body}{_no_target_tail(f, key)}。"]


def chains(f: Facts) -> list[str]:
    counts = chain_counts(f)
    reported = int(f.figures[CITY]["chain_projects"].actual)  # type: ignore[arg-type]
    ledger = sum(n for n, _ in counts.values())
    investment = sum((v for _, v in counts.values()), Fraction(0))
    text = f"全市七大产业链新引进项目{reported}个"
    if reported != ledger:
        text += f"（项目库逐项登记{ledger}个，相差{abs(reported - ledger)}个，待核实），项目库登记项目"
    else:
        text += "、"
    text += f"总投资{amount(investment, 2)}亿元"
    new = f.figures[CITY]["new_projects"].actual
    if new:
        text += f"，占新引进产业招商项目的{show(round_half_up(Fraction(reported) / new * 100, 1), 1)}%"
    text += "。"
    most, least = max(n for n, _ in counts.values()), min(n for n, _ in counts.values())
    top = [ch for ch, (n, _) in counts.items() if n == most]
    low = [ch for ch, (n, _) in counts.items() if n == least]
    empty = [ch for ch, (n, _) in counts.items() if n == 0]
    if most == 0:
        text += "七大产业链均尚无新引进项目，需重点突破。"
    elif most == least:
        text += f"七大产业链项目数相同，均为{most}个。"
    else:
        top_investment = amount(sum((counts[ch][1] for ch in top), Fraction(0)), 2)
        if len(top) > 1:
            text += f"其中，{join(top)}产业链项目并列最多，均为{most}个、合计总投资{top_investment}亿元；"
        else:
            text += f"其中，{top[0]}产业链项目最多，达{most}个、总投资{top_investment}亿元；"
        if empty:
            text += f"{join(empty)}产业链尚无新引进项目，需重点突破。"
        else:
            text += f"{join(low)}产业链项目{'并列最少，均仅' if len(low) > 1 else '相对较少，仅'}{least}个。"
    return [text]


def _moves(f: Facts, kp):
    moved = [p for p in kp if f.compared and step(f, p) > 0]
    back = [p for p in kp if f.compared and step(f, p) < 0]
    fresh = [p for p in kp if p.before == ""]
    return moved, back, fresh


def city_key_projects(f: Facts) -> list[str]:
    kp = key_projects(f)
    text = f"全市纳入联席调度的重点项目{len(kp)}个，总投资{amount(sum((p.investment for p in kp), Fraction(0)), 2)}亿元"
    stages = [(label, sum(p.status == s for p in kp)) for s, label in STAGE_LABELS]
    stages = [(label, n) for label, n in stages if n]
    if stages:
        text += "，其中" + "、".join(f"{label}{n}个" for label, n in stages)
    text += "。"
    if f.compared:
        moved, back, fresh = _moves(f, kp)
        if moved:
            names = join([p.name for p in moved[:3]]) + ("等" if len(moved) > 3 else "")
            text += f"本季度{len(moved)}个重点项目取得阶段性进展，{names}进入新的建设阶段"
            text += f"；新纳入重点项目{len(fresh)}个。" if fresh else "。"
        elif fresh and len(fresh) == len(kp):
            text += "重点项目均为本季度新纳入。"
        elif fresh:
            text += f"本季度新纳入重点项目{len(fresh)}个，其余重点项目均未进入新的建设阶段，需加快推进。"
        else:
            text += "本季度重点项目均未取得阶段性进展，需加快推进。"
        if back:
            text += (
                f"另有{len(back)}个重点项目较上季度退回："
                + "、".join(f"{p.name}由{p.before}退回{p.status}" for p in back)
                + "，需查明原因。"
            )
    return [text]


def problem_groups(f: Facts) -> dict[str, list]:
    grouped: dict[str, list] = {k: [] for k in f.problem_kinds}
    for p in key_projects(f):
        if p.problem:
            grouped.setdefault(p.problem_kind if p.problem_kind in grouped else "其他", []).append(p)
    return {k: v for k, v in grouped.items() if v}


def city_problems(f: Facts) -> list[str]:
    c = f.figures[CITY]
    b = behind(f, "provincial_funds")
    line = f.progress - Fraction(1, 10)
    far = [u for u in f.reported if (r := f.figures[u]["provincial_funds"].rate) is not None and r < line]
    near = [u for u in b if u not in far]
    empty = [ch for ch, (n, _) in chain_counts(f).items() if n == 0]
    grouped = problem_groups(f)
    quality = [
        f.short[k]
        for k in ("big_manufacturing", "top500")
        if c[k].target is not None and not c[k].on_schedule
    ]
    out, n = [], 0
    if b:
        n += 1
        if far:
            what = "距年度目标差" if f.year_end else "落后序时进度"
            body = f"{join(far)}省外境内资金完成率{what}10个百分点以上" + (
                f"，{join(near)}也{f.lagging}" if near else ""
            )
        else:
            body = f"{join(b)}省外境内资金{f.lagging}"
        out.append(f"{cn(n)}是部分单位进度滞后。{body}，需加大工作力度。")
    if empty:
        n += 1
        out.append(
            f"{cn(n)}是部分产业链招商尚未破题。{join(empty)}产业链尚未引进项目，产业链招商的精准度和实效性有待提高。"
        )
    if grouped:
        n += 1
        kinds = "、".join(f"存在{k}问题{len(v)}个" for k, v in grouped.items())
        out.append(f"{cn(n)}是项目推进中的制约仍较突出。重点项目中{kinds}，需在联席调度会上逐项协调解决。")
    if quality:
        n += 1
        out.append(
            f"{cn(n)}是大项目、好项目偏少。全市投资5亿元以上制造业项目{amount(c['big_manufacturing'].actual, 0)}个、"  # type: ignore[arg-type]
            f"三类500强企业项目{amount(c['top500'].actual, 0)}个，{join(quality)}{f.lagging}，"  # type: ignore[arg-type]
            "引进龙头型、基地型项目的能力仍需增强。"
        )
    if n == 0:
        out.append(
            f"本季度{some(f)}各单位省外境内资金均{f.reached}，七大产业链均有新引进项目，投资5亿元以上制造业项目和"
            f"三类500强企业项目未{f.lagging}，重点项目未报告需协调解决的问题。"
        )
    if f.quarter < 4:
        nxt = qname(f.quarter + 1)
        tail = (
            f"落后序时进度的单位要制定追赶措施，确保{nxt}末全面赶上序时进度"
            if b
            else f"保持良好势头，确保{nxt}末继续达到序时进度"
        )
        out.append(f"一是对标对表抓进度。各县市区要对照年度目标和序时进度，逐项查找差距，{tail}。")
    out.append(
        f"四是加强调度抓考核。{join(f.unreported) + '要立即补报本季度数据；' if f.unreported else ''}各单位要按时准确报送"
    )
    return out


# ---------------------------------------------------------------- 单位通报


def unit(f: Facts, name: str) -> list[str]:
    u = f.figures[name]
    end = f"{f.quarter * 3}月底"

    def clause(fig: Figure) -> str:
        if fig.target is None:
            text = "未下达年度目标"
        else:
            among = f"{fig.ranked}个单位中"  # the ranked ones: the table's note says only units with a target
            text = (
                f"完成年度目标的{fig.rate_text()}，{fig.gap_phrase(f.year_end)}，在全市{some(f)}{among}"
                f"{'并列' if fig.tied > 1 else '排'}第{fig.rank}位"
            )
        return text + yoy(fig, False)

    pf, ind, fc, np_ = (
        u[k] for k in ("provincial_funds", "industrial_funds", "foreign_capital", "new_projects")
    )
    first = (
        f"截至{end}，{name}引进省外境内资金{money(f, pf, 'provincial_funds')}亿元，{clause(pf)}；"
        f"其中工业引资{money(f, ind, 'industrial_funds')}亿元，{clause(ind)}。"
    )
    if fc.target is not None or fc.actual > 0:  # type: ignore[operator]
        first += f"实际利用外资{money(f, fc, 'foreign_capital')}万美元，{clause(fc)}。"
    if np_.actual > 0:  # type: ignore[operator]
        second = f"新引进产业招商项目{amount(np_.actual, 0)}个，{clause(np_)}"  # type: ignore[arg-type]
        parts = [
            (f.labels[k], u[k].actual) for k in ("chain_projects", "hightech", "big_manufacturing", "top500")
        ]
        parts = [(label, n) for label, n in parts if n]
        if parts:
            second += "，其中" + "、".join(f"{label}{amount(n, 0)}个" for label, n in parts)
    elif np_.target is None:
        second = f"{'全年未' if f.year_end else '本年度尚未'}新引进产业招商项目，未下达年度目标"
    elif f.year_end:
        second = f"全年未新引进产业招商项目，未完成年度目标{amount(np_.target, 0)}个"
    else:
        second = f"本年度尚未新引进产业招商项目，完成年度目标{amount(np_.target, 0)}个的任务十分艰巨"
    second += f"。累计报送招商引资信息{f.info[name]}条。"
    out = [first, second, unit_projects(f, name)]
    lag = [f.short[k] for k in f.labels if u[k].target is not None and not u[k].on_schedule]
    if lag:
        tail = f"，确保{qname(f.quarter + 1)}末赶上序时进度" if f.quarter < 4 else ""
        out.append(f"{name}{'、'.join(lag)}{len(lag)}项指标{f.lagging}，要逐项分析原因，制定追赶措施{tail}。")
    else:
        out.append(f"{name}各项有目标任务的指标均{f.reached}，要保持良好势头，在提高项目质量上下功夫。")
    troubled = [p for p in f.projects if p.unit == name and p.problem]
    if troubled:
        listed = "；".join(f"{p.name}存在{p.problem_kind or '其他'}问题" for p in troubled[:5])
        out.append(listed + ("等" if len(troubled) > 5 else "") + "。")
    return out


def unit_projects(f: Facts, name: str) -> str:
    done = signed(f, name)
    talks = sum(p.unit == name for p in f.projects) - len(done)
    reported = int(f.figures[name]["new_projects"].actual)  # type: ignore[arg-type]
    differs = reported != len(done)
    note = f"（完成情况表报送新引进产业招商项目{reported}个，两者不一致，待核实）" if differs else ""
    if done:
        produced = sum(p.status == "投产" for p in done)
        started = sum(p.status == "开工" for p in done)
        text = f"{name}{'项目库登记' if differs else ''}年内签约项目{len(done)}个{note}，合同投资"
        text += f"{amount(sum((p.investment for p in done), Fraction(0)), 2)}亿元"
        if produced or started:
            text += "，其中" + "、".join(
                x
                for x in (f"已投产{produced}个" if produced else "", f"已开工{started}个" if started else "")
                if x
            )
        if talks:
            text += f"；另有在谈项目{talks}个"
        return text + "。"
    if talks:
        return f"{name}{'项目库登记的' if differs else ''}年内尚无签约项目{note}，在谈项目{talks}个，要加快洽谈进度，推动早日签约落地。"
    return f"{name}{'项目库登记的' if differs else ''}年内尚无签约和在谈项目{note}，招商引资工作亟待加强。"


# ---------------------------------------------------------------- 纪要


def briefing(f: Facts, meeting) -> list[str]:
    c = f.figures[CITY]
    pf, np_ = c["provincial_funds"], c["new_projects"]
    d = meeting.date
    out = [
        f"{d.year}年{d.month}月{d.day}日，{meeting.chair}在{meeting.place}主持召开{f.year}年{qname(f.quarter)}"
        "全市招商引资联席调度会"
    ]
    head = (
        f"{cutoff_part(f)}{join(f.unreported)}未按时报送，以下全市数据及年度目标均扣除上述单位（同口径）。"
        if f.unreported
        else ""
    )
    text = (
        f"{head}截至{f.quarter * 3}月底，全市引进省外境内资金{money(f, pf, 'provincial_funds')}亿元，{rate_gap(f, pf)}；"
        f"新引进产业招商项目{amount(np_.actual, 0)}个，{rate_gap(f, np_)}。"  # type: ignore[arg-type]
    )
    b, j, n = behind(f, "provincial_funds"), judged(f, "provincial_funds"), no_target(f, "provincial_funds")
    if b:
        ask = "拿出追赶措施，下季度赶上序时进度" if f.quarter < 4 else "认真分析原因，在明年工作中补齐短板"
        text += f"{join(b)}省外境内资金{f.lagging}，会议要求相关单位{ask}。"
    elif j:
        text += f"{some(f)}{len(j)}个{'有目标任务的' if n else ''}县市区省外境内资金均{f.reached}。"
    if n and j:
        text += f"{join(n)}未下达省外境内资金年度目标。"
    out.append(text)
    kp = key_projects(f)
    moved, back, fresh = _moves(f, kp)
    grouped = problem_groups(f)
    text = f"本次调度重点项目{len(kp)}个，总投资{amount(sum((p.investment for p in kp), Fraction(0)), 2)}亿元"
    if moved:
        text += f"。与上季度相比，{len(moved)}个项目进入新阶段"
    if back:
        text += ("，" if moved else "。与上季度相比，") + f"{len(back)}个项目退回前一阶段（"
        text += "、".join(f"{p.name}由{p.before}退回{p.status}" for p in back) + "）"
    if fresh:
        text += f"，新纳入调度项目{len(fresh)}个"
    if grouped:
        text += f"；{sum(len(v) for v in grouped.values())}个项目存在需协调解决的问题"
    out.append(text + "。")
    for items in grouped.values():
        out += [f"{i}.{p.name}（{p.unit}）。" for i, p in enumerate(items, 1)]
    if not grouped:
        out.append("本季度重点项目未报告需市级协调解决的问题。")
    if f.quarter < 4:
        nxt = qname(f.quarter + 1)
        tail = (
            f"落后单位要拿出追赶措施，确保{nxt}末赶上序时进度"
            if b
            else f"保持良好势头，确保{nxt}末继续达到序时进度"
        )
        out.append(f"一是抓进度。各县市区要对照年度目标和序时进度，{tail}。")
    return out


# ---------------------------------------------------------------- 年度考核


def assessment_doc(f: Facts) -> list[str]:
    out = []
    if f.unreported:
        out.append(f"{cutoff_part(f)}{join(f.unreported)}未按时报送全年数据，未参加本次考核排名。")
    for title, uom, places, values in assessment(f):
        entries = competition(values)
        commended = [(r, u, v) for r, u, v in entries if r <= 3 and v > 0]
        zero = [u for _, u, v in entries if v == 0]
        if commended:
            by_rank: dict[int, list[tuple[str, Fraction]]] = {}
            for r, u, v in commended:
                by_rank.setdefault(r, []).append((u, v))
            text = "，".join(
                "、".join(f"{u}{amount(v, places)}{uom}" for u, v in members)
                + ("并列" if len(members) > 1 else "位列")
                + f"第{cn(r)}"
                for r, members in sorted(by_rank.items())
            )
        else:
            text = f"各单位均无{title}"
        if zero and commended:
            text += f"；{join(zero)}全年为零"
        out.append(text + "。")
        if commended:
            extra = "（含并列）" if len(commended) > 3 else ""
            out.append(f"{title}前三名{extra}：{join([u for _, u, _ in commended])}。")
    return out


# ---------------------------------------------------------------- comparing


def missing(text: str, fragments: list[str]) -> list[str]:
    return [frag for frag in fragments if frag not in text]


# Words that make a sentence depend on the data: a judgement of figures, a unit or a chain.
JUDGEMENTS = (
    "序时进度",
    "年度目标",
    "未下达",
    "落后",
    "并列",
    "最多",
    "最少",
    "滞后",
    "偏少",
    "进展",
    "退回",
    "未报送",
)


def unchecked(paragraphs: list[str], fragments: list[str], names: tuple[str, ...] = ()) -> list[str]:
    """Paragraphs that state a figure, judge one, or name a unit or chain (``names``), which no
    fragment covers, stock sentences aside."""
    return [
        p
        for p in paragraphs
        if (re.search(r"\d", p) or any(w in p for w in (*JUDGEMENTS, *names)))
        and not any(frag in p or p in frag for frag in fragments)
        and not p.startswith(STOCK)
    ]


def _gap_cell(f: Facts, fig: Figure) -> str:
    gap, places = fig.gap()
    return "0.0" if gap == 0 else f"{'+' if gap > 0 else '-'}{show(abs(gap), places)}"


def _row_cells(f: Facts, fig: Figure, key: str) -> list[str]:
    """累计完成, 完成率, 较序时进度 of a ranking or overview row, as the oracle prints them."""
    if fig.actual is None:
        return ["未报送"]
    if fig.target is None:
        return [amount(fig.actual, f.decimals[key]), "—", "—"]
    return [amount(fig.actual, f.decimals[key]), fig.rate_text(), _gap_cell(f, fig)]


def progress_cell(f: Facts, p) -> str:
    """A key project's 进展 cell: new, moved on, moved back, or its status."""
    if p.before == "":
        return f"{p.status}（本季度新增）"
    if p.before is None or p.before == p.status:
        return p.status
    return f"{p.status}（由{p.before}退回）" if step(f, p) < 0 else f"{p.before}→{p.status}"


def table_problems(document, f: Facts) -> list[str]:
    """The ranking tables' and the overview's figures against the oracle (rank, 累计完成, 完成率, 较序时进度)."""
    from zsreport.model import Table, iter_blocks

    wrong = []
    by_label = {label: key for key, label in f.labels.items()}
    for t in (b for b in iter_blocks(document) if isinstance(b, Table)):
        if t.caption.startswith("各县市区") and t.caption.endswith("完成情况"):
            key = by_label[t.caption.removeprefix("各县市区").removesuffix("完成情况")]
            for row in t.body:
                name, cells = row[1].text, [c.text for c in row[3:6]]
                fig = f.figures[name][key]
                want = _row_cells(f, fig, key)
                if cells[: len(want)] != want:
                    wrong.append(f"{t.caption} {name}: {cells} against {want}")
                rank = "—" if fig.rank is None or name == CITY or fig.actual is None else str(fig.rank)
                if row[0].text != rank:
                    wrong.append(f"{t.caption} {name}: rank {row[0].text} against {rank}")
        elif t.caption == "七大产业链招商情况":
            counts = chain_counts(f)
            for row in t.body:
                if row[0].text in counts:
                    n, investment = counts[row[0].text]
                    if [row[1].text, row[2].text] != [str(n), amount(investment, 2)]:
                        wrong.append(f"{t.caption} {row[0].text}: {row[1].text}, {row[2].text} against {n}")
        elif t.caption in ("重点项目推进情况", "重点项目调度情况"):
            name_col, stage_col = (1, 5) if t.caption == "重点项目推进情况" else (2, 4)
            kp = {p.name: p for p in key_projects(f)}
            for row in t.body:
                want = progress_cell(f, kp[row[name_col].text])
                if row[stage_col].text != want:
                    wrong.append(f"{t.caption} {row[name_col].text}: {row[stage_col].text} against {want}")
        elif t.caption.endswith("招商项目推进情况") and document.meta.kind == "unit":
            wrong += _unit_project_rows(t, f, document.meta.unit)
        elif t.caption.endswith("主要指标完成情况") and document.meta.kind == "city":
            for row in t.body:
                key = by_label[row[0].text]
                want = _row_cells(f, f.figures[CITY][key], key)
                if [c.text for c in row[3:6]] != want:
                    wrong.append(f"{t.caption} {row[0].text}: {[c.text for c in row[3:6]]} against {want}")
    return wrong


def _unit_project_rows(table, f: Facts, unit: str) -> list[str]:
    """A unit's project table against its ledger rows: each project once, and under a project a
    row 「存在问题：…」 exactly when its ledger row has a problem, so that the 注 「未列的暂无问题」
    holds; the 注 only when a problem is listed."""
    ledger = {p.name: p.problem.strip() for p in f.projects if p.unit == unit}
    wrong, seen, listed = [], [], 0
    for at, row in enumerate(table.body):
        if len(row) == 1:
            continue  # a problem row, read with the project above it
        name = row[1].text
        seen.append(name)
        below = table.body[at + 1] if at + 1 < len(table.body) else ()
        shown = below[0].text if len(below) == 1 else None
        want = f"存在问题：{ledger[name]}" if ledger.get(name) else None
        listed += want is not None
        if shown != want:
            wrong.append(f"{table.caption} {name}: problem row {shown!r} against {want!r}")
    if sorted(seen) != sorted(ledger):
        wrong.append(f"{table.caption}: projects {sorted(seen)} against the ledger's {sorted(ledger)}")
    if bool(table.notes) != bool(listed):
        wrong.append(f"{table.caption}: note {table.notes} with {listed} problems listed")
    return wrong


def heading_problems(document, f: Facts) -> list[str]:
    """The 纪要's problem headings, 「征地拆迁问题（3个）」, in order, against the key projects' problems."""
    from zsreport.model import Heading, iter_blocks

    have = [b.text for b in iter_blocks(document) if isinstance(b, Heading) and b.level == 2]
    want = [f"{kind}问题（{len(items)}个）" for kind, items in problem_groups(f).items()]
    return [] if have == want else [f"problem headings {have} against {want}"]


def check_set(documents, f: Facts, meeting=None) -> list[str]:
    """Every data-dependent sentence of a quarter's composed documents against the oracle: what is
    missing, and any paragraph with a figure that no expected sentence covers."""
    from tests.compose.consistency import paragraphs

    problems = []
    for document in documents:
        kind = document.meta.kind
        if kind == "city":
            fragments = city(f)
        elif kind == "unit":
            fragments = unit(f, document.meta.unit)
        elif kind == "briefing":
            fragments = briefing(f, meeting)
        elif kind == "assessment":
            fragments = assessment_doc(f)
        else:
            continue
        paras = paragraphs(document)
        text = "".join(paras)
        problems += [f"{document.meta.slug}: missing {frag}" for frag in missing(text, fragments)]
        names = (*f.units, *f.chains)
        problems += [f"{document.meta.slug}: unchecked {p}" for p in unchecked(paras, fragments, names)]
        problems += [f"{document.meta.slug}: {w}" for w in table_problems(document, f)]
        if kind == "briefing":
            problems += [f"{document.meta.slug}: {w}" for w in heading_problems(document, f)]
    return problems

"""The blank forms the units fill in: the plan, the quarterly 完成情况 and the 项目库, laid out as
the office's tables, with drop-downs, number and date checks and number formats, so that most
mistakes cannot be typed. Their headers are the words ``headers`` recognises."""

from __future__ import annotations

from pathlib import Path

from zsreport.atomic import atomic_path
from zsreport.ingest.dataset import Registry
from zsreport.ingest.headers import ACTUALS, LEDGER, PLAN

TEMPLATE_NAMES = {
    PLAN: "{year}年招商计划表（模板）.xlsx",
    ACTUALS: "季度完成情况（模板）.xlsx",
    LEDGER: "项目库（模板）.xlsx",
}
LEDGER_ROWS = 400  # rows carrying drop-downs in the blank 项目库


def _xl_styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "box": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "title": Font(name="方正小标宋简体", size=16),
        "head": Font(name="黑体", size=10),
        "body": Font(name="仿宋_GB2312", size=11),
        "note": Font(name="仿宋_GB2312", size=10),
    }


def _xl_head(ws, st, r1: int, c1: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
    r2, c2 = r2 or r1, c2 or c1
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(r, c)
            cell.border, cell.font, cell.alignment = st["box"], st["head"], st["center"]
    ws.cell(r1, c1, text)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _xl_title(ws, st, row: int, text: str, ncols: int, font: str = "title") -> None:
    ws.cell(row, 1, text).font = st[font]
    ws.cell(row, 1).alignment = st["center"] if font == "title" else st["left"]
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    if font == "title":
        ws.row_dimensions[row].height = 36


FORMULA_TRIGGERS = ("=", "+", "-", "@")  # what Excel and WPS read as the start of a formula


def _xl_body(ws, st, row: int, col: int, value=None, fmt: str | None = None, left: bool = False) -> None:
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        # Text from a unit's ledger stays text: stored as a string, and quote-prefixed so that
        # Excel keeps it text even when the cell is edited and confirmed.
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.border, cell.font = st["box"], st["body"]
    cell.alignment = st["left"] if left else st["center"]
    if fmt:
        cell.number_format = fmt


def _options_sheet(wb, registry: Registry) -> dict[str, str]:
    """A hidden sheet of allowed values; returns list name → range formula for validations."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("选项")
    lists = {
        "units": list(registry.unit_names),
        "chains": [*registry.chains, registry.other_chain],
        "statuses": list(registry.statuses),
        "top500": list(registry.top500_lists),
        "kinds": list(registry.problem_kinds),
        "yesno": ["是", "否"],
    }
    out = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(1, c, name)
        for r, v in enumerate(values, start=2):
            ws.cell(r, c, v)
        col = get_column_letter(c)
        out[name] = f"选项!${col}$2:${col}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return out


def _dv_list(ws, formula: str, ref: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.error, dv.errorTitle = f"请从下拉列表中选择{prompt}", "输入有误"
    dv.prompt, dv.promptTitle = f"请选择{prompt}", prompt
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _dv_number(ws, ref: str, whole: bool, label: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="whole" if whole else "decimal",
        operator="between",
        formula1="0",
        formula2="100000000",
        allow_blank=True,
    )
    dv.error = f"{label}：请输入不小于0的{'整数' if whole else '数字'}"
    dv.errorTitle = "输入有误"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _dv_date(ws, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True)
    dv.error, dv.errorTitle = "请输入日期，如 2020-03-15", "输入有误"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _template_plan(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "招商计划表"
    inds = registry.indicators
    ncols = len(inds) + 1
    _xl_title(ws, st, 1, f"{year}年邵阳市承产转移示范区建设招商计划表", ncols)
    _xl_head(ws, st, 2, 1, "单位", r2=3)
    c = 2
    groups: list[tuple[str, list]] = []
    for ind in inds:
        if groups and groups[-1][0] == ind.group:
            groups[-1][1].append(ind)
        else:
            groups.append((ind.group, [ind]))
    for group, members in groups:
        unit = members[0].unit if len({m.unit for m in members}) == 1 and members[0].unit == "个" else ""
        _xl_head(ws, st, 2, c, group + (f"({unit})" if unit else ""), c2=c + len(members) - 1)
        for m in members:
            text = m.label if m.unit == "个" else f"{m.label}\n({m.unit})"
            if m.key == "industrial_funds":
                text = "其中" + text
            _xl_head(ws, st, 3, c, text)
            c += 1
    ws.row_dimensions[3].height = 42
    names = [registry.city, *registry.unit_names]
    for r, name in enumerate(names, start=4):
        _xl_body(ws, st, r, 1, name)
        for i, ind in enumerate(inds, start=2):
            _xl_body(ws, st, r, i, None, "General" if ind.unit != "个" else "0")
    last = 3 + len(names)
    for i, ind in enumerate(inds, start=2):
        col = get_column_letter(i)
        _dv_number(ws, f"{col}4:{col}{last}", ind.unit == "个", ind.label)
    _xl_title(
        ws,
        st,
        last + 1,
        f"备注：空白表示无该项目标；{registry.city}行可不填（程序按各单位合计）。",
        ncols,
        font="note",
    )
    for i in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 13
    ws.freeze_panes = "B4"
    wb.save(path)


def _template_actuals(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "完成情况"
    money = [i for i in registry.indicators if i.money]
    counts = [i for i in registry.indicators if not i.money]
    ncols = 1 + 2 * len(money) + len(counts) + 1
    _xl_title(ws, st, 1, f"{year}年第　季度承接产业转移示范区建设招商引资完成情况表", ncols)
    _xl_title(ws, st, 2, "统计时间：1月1日至季度末（本年累计）", ncols, font="note")
    _xl_head(ws, st, 3, 1, "单位", r2=4)
    c = 2
    kinds: list[tuple[int, bool, str]] = []  # column, whole number, label
    for ind in money:
        label = ("其中：" if ind.key == "industrial_funds" else "") + f"{ind.label}({ind.unit})"
        _xl_head(ws, st, 3, c, label, c2=c + 1)
        _xl_head(ws, st, 4, c, "本年累计")
        _xl_head(ws, st, 4, c + 1, "上年同期")
        kinds += [(c, ind.decimals == 0, ind.label), (c + 1, ind.decimals == 0, ind.label)]
        c += 2
    _xl_head(ws, st, 3, c, "招商产业项目数量(个)", c2=c + len(counts) - 1)
    for i, ind in enumerate(counts):
        _xl_head(ws, st, 4, c + i, ind.label)
        kinds.append((c + i, True, ind.label))
    c += len(counts)
    _xl_head(ws, st, 3, c, "报送招商\n信息条数(条)", r2=4)
    kinds.append((c, True, "报送招商信息条数"))
    ws.row_dimensions[4].height = 42
    for r, name in enumerate(registry.unit_names, start=5):
        _xl_body(ws, st, r, 1, name)
        for col, whole, _ in kinds:
            _xl_body(ws, st, r, col, None, "0" if whole else "0.00")
    last = 4 + len(registry.unit_names)
    for col, whole, label in kinds:
        letter = get_column_letter(col)
        _dv_number(ws, f"{letter}5:{letter}{last}", whole, label)
    _xl_title(
        ws,
        st,
        last + 1,
        "备注：填写本年1月1日至季度末的累计数；项目个数须与项目库一致（签约、开工、投产的项目）。",
        ncols,
        font="note",
    )
    for i in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.freeze_panes = "B5"
    wb.save(path)


TEMPLATE_LEDGER = (
    ("序号", 6, None, None),
    ("项目名称", 34, None, None),
    ("所属单位", 11, None, "units"),
    ("产业链", 12, None, "chains"),
    ("计划总投资\n(亿元)", 11, "0.00", "decimal"),
    ("其中省外境内资金\n(亿元)", 13, "0.00", "decimal"),
    ("外资\n(万美元)", 10, "0", "decimal"),
    ("项目状态", 9, None, "statuses"),
    ("签约日期", 12, "yyyy-mm-dd", "date"),
    ("开工日期", 12, "yyyy-mm-dd", "date"),
    ("投产日期", 12, "yyyy-mm-dd", "date"),
    ("高新技术企业", 9, None, "yesno"),
    ("三类500强", 11, None, "top500"),
    ("5亿元以上\n制造业", 10, None, "yesno"),
    ("重点项目", 8, None, "yesno"),
    ("市级联系领导", 20, None, None),
    ("牵头部门", 18, None, None),
    ("问题类型", 10, None, "kinds"),
    ("存在问题", 36, None, None),
    ("下步措施", 36, None, None),
)


def _template_ledger(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "项目库"
    lists = _options_sheet(wb, registry)
    ncols = len(TEMPLATE_LEDGER)
    _xl_title(ws, st, 1, f"{year}年第　季度招商引资项目库", ncols)
    last = 2 + LEDGER_ROWS
    for c, (text, width, fmt, check) in enumerate(TEMPLATE_LEDGER, start=1):
        _xl_head(ws, st, 2, c, text)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = width
        for r in range(3, last + 1):
            _xl_body(ws, st, r, c, None, fmt, left=c in (2, 16, 17, 19, 20))
        ref = f"{letter}3:{letter}{last}"
        if check in lists:
            _dv_list(ws, lists[check], ref, text.replace("\n", ""))
        elif check == "decimal":
            _dv_number(ws, ref, False, text.replace("\n", ""))
        elif check == "date":
            _dv_date(ws, ref)
    ws.row_dimensions[2].height = 36
    _xl_title(
        ws,
        st,
        last + 1,
        "备注：每个项目一行，项目名称不得重复；项目状态为季度末状态；新引进项目指状态为签约、开工或投产的项目。",
        ncols,
        font="note",
    )
    ws.freeze_panes = "C3"
    wb.save(path)


def write_templates(year: int, out_dir: Path, registry: Registry) -> list[Path]:
    """Blank office forms for ``year``: the plan, the quarterly 完成情况 and the 项目库, laid out as
    the office's tables, with drop-downs (units, chains, status, 三类500强, problem kinds, 是/否),
    number and date checks and number formats, so that most mistakes cannot be typed."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / TEMPLATE_NAMES[PLAN].format(year=year),
        out_dir / TEMPLATE_NAMES[ACTUALS],
        out_dir / TEMPLATE_NAMES[LEDGER],
    ]
    for path, writer in zip(paths, (_template_plan, _template_actuals, _template_ledger), strict=True):
        with atomic_path(path) as tmp:
            writer(year, registry, tmp)
    return paths

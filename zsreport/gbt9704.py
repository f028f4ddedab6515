"""Layout numbers of GB/T 9704-2012《党政机关公文格式》, named after the clause they come from.

The one place where layout numbers live: the PDF stylesheet and the DOCX writer both read them
from here, and the tests measure the output against them. Sizes in pt or mm as the standard
states them; helpers convert.
"""

from __future__ import annotations

MM_PER_PT = 25.4 / 72
PT_PER_MM = 72 / 25.4
TWIPS_PER_PT = 20
EMU_PER_MM = 36000

# Chinese type sizes (号 → pt).
SIZE_2HAO_PT = 22.0  # 二号
SIZE_3HAO_PT = 16.0  # 三号
SIZE_4HAO_PT = 14.0  # 四号
SIZE_XIAO4_PT = 12.0  # 小四
SIZE_5HAO_PT = 10.5  # 五号

# Clause 5.2.1 paper: A4.
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0

# Clause 5.2.2 版面: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (page number excluded).
MARGIN_TOP_MM = 37.0
MARGIN_LEFT_MM = 28.0
TEXT_WIDTH_MM = 156.0
TEXT_HEIGHT_MM = 225.0
MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TEXT_WIDTH_MM  # 26 mm
MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TEXT_HEIGHT_MM  # 35 mm
MARGIN_TOLERANCE_MM = 1.0

# Clause 5.2.3 字体字号 and 5.2.4 行数和字数: 三号仿宋, 22 lines × 28 characters a page.
BODY_SIZE_PT = SIZE_3HAO_PT
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_PT = TEXT_HEIGHT_MM * PT_PER_MM / LINES_PER_PAGE  # 28.99 pt (the "行")
CHAR_PITCH_PT = TEXT_WIDTH_MM * PT_PER_MM / CHARS_PER_LINE  # 15.79 pt (the "字")
# 28 × 16 pt is wider than the 版心, so each character is condensed by this much.
BODY_LETTER_SPACING_PT = CHAR_PITCH_PT - BODY_SIZE_PT  # ≈ −0.21 pt
INDENT_CHARS = 2  # 左空二字

# Clause 5.2.5 文字颜色 / 7.2.4: the red of 标志 and rules (red ink Y80% M80% ≈ pure red on screen).
RED = "#FF0000"
BLACK = "#000000"

# Clause 7.2.1–7.2.3 份号, 密级, 紧急程度: 三号, 顶格.
# Clause 7.2.4 发文机关标志: top edge 35 mm below the top of the 版心, centred, red 小标宋.
ISSUER_TOP_FROM_TEXT_TOP_MM = 35.0
ISSUER_SIZE_PT = 26.0  # not fixed by the standard ("醒目、美观、庄重"); 一号 for a two-line name
ISSUER_SUFFIX_SIZE_PT = 36.0  # "文件" beside the stacked name, 小初
# Clause 7.2.5 发文字号: 标志下空二行, centred, 三号仿宋.
DOC_NUMBER_BLANK_LINES = 2
# Clause 7.2.6 签发人: 居右空一字 (上行文 only; not used by 邵承办发 通报).
# Clause 7.2.7 分隔线: 4 mm below the 文号, as wide as the 版心, red. Thickness unspecified:
RED_RULE_GAP_MM = 4.0
RED_RULE_WIDTH_MM = TEXT_WIDTH_MM
RED_RULE_THICKNESS_MM = 0.5  # practice 0.35–0.5 mm

# Clause 7.3.1 标题: 二号小标宋, 红色分隔线下空二行, centred, 梯形/菱形 when on several lines.
TITLE_SIZE_PT = SIZE_2HAO_PT
TITLE_BLANK_LINES = 2
TITLE_LINE_PITCH_PT = 35.0  # 二号 lines set closer than two grid lines, as offices do
# Clause 7.3.2 主送机关: 标题下空一行, 顶格, ends with "：".
ADDRESSEE_BLANK_LINES = 1
# Without a 主送 (a 纪要), the 正文 likewise starts one blank line under the title.
TITLE_BODY_BLANK_LINES = 1
# Clause 7.3.3 正文 heading faces, all 三号: 一、黑体 （一）楷体 1.仿宋 （1）仿宋; no added bold.
HEADING_ROLES = {1: "hei", 2: "kai", 3: "body", 4: "body"}
# Clause 7.3.4 附件说明: 正文下空一行, 左空二字.
ATTACHMENT_NOTE_BLANK_LINES = 1
# Clause 7.3.5.2 落款 without a seal: 正文下空一行; 署名 右空二字; date below, 2 字 to the right.
SIGNOFF_BLANK_LINES = 1
# 7.3.5.5: when the 署名 and the text's last lines do not fit on a page, spacing is adjusted; the
# blank line above the 署名 closes to this (``Document.signoff_tight``).
SIGNOFF_TIGHT_BLANK_LINES = 0.5
# 7.3.5.5 调整行距: the last page's lines may close up to keep the 署名 with the text, no closer
# than this (a 3号 line at 1.5 × its size still reads as the 正文's spacing).
SQUEEZE_MIN_PITCH_PT = 0.85 * LINE_PITCH_PT
SIGNOFF_RIGHT_CHARS = 2
SIGNOFF_DATE_SHIFT_CHARS = 2
# Clause 7.3.7 附件: new page; "附件N" 三号黑体 顶格 on line 1; title centred on line 3.
ATTACHMENT_TITLE_LINE = 3

# Clause 7.4 版记: 四号仿宋; 抄送/印发机关 左空一字, 印发日期 右空一字; first and last rules
# 0.35 mm, middle ones 0.25 mm; the last rule on the bottom edge of the 版心 of the last page.
COLOPHON_SIZE_PT = SIZE_4HAO_PT
COLOPHON_INDENT_CHARS = 1
COLOPHON_THICK_RULE_MM = 0.35
COLOPHON_THIN_RULE_MM = 0.25
COLOPHON_LINE_PITCH_PT = 24.0

# Clause 7.5 页码: 四号半角宋体 "— N —", 7 mm below the 版心; odd pages 右空一字, even 左空一字.
PAGE_NUMBER_SIZE_PT = SIZE_4HAO_PT
PAGE_NUMBER_BELOW_TEXT_MM = 7.0
PAGE_NUMBER_SIDE_CHARS = 1
PAGE_NUMBER_DASH = "\u2014"  # 一字线

# Clause 8 表格: tables are not sized by the standard; offices set them smaller than the body.
TABLE_SIZE_PT = SIZE_XIAO4_PT  # 小四 for cells
TABLE_CAPTION_SIZE_PT = SIZE_3HAO_PT
TABLE_LINE_PITCH_PT = 18.0
TABLE_CELL_PADDING_MM = 1.0
# A tightened table's cells above and below their text (as a typesetter closes up a table so the
# heading after it keeps its lines on the page, instead of leaving the page's foot empty).
TABLE_CELL_PADDING_COMPACT_MM = 0.4
TABLE_RULE_PT = 0.75

# Clause 10.3 纪要格式: 标志 top 35 mm below the 版心 top, red 小标宋; 出席/请假/列席 黑体 label.
MINUTES_MARK_SIZE_PT = 36.0

# Figures: charts keep inside the 版心 and print at ≥ 200 dpi in the DOCX.
FIGURE_WIDTH_MM = TEXT_WIDTH_MM
FIGURE_PNG_DPI = 220
# LibreOffice 7.4 starts an inline picture 3.4 mm right of the 版心's left edge whatever the
# paragraph's alignment, so a picture as wide as the 版心 ran 3.4 mm past its right edge. The DOCX
# sets its charts this much narrower on each side (152 mm: x 31.4–183.4 mm in LibreOffice).
DOCX_FIGURE_INSET_MM = 2.0


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


def mm_to_pt(mm: float) -> float:
    return mm * PT_PER_MM


def mm_to_twips(mm: float) -> int:
    return round(mm * PT_PER_MM * TWIPS_PER_PT)


# --- Added for the PDF renderer (render_pdf); values chosen by eye against printed 红头 files. ---
# 7.2.4: a long name is set as a stack of equal-width lines, "文件" to its right. The stack shrinks
# below ISSUER_SIZE_PT when its longest line would not leave room for the suffix in the 版心.
ISSUER_LINE_HEIGHT_EM = 1.2  # pitch of the stacked name lines, in ems of their size
ISSUER_SUFFIX_GAP_MM = 4.0  # between the stack and "文件"


def issuer_size_pt(organ_lines: tuple[str, ...], suffix: str, *, minutes: bool) -> float:
    """标志 size, the same in the PDF and the DOCX: the nominal size, shrunk so that the longest
    organ line (one em a character) plus "文件" and its gap fit the 版心 width."""
    longest = max((len(line) for line in organ_lines), default=1) or 1
    room = mm_to_pt(TEXT_WIDTH_MM)
    nominal = MINUTES_MARK_SIZE_PT if minutes else ISSUER_SIZE_PT
    if not minutes and suffix:
        room -= len(suffix) * ISSUER_SUFFIX_SIZE_PT + mm_to_pt(ISSUER_SUFFIX_GAP_MM)
    return min(nominal, room / longest)


def issuer_spread_pt(line: str, organ_lines: tuple[str, ...], size_pt: float) -> float:
    """Letter-spacing that spreads one stacked organ line to the width of the longest (7.2.4:
    the lines of a stacked 标志 are set to one width); 0 for the longest or a one-character line."""
    width = max((len(other) for other in organ_lines), default=0) * size_pt
    gaps = len(line) - 1
    return (width - len(line) * size_pt) / gaps if gaps > 0 else 0.0


def width_in_chars(text: str) -> float:
    """Width of ``text`` in 字 as set in the CJK faces: ASCII (digits, Latin) is half-width there."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def signoff_date_indent_pt(organ_lines: tuple[str, ...], date: str) -> float:
    """Left offset of the 成文日期 in the 版心, the same in the PDF and the DOCX (7.3.5.2): its
    first character 2 字 right of the first character of the 署名 line right above it (each line
    右空二字); a date wider than that allows is pulled left so that it still ends inside the 版心.

    Widths from character counts: a 署名 character is one 字, a digit half an em of 三号.
    """
    char, width = CHAR_PITCH_PT, mm_to_pt(TEXT_WIDTH_MM)
    organ = width_in_chars(organ_lines[-1]) if organ_lines else 0
    wanted = width - (SIGNOFF_RIGHT_CHARS + organ - SIGNOFF_DATE_SHIFT_CHARS) * char
    latest = width - width_in_chars(date) * BODY_SIZE_PT
    return max(0.0, min(wanted, latest))


# 7.3.5.2: 附注 居左空二字 on the line after the date.
NOTE_INDENT_CHARS = 2
# 10.3 纪要: 出席/请假/列席 左空二字.
ATTENDANCE_INDENT_CHARS = 2
# 版记 pushed to the foot of the 版心: leave this much slack so rounding never spills it over.
COLOPHON_FIT_SLACK_PT = 0.5
# 7.4: 印发机关 左空一字 and 印发日期 右空一字 on one line, at least one 字 apart so they read as
# two; a long 印发机关 is condensed (no more than this many ems per character) to keep the gap.
COLOPHON_PRINTED_GAP_CHARS = 1
COLOPHON_MAX_CONDENSE_EM = 0.12
# Clause 8 tables/figures: a half-line gap between a table or figure and the text around it.
FLOAT_GAP_LINES = 0.5

# DOCX writer (render_docx): numbers the standard leaves open, set as offices do.
LINE_PITCH_TWIPS = int(LINE_PITCH_PT * TWIPS_PER_PT)  # 579: rounded down so 22 lines fit the 版心
ISSUER_MIN_SCALE_PERCENT = 50  # narrowest 字符缩放 before the 标志 size itself shrinks
PAGE_NUMBER_LINE_PT = PAGE_NUMBER_SIZE_PT  # footer line box, so its top sits 7 mm below the 版心
# The portrait footer carries the 7 mm under the 版心 as space above the page number: LibreOffice
# ends the body of an even-/odd-page section at the footer's top, not at the bottom margin. Less a
# hair, so Word never finds the footer reaching into the 版心 and shortening it.
PAGE_NUMBER_SPACE_ABOVE_MM = PAGE_NUMBER_BELOW_TEXT_MM - 0.3
# 28 × (16 pt + BODY_LETTER_SPACING_PT) is exactly the 版心 width; rounding in the layout engine
# then pushes the 28th character over. Condense by this much more (0.28 pt over a whole line).
BODY_LETTER_SPACING_SLACK_PT = 0.01
# 10.3 纪要 (common practice): the line under the 编号 holds 机关 左空一字 and date 右空一字.
MINUTES_SIDE_CHARS = 1

# --- Added for render_pdf: 横排表格 and table sizing (clause 8). ---
SIZE_XIAO5_PT = 9.0  # 小五
# Clause 8: a 横排 page is the portrait page turned a quarter; its 版心 is 225 mm wide × 156 mm high.
LANDSCAPE_TEXT_WIDTH_MM = TEXT_HEIGHT_MM
LANDSCAPE_TEXT_HEIGHT_MM = TEXT_WIDTH_MM
# Cell sizes tried in turn (小四, 五号, 小五) until the widest unbreakable number of every column fits.
TABLE_SIZES_PT = (SIZE_XIAO4_PT, SIZE_5HAO_PT, SIZE_XIAO5_PT)
TABLE_LINE_PITCH_EM = TABLE_LINE_PITCH_PT / TABLE_SIZE_PT  # 1.5: cells keep the 18 pt / 12 pt ratio
# Room a column keeps beyond its widest word: the digits of whatever face opens the DOCX (Word's
# Times New Roman, LibreOffice's Liberation Serif, the PDF's Fandol) differ by up to ~1 mm a number.
TABLE_FIT_SLACK_MM = 1.0
# A cell's lines are filled to its text width less this (``linebreak.cell_room_mm``): LibreOffice
# rounds a cell to twips and would break a line filled to the last 0.01 mm once more.
TABLE_LINE_SPARE_MM = 0.2
# Column widths are given out a half 字 at a time to the column where the table gets shortest
# (``compose.columns``); a whole line saved counts this many times a line's worth of text narrowed.
TABLE_WIDTH_STEP_EM = 0.5
TABLE_LINE_WEIGHT = 4.0
TABLE_WIDTH_TRADES = 60  # at most so many half 字 moved from one column to another afterwards

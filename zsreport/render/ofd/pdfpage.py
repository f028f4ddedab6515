"""Our own PDF's pages read back as drawing items in OFD's page space (mm, origin top left).

We translate the PDF rather than walk weasyprint's boxes because the PDF is what we issue: the OFD
then holds exactly the marks the PDF prints, remedies, spreading and 版记 moves included, and the
two agree by construction. We know what the PDF holds (weasyprint's output): CID text in
Identity-H with ToUnicode, filled and stroked paths, clipping, and the charts' tiling patterns.
Anything else is refused by name (``UnsupportedContent``), never dropped silently.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pdfminer.cmapdb import CMapParser, FileUnicodeMap

from zsreport.render.ofd import clip

PT_TO_MM = 25.4 / 72

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class UnsupportedContent(ValueError):
    """The PDF holds something the OFD translation cannot carry exactly."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: a point p maps to p·m·n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return x * a + y * c + e, x * b + y * d + f


@dataclass(frozen=True)
class PdfFont:
    """One embedded CID font: its file, names, widths and glyph → text mapping."""

    key: str  # the embedded font's object id, unique in the document
    base_name: str  # "WICEUJ+FandolFang"
    family: str  # FontDescriptor /FontFamily, "FandolFang"
    bold: bool
    data: bytes  # the embedded subset, as the PDF holds it (OpenType)
    suffix: str  # "otf" (CFF outlines) or "ttf"
    widths: dict[int, float]  # CID → advance in 1/1000 em
    default_width: float
    to_unicode: dict[int, str]


@dataclass
class TextRun:
    """Glyphs set on one baseline by one TJ: where it starts on the page, and each glyph's offset."""

    font: PdfFont
    size_mm: float
    origin_mm: tuple[float, float]  # the pen's start on the baseline
    direction: tuple[float, float]  # the baseline's unit vector on the page
    down: tuple[float, float]  # the glyphs' downward unit vector on the page
    offsets_mm: list[float]  # each glyph's start along the baseline
    cids: list[int]
    text: list[str]  # each glyph's text ("" when the PDF maps it to none)
    advance_mm: float  # the pen after the last glyph
    fill: tuple[int, int, int]

    @property
    def upright(self) -> bool:
        return self.direction == (1.0, 0.0) and self.down == (0.0, 1.0)


@dataclass
class PathItem:
    """One painted path in page mm: ("M"/"L"/"C"/"Z", points…) segments."""

    segments: list[tuple]
    stroke: tuple[int, int, int] | None
    fill: tuple[int, int, int] | None
    even_odd: bool = False
    line_width_mm: float = 0.0
    dash_mm: tuple[float, ...] = ()
    dash_offset_mm: float = 0.0
    cap: int = 0
    join: int = 0
    miter: float = 4.0
    clip: list[tuple] | None = None  # the clipping path in force, page mm


@dataclass
class Page:
    width_mm: float
    height_mm: float
    items: list = field(default_factory=list)


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: tuple[int, int, int] = (0, 0, 0)
    stroke: tuple[int, int, int] = (0, 0, 0)
    fill_pattern: str | None = None
    line_width: float = 1.0
    dash: tuple[float, ...] = ()
    dash_offset: float = 0.0
    cap: int = 0
    join: int = 0
    miter: float = 4.0
    clip: list[tuple] | None = None

    def copy(self) -> _State:
        return _State(**self.__dict__)


def _rgb(values) -> tuple[int, int, int]:
    """A DeviceRGB/sRGB triple (0–1) as OFD's 0–255 integers, half up."""
    return tuple(min(255, max(0, int(float(v) * 255 + 0.5))) for v in values)  # type: ignore[return-value]


def _gray(value) -> tuple[int, int, int]:
    g = min(255, max(0, int(float(value) * 255 + 0.5)))
    return (g, g, g)


def read_font(font: pikepdf.Dictionary) -> PdfFont:
    if font.get("/Subtype") != "/Type0" or str(font.get("/Encoding")) != "/Identity-H":
        raise UnsupportedContent(f"字体 {font.get('/BaseFont')} 不是 Identity-H 编码的 CID 字体")
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    if "/FontFile3" in descriptor:
        data, suffix = descriptor.FontFile3.read_bytes(), "otf"
    elif "/FontFile2" in descriptor:
        data, suffix = descriptor.FontFile2.read_bytes(), "ttf"
    else:
        raise UnsupportedContent(f"字体 {font.get('/BaseFont')} 未嵌入")
    base = str(font.BaseFont)[1:]
    family = str(descriptor.get("/FontFamily", base.split("+")[-1]))
    return PdfFont(
        key=f"{font.objgen[0]}",
        base_name=base,
        family=family,
        bold="bold" in base.lower(),
        data=data,
        suffix=suffix,
        widths=_widths(descendant.get("/W", pikepdf.Array())),
        default_width=float(descendant.get("/DW", 1000)),
        to_unicode=_to_unicode(font.get("/ToUnicode")),
    )


def _widths(w: pikepdf.Array) -> dict[int, float]:
    """The /W array: ``c [w1 w2 …]`` and ``c_first c_last w`` entries."""
    widths: dict[int, float] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _to_unicode(stream) -> dict[int, str]:
    if stream is None:
        return {}
    cmap = FileUnicodeMap()
    CMapParser(cmap, io.BytesIO(stream.read_bytes())).run()
    return dict(cmap.cid2unichr)


class PageReader:
    """Interprets one page's content stream, and the forms and patterns it draws."""

    def __init__(self, fonts: dict[str, PdfFont]) -> None:
        self.fonts = fonts  # by object id, shared by every page of the document

    def read(self, page: pikepdf.Page) -> Page:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        if page.obj.get("/Rotate", 0) not in (0, None):
            raise UnsupportedContent("页面设置了 /Rotate")
        height = y1 - y0
        # PDF user space (pt, origin bottom left) → OFD page space (mm, origin top left)
        to_page: Matrix = (PT_TO_MM, 0.0, 0.0, -PT_TO_MM, -x0 * PT_TO_MM, (y0 + height) * PT_TO_MM)
        result = Page((x1 - x0) * PT_TO_MM, height * PT_TO_MM)
        self._page_base = to_page  # a pattern's matrix maps into the page's default space
        self._run(page.obj, page.Resources, _State(ctm=to_page), result.items)
        return result

    def _font(self, resources, name: str) -> PdfFont:
        font = resources.Font[name]
        key = f"{font.objgen[0]}"
        if key not in self.fonts:
            self.fonts[key] = read_font(font)
        return self.fonts[key]

    def _run(self, stream, resources, state: _State, out: list) -> None:  # one operator table
        stack: list[_State] = []
        path: list[tuple] = []
        point = (0.0, 0.0)
        pending_clip: tuple[list[tuple], bool] | None = None
        text_matrix: Matrix = IDENTITY
        font: PdfFont | None = None
        font_size = 0.0
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "q":
                stack.append(state.copy())
            elif op == "Q":
                state = stack.pop()
            elif op == "cm":
                state.ctm = multiply(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op == "gs":
                self._check_gs(resources.ExtGState[str(operands[0])])
            elif op == "rg":
                state.fill, state.fill_pattern = _rgb(operands), None
            elif op == "RG":
                state.stroke = _rgb(operands)
            elif op == "g":
                state.fill, state.fill_pattern = _gray(operands[0]), None
            elif op == "G":
                state.stroke = _gray(operands[0])
            elif op == "cs":
                if str(operands[0]) != "/Pattern":
                    state.fill_pattern = None
            elif op == "scn":
                if len(operands) == 1 and isinstance(operands[0], pikepdf.Name):
                    state.fill_pattern = str(operands[0])
                else:
                    state.fill, state.fill_pattern = _rgb(operands), None
            elif op == "CS":
                pass
            elif op == "SCN":
                state.stroke = _rgb(operands)
            elif op == "w":
                state.line_width = float(operands[0])
            elif op == "d":
                state.dash, state.dash_offset = tuple(float(v) for v in operands[0]), float(operands[1])
            elif op == "J":
                state.cap = int(operands[0])
            elif op == "j":
                state.join = int(operands[0])
            elif op == "M":
                state.miter = float(operands[0])
            elif op == "m":
                point = apply(state.ctm, float(operands[0]), float(operands[1]))
                path.append(("M", point))
            elif op == "l":
                point = apply(state.ctm, float(operands[0]), float(operands[1]))
                path.append(("L", point))
            elif op == "c":
                pts = [apply(state.ctm, float(operands[i]), float(operands[i + 1])) for i in (0, 2, 4)]
                path.append(("C", *pts))
            elif op in ("v", "y"):
                raise UnsupportedContent(f"路径操作符 {op}")
            elif op == "h":
                path.append(("Z",))
            elif op == "re":
                x, y, w, h = (float(v) for v in operands)
                corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                pts = [apply(state.ctm, *p) for p in corners]
                path += [("M", pts[0]), ("L", pts[1]), ("L", pts[2]), ("L", pts[3]), ("Z",)]
            elif op in ("W", "W*"):
                pending_clip = (list(path), op == "W*")
            elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                if op in ("s", "b", "b*"):
                    path.append(("Z",))
                if op != "n" and path:
                    self._paint(op, path, state, resources, out)
                if pending_clip is not None:
                    state.clip = _intersect(state.clip, pending_clip[0])
                    pending_clip = None
                path = []
            elif op == "BT":
                text_matrix = IDENTITY
            elif op == "ET":
                pass
            elif op == "Tf":
                font, font_size = self._font(resources, str(operands[0])), float(operands[1])
            elif op == "Tm":
                text_matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op == "TJ":
                if font is None:
                    raise UnsupportedContent("TJ 之前没有 Tf")
                run, advance = self._text(operands[0], font, font_size, text_matrix, state)
                out.append(run)
                # a TJ moves the text matrix on by what it set: the next TJ starts there
                text_matrix = multiply((1.0, 0.0, 0.0, 1.0, advance, 0.0), text_matrix)
            elif op == "Do":
                self._form(resources.XObject[str(operands[0])], state, out)
            elif op in ("Tc", "Tw", "Tz", "TL", "Ts", "Td", "TD", "T*", "'", '"', "Tj", "Tr"):
                if op == "Tr" and int(operands[0]) == 0:
                    continue
                if op in ("Tc", "Tw", "Ts") and float(operands[0]) == 0:
                    continue
                raise UnsupportedContent(f"文字操作符 {op}")
            else:
                raise UnsupportedContent(f"操作符 {op}")

    @staticmethod
    def _check_gs(gs) -> None:
        for key in ("/ca", "/CA"):
            if key in gs and float(gs[key]) != 1:
                raise UnsupportedContent("半透明图形")
        if gs.get("/SMask", "/None") != "/None":
            raise UnsupportedContent("软蒙版")

    def _paint(self, op: str, path: list[tuple], state: _State, resources, out: list) -> None:
        fills = op in ("f", "F", "f*", "B", "B*", "b", "b*")
        strokes = op in ("S", "s", "B", "B*", "b", "b*")
        if fills and state.fill_pattern is not None:
            # A chart's tiling pattern: its one cell, drawn clipped to the filled shape
            self._pattern(resources.Pattern[state.fill_pattern], path, state, out)
            fills = False
            if not strokes:
                return
        path = clip.drop_dangling_moves(path)
        if fills and clip.encloses_nothing(path):
            fills = False  # hatching painted with B: its fill covers no area
            if not strokes:
                return
        scale = _scale(state.ctm)
        out.append(
            PathItem(
                segments=list(path),
                stroke=state.stroke if strokes else None,
                fill=state.fill if fills else None,
                even_odd=op.endswith("*"),
                line_width_mm=state.line_width * scale,
                dash_mm=tuple(v * scale for v in state.dash),
                dash_offset_mm=state.dash_offset * scale,
                cap=state.cap,
                join=state.join,
                miter=state.miter,
                clip=state.clip,
            )
        )

    def _pattern(self, pattern, path: list[tuple], state: _State, out: list) -> None:
        if int(pattern.get("/PatternType", 0)) != 1 or int(pattern.get("/PaintType", 0)) != 1:
            raise UnsupportedContent("非着色平铺图案")
        # A pattern's matrix maps to the page's default space (our to_page), wherever it is used
        matrix = tuple(float(v) for v in pattern.get("/Matrix", IDENTITY))
        base = _State(ctm=multiply(matrix, self._page_base), clip=list(path))  # type: ignore[arg-type]
        self._run(pattern, pattern.Resources, base, out)

    def _form(self, form, state: _State, out: list) -> None:
        if form.get("/Subtype") != "/Form":
            raise UnsupportedContent("图像对象")
        matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
        inner = state.copy()
        inner.ctm = multiply(matrix, state.ctm)  # type: ignore[arg-type]
        self._run(form, form.get("/Resources", pikepdf.Dictionary()), inner, out)

    def _text(self, array, font: PdfFont, size: float, tm: Matrix, state: _State) -> tuple[TextRun, float]:
        """The run a TJ sets, and its advance in text space."""
        matrix = multiply(tm, state.ctm)
        a, b, c, d, _, _ = matrix
        along = (a * a + b * b) ** 0.5  # text space unit → mm along the baseline
        across = (c * c + d * d) ** 0.5
        if along == 0 or abs(along - across) > 1e-6 * along or abs(a * c + b * d) > 1e-6 * along * along:
            raise UnsupportedContent("倾斜或不等比缩放的文字")
        # text space has y up; OFD's text has y down: its "down" is the text space's −y
        direction = (a / along, b / along)
        down = (-c / across, -d / across)
        x_text = 0.0
        offsets, cids, texts = [], [], []
        for item in array:
            if isinstance(item, pikepdf.String):
                raw = bytes(item)
                for i in range(0, len(raw) - 1, 2):
                    cid = raw[i] << 8 | raw[i + 1]
                    offsets.append(x_text * along)
                    cids.append(cid)
                    texts.append(font.to_unicode.get(cid, ""))
                    x_text += font.widths.get(cid, font.default_width) / 1000 * size
            else:
                x_text -= float(item) / 1000 * size
        run = TextRun(
            font=font,
            size_mm=size * along,
            origin_mm=apply(matrix, 0, 0),
            direction=direction,
            down=down,
            offsets_mm=offsets,
            cids=cids,
            text=texts,
            advance_mm=x_text * along,
            fill=state.fill,
        )
        return run, x_text

    _page_base: Matrix = IDENTITY


def _intersect(current: list[tuple] | None, new: list[tuple]) -> list[tuple]:
    """The clip after ``W``: two rectangles meet in a rectangle; for any other shape the newer
    clip stands (weasyprint nests only rectangles in the pages we make)."""
    if current is None:
        return new
    a, b = clip.as_rect(current), clip.as_rect(new)
    if a is None or b is None:
        return new
    met = clip.meet(a, b)
    # nothing shows through an empty clip: a zero-size rectangle keeps it so
    return clip.rect_path(met) if met else clip.rect_path((a[0], a[1], a[0], a[1]))


def _scale(m: Matrix) -> float:
    """The length a unit of user space takes on the page (uniform scaling, as ours is)."""
    a, b, c, d, _, _ = m
    return (abs(a * d - b * c)) ** 0.5


def read_pages(pdf: pikepdf.Pdf) -> list[Page]:
    reader = PageReader({})
    return [reader.read(page) for page in pdf.pages]

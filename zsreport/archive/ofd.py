"""What an OFD says it is: the title and 发文字号 in its OFD.xml DocInfo (``render.ofd`` writes
them), read without trusting the package: no entity is resolved and nothing is fetched."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

NAMESPACE = "http://www.ofdspec.org/2016"
_NS = {"ofd": NAMESPACE}
_MAX_XML = 1 << 20  # OFD.xml is a few hundred bytes; a larger one is not ours


class OfdUnreadable(ValueError):
    """The OFD package or its OFD.xml cannot be read."""


def ofd_identity(path: Path) -> tuple[str, str]:
    """(title, 发文字号) from the package's DocInfo; "" for what it does not name."""
    try:
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("OFD.xml")
            if info.file_size > _MAX_XML:
                raise OfdUnreadable("OFD.xml 异常庞大")
            data = package.read(info)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise OfdUnreadable(str(exc)) from exc
    doc_info = root.find("ofd:DocBody/ofd:DocInfo", _NS)
    if root.tag != f"{{{NAMESPACE}}}OFD" or doc_info is None:
        raise OfdUnreadable("不是 OFD 文件（缺少 DocInfo）")
    title = doc_info.findtext("ofd:Title", default="", namespaces=_NS)
    number = doc_info.findtext("ofd:CustomDatas/ofd:CustomData[@Name='发文字号']", default="", namespaces=_NS)
    return title, number

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from tests import synthetic
from tests.shipped import shipped_data
from zsreport.compose.documents import (
    Issuance,
    Office,
    compose_city_bulletin,
    render_wording,
    wording_environment,
)
from zsreport.compute import compute
from zsreport.model import Figure, Heading, Table, plain_paragraphs

OFFICE = Office.from_toml(shipped_data() / "office.toml")
ISSUE = Issuance(dt.date(2020, 7, 10), 21)
HOSTILE = '<img src="http://example.invalid/x.png">{{ 7*7 }}'


@pytest.fixture(scope="module")
def bulletin():
    data = synthetic.dataset(quarter=2)
    ledger = data.ledgers[2]
    projects = ledger.projects.copy()
    projects.loc[0, "name"] = HOSTILE  # a key project typed by a careless or hostile hand
    data = dataclasses.replace(
        data, ledgers={**data.ledgers, 2: dataclasses.replace(ledger, projects=projects)}
    )
    return compose_city_bulletin(compute(data), OFFICE, ISSUE)


def test_doc_number_follows_gbt9704() -> None:
    assert ISSUE.doc_number("邵承办发") == "邵承办发〔2020〕21号"
    assert Issuance(dt.date(2021, 1, 12), 1).doc_number("邵承办发", 2) == "邵承办发〔2021〕3号"


def test_headings_are_numbered_in_order(bulletin) -> None:
    level1 = [b.number for b in bulletin.body if isinstance(b, Heading) and b.level == 1]
    assert level1 == ["一、", "二、", "三、", "四、", "五、", "六、"]


def test_tables_and_figures_are_numbered_consecutively(bulletin) -> None:
    tables = [b.number for b in bulletin.body if isinstance(b, Table)]
    figures = [b.number for b in bulletin.body if isinstance(b, Figure)]
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 4
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 2
    attachment_tables = [b.number for b in bulletin.attachments[0].blocks if isinstance(b, Table)]
    assert attachment_tables == [len(tables) + 1, len(tables) + 2]


def test_untrusted_names_stay_literal_text(bulletin) -> None:
    key_table = next(b for b in bulletin.body if isinstance(b, Table) and b.caption == "重点项目推进情况")
    names = [row[1].text for row in key_table.body]
    assert HOSTILE in names  # not evaluated ({{ 7*7 }} is not 49), not escaped twice
    assert "49" not in names


def test_sentences_follow_the_data(bulletin) -> None:
    text = "\n".join(plain_paragraphs(bulletin))
    assert "截至6月底" in text
    assert "超序时进度5.0个百分点" in text  # synthetic city total: 55% against 50%
    assert "确保第三季度末全面赶上序时进度" in text  # not the Q4 wording
    assert "已开工1个" in text and "已投产0个" not in text  # empty stages are left out, not "0个"


def test_a_broken_template_names_itself(tmp_path) -> None:
    (tmp_path / "bad.xml.j2").write_text("<document><p>unclosed</document>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.xml\.j2"):
        render_wording("bad.xml.j2", {}, wording_environment(tmp_path))


def test_templates_cannot_reach_python_internals(tmp_path) -> None:
    from jinja2.exceptions import SecurityError

    (tmp_path / "evil.xml.j2").write_text(
        "<document><p>{{ ''.__class__.__mro__ }}</p></document>", encoding="utf-8"
    )
    with pytest.raises(SecurityError):
        render_wording("evil.xml.j2", {}, wording_environment(tmp_path))


def test_an_unknown_table_in_the_wording_is_named() -> None:
    from zsreport.compose.documents import _BlockBuilder

    builder = _BlockBuilder(compute(synthetic.dataset(quarter=2)), None)
    with pytest.raises(ValueError, match="no_such_table"):
        builder.block(ET.fromstring('<table ref="no_such_table" caption="x"/>'))

"""The task table's bytes (word/docx_rows): what lxml itself writes for the table docxtpl would get,
whichever way a chunk is written (as a whole or line by line), for any text a cell can hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kehoach_gen.word import docx_rows
from kehoach_gen.word.docx_table import ALIGNMENTS, task_table_writer, task_table_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
KEYS = ["stt", "content", "results", "assignment", "deadline"]
TEXT = st.one_of(st.sampled_from(["", " lề trái", "lề phải ", "a & b < c > d", "\"x\" 'y'", "{{ x }} {_{ y }_}",
                                  "tab\there", "dòng\nmới", "về\rđầu", "100%", "%s %d", "\u00a0nbsp", "_gạch_"]),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                         | st.sampled_from("\t\n\r &<>"), max_size=60),
                 st.text("ạ Ư,.;-", min_size=1, max_size=300).map(lambda t: "x" + t + "y"))
LINES = st.lists(TEXT, max_size=4)
COLUMNS = st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True).flatmap(
    lambda keys: st.tuples(*(st.fixed_dictionaries({"key": st.just(k), "header": st.just(f"Cột {k}"),
                                                    "width_mm": st.sampled_from([8, 12.0, 45.0, 33.3]),
                                                    "align": st.sampled_from(ALIGNMENTS)}) for k in keys)))
TASK = st.fixed_dictionaries({"kind": st.just("task"), "shared": st.dictionaries(st.sampled_from(KEYS), LINES, max_size=3),
                              "parts": st.lists(st.dictionaries(st.sampled_from(KEYS), LINES, max_size=5), max_size=3)},
                             optional={"align": st.dictionaries(st.sampled_from(KEYS), st.sampled_from(ALIGNMENTS)),
                                       "heading": TEXT})
GROUP = st.fixed_dictionaries({"kind": st.just("group"), "number": TEXT, "title": TEXT, "points": LINES})


def lxml_bytes(protected: str) -> bytes:
    """The table as lxml serializes it after parsing the text docxtpl would get."""
    start, end = f'<w:body xmlns:w="{W}">', "</w:body>"
    written = etree.tostring(etree.fromstring(start + protected + end), encoding="UTF-8")
    return written[len(start):-len(end)]


@settings(max_examples=150, deadline=None)
@given(columns=COLUMNS, rows=st.lists(st.one_of(TASK, GROUP), max_size=8), appendix=st.booleans(),
       split_above=st.sampled_from([None, 0, 500, 1500, 4600]))
def test_the_table_is_what_lxml_writes(columns, rows, appendix, split_above):
    table = {"columns": list(columns), "rows": rows}
    writer = task_table_writer(table, 9354, appendix, split_above)
    written = b"".join(writer.chunks())
    assert written == lxml_bytes(task_table_xml(table, 9354, appendix, split_above))
    assert writer.least() <= len(written)


def test_a_chunk_with_a_spaced_line_is_written_line_by_line_and_the_others_as_a_whole(monkeypatch):
    columns = [{"key": k, "header": k, "width_mm": 20, "align": "justify"} for k in KEYS]
    rows = [{"kind": "task", "shared": {"stt": [str(i)]}, "parts": [{"content": [f"Việc {i} & <{i}>"] * (i % 3)}]}
            for i in range(3 * docx_rows.CHUNK)]
    rows[docx_rows.CHUNK + 5]["parts"][0]["results"] = [" lề trái"]
    table = {"columns": columns, "rows": rows}
    direct = []
    real = docx_rows.TableWriter._direct
    monkeypatch.setattr(docx_rows.TableWriter, "_direct", lambda self, chunk: direct.append(chunk) or real(self, chunk))
    written = b"".join(task_table_writer(table, 9354, split_above=700).chunks())
    assert [chunk[0]["shared"]["stt"] for chunk in direct] == [[str(docx_rows.CHUNK)]]
    assert written == lxml_bytes(task_table_xml(table, 9354, split_above=700))
    assert written.count(b'<w:t xml:space="preserve"> l') == 1

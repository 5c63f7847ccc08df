"""The fast paragraph breaks lines exactly where ReportLab's own CJK wrapping does."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus.paragraph import Paragraph as ReportLabParagraph

from reports.markup import escape, para
from reports.paragraphs import Paragraph, plain_paragraph
from reports.samples import real_text
from reports.styles import styles

PIECES = list("先锋工程支部党员学习，。、；：！？“”（）《》") + list("abcXYZ 019-")
PIECES += ["\n", "\r\n", "  ", "\t", "&", "<b>", "&amp;", "\u3000", "\xa0", "\u2028", "𠮷"]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
widths = st.sampled_from([30.0, 97.5, 200.0, 455.3])
style_names = st.sampled_from(["body", "cell", "h2", "small"])


def lines(paragraph: Any) -> list[tuple[str, float]]:
    """Each line's text and its unused width, however the paragraph stores them."""
    out = []
    for line in paragraph.blPara.lines:
        if isinstance(line, (list, tuple)):
            out.append(("".join(line[1]), round(line[0], 6)))
        else:
            out.append(("".join(w.text for w in line.words), round(line.extraSpace, 6)))
    return out


def fragments(paragraph: Any) -> list[tuple[str, bool]]:
    """Each fragment's text and whether it is a line break."""
    return [(frag.text, hasattr(frag, "lineBreak")) for frag in paragraph.frags]


@settings(max_examples=400, deadline=None)
@given(text=texts, width=widths, name=style_names)
def test_lines_break_where_reportlab_breaks_them(text: str, width: float, name: str) -> None:
    style = getattr(styles(), name)
    ours, theirs = para(text, style), ReportLabParagraph(escape(text), style)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    assert lines(ours) == lines(theirs)


@settings(max_examples=400, deadline=None)
@given(text=texts, name=style_names)
def test_fragments_are_what_the_markup_parser_makes(text: str, name: str) -> None:
    style = getattr(styles(), name)
    built = plain_paragraph(text, style, escape(text))
    if built is None:  # characters the parser treats specially: it is parsed instead
        assert any(c in text for c in "\xa0\u2028𠮷")
        return
    parsed = ReportLabParagraph(escape(text), style)
    assert fragments(built) == fragments(parsed)
    assert {k for f in built.frags for k in vars(f)} <= {k for f in parsed.frags for k in vars(f)}


def test_real_prose_wraps_and_splits_across_pages_as_reportlab_does() -> None:
    import random

    text = real_text(random.Random(7), 3000)
    ours, theirs = para(text, styles().body), ReportLabParagraph(escape(text), styles().body)
    ours.wrap(455.3, 300)
    theirs.wrap(455.3, 300)
    assert lines(ours) == lines(theirs) and len(lines(ours)) > 20
    ours_parts, theirs_parts = ours.split(455.3, 300), theirs.split(455.3, 300)
    assert len(ours_parts) == len(theirs_parts) == 2
    for mine, stock in zip(ours_parts, theirs_parts, strict=True):
        assert mine.wrap(455.3, 2000) == stock.wrap(455.3, 2000)
        assert lines(mine) == lines(stock)


def test_a_second_wrap_at_the_same_width_reuses_the_lines() -> None:
    paragraph = para("先锋工程" * 50, styles().body)
    paragraph.wrap(200, 1000)
    first = paragraph.blPara
    paragraph.wrap(200, 1000)
    assert paragraph.blPara is first
    paragraph.wrap(100, 1000)
    assert paragraph.blPara is not first
    assert isinstance(paragraph, Paragraph)


def test_latin_words_inside_chinese_break_where_reportlab_breaks_them() -> None:
    """Latin runs that overflow go back to a space or a CJK character (ReportLab's rule)."""
    import random

    rng = random.Random(1)
    alphabet = list("先锋工程支部，。、（）") + list("abcDEF 12&<") + ["\n", " "]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        width = rng.choice([40.0, 100.5, 200.0])
        ours, theirs = para(text, styles().cell), ReportLabParagraph(escape(text), styles().cell)
        assert ours.wrap(width, 1000) == theirs.wrap(width, 1000), text
        assert lines(ours) == lines(theirs), text

"""Text typed by users is shown as text (issue 11): the Markdown escape used wherever such
text goes into a string Streamlit renders as Markdown, and the HTML escape for Plotly."""

from __future__ import annotations

import re
import string

import pytest

from src.i18n import MD_BREAK, escape_html, escape_markdown
from src.views import charts

HOSTILE = [
    "![x](http://198.51.100.7/pixel.png)",
    "[click](http://198.51.100.7/)",
    "<img src=http://198.51.100.7/a.png>",
    "<b>bold</b>",
    ":red[x]",
    ":red-background[x] :small[x] :help[x]",
    "$x$ and $$y$$",
    ":material/lock: :material_lock: :smile:",
    "**bold** _it_ ~~gone~~ `code`",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a | b\n--|--\nc | d",
    "http://198.51.100.7/bare www.example.vn WWW.EXAMPLE.VN ai@example.vn",
    "&lt;b&gt; &amp; &#60;",
    "back\\slash\\",
    "<!-- comment -->",
    "line\n\n# two",
]


def unescaped(text: str) -> str:
    """The text a reader sees in an escaped text: backslash escapes read, the empty
    directives that split runs of text (an empty <span>) gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace(MD_BREAK, ""))


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_reads_back_as_the_text_typed(text: str) -> None:
    shown = unescaped(escape_markdown(text))
    assert shown == " ".join(text.splitlines())


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_special_character_is_escaped(text: str) -> None:
    escaped = escape_markdown(text).replace(MD_BREAK, "")
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in string.punctuation, escaped
            i += 2
        else:
            assert escaped[i] not in string.punctuation, escaped
            i += 1
    assert "\n" not in escaped  # no new block: heading, list, quote, table


def test_bare_links_emails_and_emoji_codes_are_split_by_an_empty_directive() -> None:
    """GFM finds bare links and Streamlit emoji codes in a run of text once escapes are
    read: no run may hold one."""
    escaped = escape_markdown(HOSTILE[14] + " :smile: :material/lock:")
    for run in escaped.split(MD_BREAK):
        shown = re.sub(r"\\(.)", r"\1", run)
        assert not re.search(r"https?://|www(?=\.)|@[-\w]|:[\w+-]+:", shown, re.IGNORECASE), run


def test_plain_names_are_unchanged() -> None:
    assert escape_markdown("Chi bộ Văn phòng Tỉnh ủy") == "Chi bộ Văn phòng Tỉnh ủy"
    assert escape_markdown(None) == ""


def test_escaped_html_shows_tags_and_entities_as_typed_in_plotly() -> None:
    assert escape_html("<a href='http://198.51.100.7/'>x</a> & <b>") == (
        "&lt;a href='http://198.51.100.7/'&gt;x&lt;/a&gt; &amp; &lt;b&gt;"
    )


@pytest.mark.parametrize("name", HOSTILE[:5])
def test_chart_labels_made_from_cell_names_hold_no_html(name: str) -> None:
    bars = charts.ranked_bars([name], [50.0], ["met"], 80.0, "vi")
    heat = charts.heatmap([name], ["A4"], [[50.0]], [["met"]], "vi")
    for label in (bars.data[0].y[0], bars.layout.annotations[0].text, heat.data[0].y[0]):
        assert "<" not in label and ">" not in label
        assert label.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == name

"""Reading order of a page's items: two columns whose rows do not always line up."""
from __future__ import annotations

from dataclasses import dataclass

from planscope.extractors.pdf.layout import reading_order

WIDTH = 595


@dataclass
class Item:
    text: str
    bbox: tuple[float, float, float, float]


def _texts(items):
    return [it.text for it in reading_order(items, WIDTH)]


def test_a_label_over_one_column_s_list_does_not_end_the_columns():
    """Both columns carry a heading, a paragraph, "Les actions :" at different heights and a list:
    each column is read to its end before the other (the label rows keep to one side)."""
    items = [Item("title", (69, 98, 344, 116)),
             Item("L heading", (57, 142, 260, 168)), Item("R heading", (310, 142, 534, 168)),
             Item("L para", (57, 182, 273, 219)), Item("R para", (310, 182, 518, 205)),
             Item("R label", (310, 219, 362, 229)), Item("L label", (57, 232, 108, 242)),
             Item("R item 1", (314, 242, 503, 253)), Item("L item 1", (61, 256, 274, 266)),
             Item("R item 2", (314, 259, 502, 269)), Item("L item 2", (61, 272, 239, 283))]
    assert _texts(items) == ["title", "L heading", "L para", "L label", "L item 1", "L item 2",
                             "R heading", "R para", "R label", "R item 1", "R item 2"]


def test_a_one_sided_row_after_the_columns_stop_follows_both_columns():
    items = [Item("L para", (57, 142, 273, 200)), Item("R para", (310, 142, 518, 200)),
             Item("closing heading", (57, 230, 250, 245)), Item("closing text", (57, 250, 250, 290))]
    assert _texts(items) == ["L para", "R para", "closing heading", "closing text"]

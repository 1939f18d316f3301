"""Property and fuzz tests: any blocks give a valid tree; mutated real files never raise."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscope.extractors import extract_bytes
from planscope.extractors.blocks import HEADING, LIST_ITEM, PARAGRAPH, STATUSES, TABLE_CELL, Block, BlockStyle, TableRef
from planscope.models.records import LEVEL_RANK
from planscope.pipeline.normalise.records import clean_title, normalise_records
from planscope.pipeline.structure.levels import Structurer

WORDS = ["Axe", "AXE", "Orientation", "Objectif", "Objectifs opérationnels :", "Action", "Actions préconisées :",
         "Mesure", "Volet", "Indicateur :", "1", "2", "1.1", "1.2.3", "IV", "a)", ":", "-", "–", "Mettre",
         "en", "place", "un", "plan", "Favoriser", "la", "mobilité", "Ville", "de", "Québec", "2021-2025",
         "«", "»", "\n", "Mise", "œuvre", "des", "actions", "17", "orientations", "et"]
text_st = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def blocks_st(draw):
    out = []
    for k in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from([HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL]))
        b = Block(kind=kind, text=draw(text_st))
        if kind == HEADING:
            b.level = draw(st.integers(1, 6))
        elif kind == LIST_ITEM:
            b.list_id = draw(st.integers(1, 4))
            b.ordered = draw(st.booleans())
            b.marker = draw(st.sampled_from(["•", "1.", "2.", "a)", "-"]))
            b.style = BlockStyle(bold=draw(st.booleans()))
        elif kind == TABLE_CELL:
            b.table = TableRef(table_id=draw(st.integers(0, 2)), row=draw(st.integers(0, 5)),
                               col=draw(st.integers(0, 3)), colspan=draw(st.sampled_from([1, 1, 4])),
                               is_header=draw(st.booleans()),
                               header=draw(st.sampled_from([None, "Actions", "Axe/Volet", "Indicateur", "Échéancier"])))
            b.style = BlockStyle(carried=draw(st.booleans()))
        out.append(b)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks_st())
def test_any_blocks_give_a_valid_tree(blocks):
    recs = Structurer(blocks, use_verbs=False).run().records
    by_id = {r.id: r for r in recs}
    assert len(by_id) == len(recs)  # ids unique
    for r in recs:
        assert r.level in LEVEL_RANK and r.title is not None
        if r.parent is not None:
            parent = by_id[r.parent]  # the parent exists
            assert LEVEL_RANK[parent.level] < LEVEL_RANK[r.level]  # broader than the child
        seen, cur = set(), r  # no cycles
        while cur.parent is not None:
            assert cur.id not in seen
            seen.add(cur.id)
            cur = by_id[cur.parent]
    kept = normalise_records(recs)
    kept_ids = {r.id for r in kept}
    assert all(r.parent is None or r.parent in kept_ids for r in kept)


@given(st.text(max_size=200))
def test_clean_title_is_idempotent_and_trimmed(text):
    once = clean_title(text)
    assert clean_title(once) == once
    assert once == once.strip() and not once.endswith((";", ".", ":", ","))


def _mutations(data: bytes, rng: random.Random, n: int):
    for _ in range(n):
        b = bytearray(data)
        op = rng.choice(["flip", "truncate", "splice", "zero"])
        if op == "flip":
            for _ in range(rng.randint(1, 50)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == "truncate":
            del b[rng.randrange(len(b)):]
        elif op == "splice":
            i, j = sorted(rng.sample(range(len(b)), 2))
            b[i:i] = b[j:j + rng.randint(1, 2000)]
        else:
            i = rng.randrange(len(b))
            b[i:i + rng.randint(1, 5000)] = b"\0" * 10
        yield bytes(b)


def test_fuzzed_real_files_give_a_status_never_an_exception(samples):
    rng = random.Random(20261122)
    for name, n in (("bellechasse-planification-2021-2025.pdf", 12), ("becancour-plan-100-jours.html", 12),
                    ("001_a15fe024465434f4.txt", 8)):
        for data in _mutations((samples / name).read_bytes(), rng, n):
            ex = extract_bytes(data, name)
            assert ex.status in STATUSES
            assert ex.status == "ok" or ex.reason
            Structurer(ex.blocks, use_verbs=False).run()

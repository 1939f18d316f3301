"""Is it a plan? A decision with evidence on both sides.

A plan shows its own shape: level labels, a numbered hierarchy whose leaves read as actions,
tables whose columns name levels, counts it announces, owners, deadlines and indicators, a
title that names a plan. Minutes, agendas, by-laws, budgets, news items, magazines and policies
of principle show theirs: the phrases of their genre (data/genres.json) and, for budgets, tables
of figures. Each side is scored; the document is a plan when its plan evidence is clear and
outweighs the strongest genre it shows. The reasons for and against are kept in the output.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from planscope.extractors.blocks import HEADING, TABLE_CELL, Block
from planscope.extractors.hygiene import one_line

from planscope.pipeline.structure.lexicon import fold

HEAD_BLOCKS = 6  # the title and opening blocks: a genre named there is declared, not mentioned
HEAD_WEIGHT = 3
TITLE_BLOCKS = 4  # the lines a document names itself in
TITLE_LINE_CHARS = 80
DECLARED_WEIGHT = 6  # a document that calls itself minutes or a budget is one, whatever it quotes
MIN_PLAN_EVIDENCE = 3  # points of plan evidence a document needs at the least
MIN_RECORDS = 2
NUMERIC_TABLE_SHARE = 0.45  # table cells that are figures: a budget's or a statistic's table
MIN_NUMERIC_CELLS = 20
# ... and those figures a good part of the whole document: a budget's text is mostly its figures,
# a plan's cost table a page among many (measured: non-plans 0.29-0.67 of their blocks, plans with
# such a table 0.06-0.25, one plan of fiches 0.45).
NUMERIC_BLOCK_SHARE = 0.27
ACTION_WORDING_SHARE = 0.5  # actions that read as actions (infinitive or nominalised)
MIN_LANGUAGE_HITS = 60  # function words needed before the language is judged at all
MIN_FRENCH_SHARE = 0.4  # below this share of function words in French, the text is in another language
_WORD_RE = re.compile(r"[^\W\d_]+")
_FIGURE_RE = re.compile(r"^[\s\-–+(]*[\d\s.,'’%€$]+(?:k?€|\$|%|kwh\S*|mwh|m2|m²|ha|km)?[\s)]*$", re.I)


@dataclass
class Evidence:
    points: int
    reason: str


@dataclass
class Decision:
    is_plan: bool
    plan_score: int
    genre_score: int
    genre: str | None
    for_plan: list[Evidence] = field(default_factory=list)
    against: list[Evidence] = field(default_factory=list)

    def reasons(self) -> list[str]:
        verdict = "plan" if self.is_plan else "not a plan"
        return [verdict, f"evidence {self.plan_score} for, {self.genre_score} against"] + [f"+{e.points} {e.reason}" for e in self.for_plan] + \
            [f"-{e.points} {e.reason}" for e in self.against]


@lru_cache(maxsize=1)
def genres() -> dict:
    raw = resources.files("planscope.pipeline").joinpath("data/genres.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    compiled = {}
    for name, g in data["genres"].items():
        compiled[name] = (g["label"], [_phrase_re(m) for m in g["markers"]], g["markers"],
                          [_phrase_re(m) for m in g.get("declares", [])])
    sections = {name: {fold(m).strip() for m in g.get("sections", [])} for name, g in data["genres"].items()}
    return {"genres": compiled, "sections": sections, "plan": [_phrase_re(m) for m in data["plan_markers"]],
            "plan_words": data["plan_markers"], "weak_title": data.get("weak_plan_title_words", []),
            "plan_names": [_phrase_re(m) for m in data.get("plan_names", [])],
            "acts": [_phrase_re(m) for m in data.get("decision_acts", [])]}


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    raw = resources.files("planscope.pipeline").joinpath("data/languages.json").read_text(encoding="utf-8")
    return {k: frozenset(v) for k, v in json.loads(raw).items() if not k.startswith("_")}


def other_language(texts: list[str]) -> str | None:
    """The language the text is written in when it is clearly not French, else None.

    A bilingual document (French beside English) keeps enough French to stay French."""
    words = _function_words()
    hits = dict.fromkeys(words, 0)
    for t in texts:
        for w in _WORD_RE.findall(t.lower()):
            for lang, vocab in words.items():
                if w in vocab:
                    hits[lang] += 1
    total = sum(hits.values())
    if total < MIN_LANGUAGE_HITS or hits["fr"] >= MIN_FRENCH_SHARE * total:
        return None
    return max((lang for lang in hits if lang != "fr"), key=hits.get)


def _phrase_re(phrase: str) -> re.Pattern:
    r"""The phrase (folded, any run of spaces between its words) not inside a longer word.

    The first word is a literal prefix and "no word character before it" is tested just after it
    (``(?<![\w].{n})``, n its length): the same matches as a leading ``(?<![\w])``, but a leading
    assertion keeps the regex engine from scanning for the literal, and every marker is searched
    through the whole document (22x faster on 330 markers)."""
    first, sep, rest = fold(phrase).partition(" ")
    tail = re.escape(sep + rest).replace(r"\ ", r"\s+") if sep else ""
    end = r"(?![\w])"
    # "délibération n" stands for "délibération n°", "n° 12": the word, then a number sign or digit.
    if phrase.endswith(" n"):
        tail, end = tail[:-1] + r"(?:n|no)\s*[°º.]?\s*\d", ""
    if not first:
        return re.compile(rf"(?<![\w]){tail}{end}")
    return re.compile(rf"{re.escape(first)}(?<![\w].{{{len(first)}}}){tail}{end}")


def genre_scores(head: str, body: str) -> dict[str, tuple[int, list[str]]]:
    """Per genre: distinct markers found (those in the head count HEAD_WEIGHT times) and which."""
    out = {}
    for name, (_, pats, words, _decl) in genres()["genres"].items():
        score, hits = 0, []
        for pat, word in zip(pats, words):
            if pat.search(head):
                score += HEAD_WEIGHT
                hits.append(word)
            elif pat.search(body):
                score += 1
                hits.append(word)
        out[name] = (score, hits)
    return out


def numeric_table_share(blocks: list[Block]) -> tuple[float, int]:
    cells = [one_line(b.text) for b in blocks if b.kind == TABLE_CELL and b.text.strip()]
    if not cells:
        return 0.0, 0
    figures = sum(1 for c in cells if _FIGURE_RE.match(c) and any(ch.isdigit() for ch in c))
    return figures / len(cells), len(cells)


def filed_genre(filed_under: list[str]) -> tuple[str, str] | None:
    """(genre, section) when the site files the page under a section of a non-plan genre
    ("Actualités", "Offres d'emploi"): the publisher's own classification of the page."""
    for crumb in filed_under:
        key = fold(crumb).strip()
        for name, names in genres()["sections"].items():
            if key in names:
                return name, crumb
    return None


def decide(blocks: list[Block], s, title: str | None, action_like: dict[str, bool],
           plan_title: bool, period_stated: bool, filed_under: list[str] | None = None) -> Decision:
    """Weigh a reading's plan evidence against the genres the document shows.

    ``s`` is the reading's statistics (labelled, numbered, tables_with_levels, grouped,
    announced); ``action_like`` maps record ids to whether their text opens like an action."""
    records = s.records
    texts = [one_line(b.text) for b in blocks if b.text]
    head = fold(" ".join([title or ""] + texts[:HEAD_BLOCKS]))
    body = fold(" ".join(texts[HEAD_BLOCKS:]))
    pro: list[Evidence] = []
    con: list[Evidence] = []

    if s.labelled >= 2:
        pro.append(Evidence(2 if s.labelled < 3 else 3, f"{s.labelled} items carry a level label (axe, objectif, action...)"))
    if s.numbered >= 3 and s.numbered_actions >= max(2, s.numbered // 3):
        pro.append(Evidence(2, f"{s.numbered} items numbered in a hierarchy, {s.numbered_actions} worded as actions"))
    if s.tables_with_levels >= 2:
        pro.append(Evidence(3, f"{s.tables_with_levels} table rows sit under columns that name a level"))
    if s.grouped >= 3:
        pro.append(Evidence(2, f"{s.grouped} group titles head lists of actions"))
    if s.announced:
        pro.append(Evidence(2, "the document announces " + ", ".join(f"{n} {lv}" for lv, n in s.announced.items())))
    if plan_title:
        pro.append(Evidence(2, f"its title names a plan: {title!r}"))
    if period_stated:
        pro.append(Evidence(1, "it states the period it covers"))
    plan_hits = [w for w, pat in zip(genres()["plan_words"], genres()["plan"]) if pat.search(head) or pat.search(body)]
    if plan_hits:
        pro.append(Evidence(min(len(plan_hits), 3), "it speaks as a plan: " + ", ".join(plan_hits[:4])))
    actions = [r for r in records if r.level == "action"]
    if len(actions) >= 3:
        worded = sum(1 for r in actions if action_like.get(r.id))
        if worded >= ACTION_WORDING_SHARE * len(actions):
            pro.append(Evidence(2, f"{worded} of its {len(actions)} actions are worded as actions"))
    with_attrs = sum(1 for r in records if r.responsible or r.deadline or r.indicators)
    if with_attrs >= 2:
        pro.append(Evidence(2, f"{with_attrs} records carry an owner, a deadline or an indicator"))

    scores = genre_scores(head, body)
    genre, (gscore, ghits) = max(scores.items(), key=lambda kv: kv[1][0])
    if gscore >= 3:
        label = genres()["genres"][genre][0]
        con.append(Evidence(gscore, f"it reads as a {label}: " + ", ".join(ghits[:5])))
    else:
        genre = None
    # The lines the document opens with (not the title chosen later, which may be a section's).
    title_lines = fold(" ".join(one_line(b.text) for b in blocks[:TITLE_BLOCKS]
                                if b.kind == HEADING or len(b.text) <= TITLE_LINE_CHARS))
    # A genre's own name may hold the word "plan" ("plan du site"): it names no plan.
    unnamed = title_lines
    for _, (_, _, _, decl) in genres()["genres"].items():
        for p in decl:
            unnamed = p.sub(" ", unnamed)
    names_plan = any(pat.search(unnamed) for pat in genres()["plan"] + genres()["plan_names"])
    # "Délibération n° 118 – Approbation du plan climat": an act an assembly takes on a plan; the
    # document is the act, whatever plan it names.
    acts_on_plan = unnamed != title_lines and any(p.search(unnamed) for p in genres()["acts"])
    if not names_plan or acts_on_plan:
        for name, (label, _, _, decl) in genres()["genres"].items():
            hit = next((p.pattern for p in decl if p.search(title_lines)), None)
            if hit:
                con.append(Evidence(DECLARED_WEIGHT, f"its title lines name it a {label}"))
                genre = genre or name
                break
    filed = filed_genre(filed_under or [])
    if filed:
        con.append(Evidence(DECLARED_WEIGHT, f"the site files it under {filed[1]!r} ({genres()['genres'][filed[0]][0]})"))
        genre = genre or filed[0]
    share, ncells = numeric_table_share(blocks)
    if ncells >= MIN_NUMERIC_CELLS and share >= NUMERIC_TABLE_SHARE and \
            share * ncells >= NUMERIC_BLOCK_SHARE * max(len(texts), 1):
        con.append(Evidence(4, f"{share:.0%} of its {ncells} table cells are figures"))
    if records and not actions and not s.announced and not period_stated and s.tables_with_levels < 2:
        con.append(Evidence(2, "no record reads as an action and no period is stated"))
    if s.table_rows_unheaded and s.table_rows_unheaded >= 0.5 * max(len(records), 1):
        con.append(Evidence(2, f"{s.table_rows_unheaded} records come from table rows whose columns name no level"))

    foreign = other_language(texts)
    if foreign:
        con.append(Evidence(DECLARED_WEIGHT, f"its text is not in French (mostly {foreign!r})"))

    plan_score = sum(e.points for e in pro)
    against = sum(e.points for e in con)
    is_plan = len(records) >= MIN_RECORDS and plan_score >= MIN_PLAN_EVIDENCE and plan_score > against
    return Decision(is_plan=is_plan, plan_score=plan_score, genre_score=against, genre=genre,
                    for_plan=pro, against=con)

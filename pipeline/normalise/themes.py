"""Themes: a governed, hierarchical codebook (data/themes.json) matched on spaCy lemmas.

Every record gets zero or more theme codes. A pattern is a lowercase lemma phrase; it is
tokenised by the same spaCy pipeline as the titles and turned into a `Matcher` pattern whose
content words match on LEMMA (with their plural and feminine forms, and — as a second
alternative — on the lowercased surface form, for the lemmatiser's misses), whose prepositions
match any of their contracted forms (de/du/des/d’, à/au/aux), and between whose words articles
may sit. Titles are lowercased and run through `nlp().pipe` in batches.

When a subtheme fires, its top theme is stored too (same rule), so "all records about X" is
`theme_code = 'X'` without walking the hierarchy. Each assignment keeps the rule that fired
(`pattern:<pattern>`, the longest match for that code).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Sequence

from planscope.pipeline.structure.nlp import BATCH_SIZE, nlp

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that write, not by `planscope extract`
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

ARTICLES = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "son", "sa", "ses", "leur", "leurs",
            "notre", "nos", "ce", "cet", "cette", "ces"}
PREPOSITIONS = {
    "de": ["de", "du", "des", "d'", "d’"], "d'": ["de", "du", "des", "d'", "d’"], "d’": ["de", "du", "des", "d'", "d’"],
    "du": ["de", "du", "des", "d'", "d’"], "des": ["de", "du", "des", "d'", "d’"],
    "à": ["à", "au", "aux"], "au": ["à", "au", "aux"], "aux": ["à", "au", "aux"],
}
RULE_PREFIX = "pattern:"


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    parent: str | None
    position: int
    patterns: tuple[str, ...] = field(default=())
    exclude: tuple[str, ...] = field(default=())  # patterns that veto an overlapping match of this theme


@dataclass(frozen=True)
class Codebook:
    version: int
    themes: tuple[Theme, ...]

    @property
    def by_code(self) -> dict[str, Theme]:
        return {t.code: t for t in self.themes}

    def top(self, code: str) -> str:
        t = self.by_code[code]
        return t.parent or t.code

    @property
    def top_themes(self) -> list[Theme]:
        return [t for t in self.themes if t.parent is None]


@lru_cache(maxsize=1)
def codebook() -> Codebook:
    data = json.loads(resources.files("planscope.pipeline").joinpath("data/themes.json").read_text(encoding="utf-8"))
    themes: list[Theme] = []
    for top in data["themes"]:
        themes.append(Theme(top["code"], top["label"], None, len(themes), tuple(top.get("patterns", ())),
                            tuple(top.get("exclude", ()))))
        for sub in top.get("children", ()):
            if not sub["code"].startswith(top["code"] + "."):
                raise ValueError(f"subtheme code {sub['code']} must start with {top['code']}.")
            themes.append(Theme(sub["code"], sub["label"], top["code"], len(themes), tuple(sub.get("patterns", ())),
                                tuple(sub.get("exclude", ()))))
    codes = [t.code for t in themes]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate theme codes in themes.json")
    return Codebook(int(data.get("version", 1)), tuple(themes))


def _forms(word: str) -> set[str]:
    """The word, its plural and its feminine forms (the lemma is masculine singular)."""
    out = {word}
    if not word.isalpha() or len(word) < 3:
        return out
    if word.endswith("al"):
        out |= {word + "e", word + "es", word[:-2] + "aux"}
    elif word.endswith(("el", "en", "on")):
        out |= {word + "le" if word.endswith("el") else word + "ne", word + "s"}
        out.add(word + "les" if word.endswith("el") else word + "nes")
    elif word.endswith("if"):
        out |= {word[:-1] + "ve", word[:-1] + "ves", word + "s"}
    elif word.endswith("eux"):
        out |= {word[:-1] + "se", word[:-1] + "ses"}
    elif word.endswith(("eau", "au", "eu")):
        out |= {word + "x", word + "s"}
    elif not word.endswith(("s", "x", "z")):
        out |= {word + "s", word + "e", word + "es"}
        if word.endswith("e"):
            out.discard(word + "e")
            out.discard(word + "es")
    return out


def _pattern_specs(doc) -> list[list[dict]] | None:
    """Two Matcher patterns (on LEMMA and on LOWER) for one codebook pattern (a spaCy Doc)."""
    words = [(t.lower_, t.lemma_.lower()) for t in doc if t.lower_ not in ARTICLES]
    if not words:
        return None
    gap = {"LOWER": {"IN": sorted(ARTICLES)}, "OP": "*"}
    specs = []
    for attr in ("LEMMA", "LOWER"):
        spec: list[dict] = []
        for i, (low, lemma) in enumerate(words):
            if i:
                spec.append(dict(gap))
            if low in PREPOSITIONS:
                spec.append({"LOWER": {"IN": PREPOSITIONS[low]}})
            elif not any(c.isalnum() for c in low):
                spec.append({"LOWER": low})
            else:
                spec.append({attr: {"IN": sorted(_forms(low) | _forms(lemma))}})
        specs.append(spec)
    return specs


@dataclass(frozen=True)
class ThemeMatchers:
    """One spaCy Matcher per codebook pattern, indexed by the token values its first word accepts.

    A single Matcher holding every pattern tries each one at every token (the article gaps make
    that costly: ~4 ms a title); a match must start on its first word, so only the patterns whose
    first word occurs in a title are run on it. The matches are the same.
    """

    matchers: tuple  # spacy.matcher.Matcher, one per pattern key
    first_word: dict  # (attr, value) → indices into matchers

    def __call__(self, doc) -> list[tuple[int, int, int]]:
        candidates: set[int] = set()
        for t in doc:
            candidates.update(self.first_word.get(("LOWER", t.lower_), ()))
            candidates.update(self.first_word.get(("LEMMA", t.lemma_), ()))
        found = [m for k in sorted(candidates) for m in self.matchers[k](doc)]
        return sorted(found, key=lambda m: (m[1], -m[2]))


SPECS_FORMAT = 1  # bump when _pattern_specs changes what it builds


def _specs_of(keys: list[tuple[str, str]]) -> list[list]:
    """The Matcher specs of every codebook pattern. Lemmatising ~700 phrases costs ~0.5 s per
    process, so the specs are kept on disk, keyed by the codebook, spaCy, the model and this code's
    format; a missing or unreadable file only means computing them again."""
    import hashlib

    import spacy

    from planscope.pipeline.structure import regex_cache

    raw = resources.files("planscope.pipeline").joinpath("data/themes.json").read_bytes()
    model = nlp()
    stamp = f"{spacy.__version__}|{model.meta.get('name')}|{model.meta.get('version')}|{SPECS_FORMAT}"
    digest = hashlib.sha256(raw + stamp.encode()).hexdigest()[:16]
    path = regex_cache.cache_dir() / f"theme-specs-{digest}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if len(cached) == len(keys):
            return cached
    except (OSError, ValueError):
        pass
    docs = model.pipe([p.lower().replace("'", "’") for _, p in keys], batch_size=BATCH_SIZE)
    specs = [_pattern_specs(doc) for doc in docs]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(specs, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a parallel worker reads the whole file or none
    except OSError:
        pass
    return specs


@lru_cache(maxsize=1)
def matcher() -> ThemeMatchers:
    from spacy.matcher import Matcher

    keys = [(f"{t.code}|{p}", p) for t in codebook().themes for p in t.patterns]
    keys += [(f"!{t.code}|{p}", p) for t in codebook().themes for p in t.exclude]
    matchers, first_word = [], {}
    for key, specs in zip((k for k, _ in keys), _specs_of(keys)):
        if not specs:
            continue
        m = Matcher(nlp().vocab)
        m.add(key, specs)
        for spec in specs:
            (attr, value), = spec[0].items()
            for v in value["IN"] if isinstance(value, dict) else [value]:
                first_word.setdefault((attr, v), []).append(len(matchers))
        matchers.append(m)
    return ThemeMatchers(tuple(matchers), first_word)


def assign(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """For each text, its (theme code, rule) pairs, top themes included, in codebook order."""
    book = codebook()
    by_code = book.by_code
    m = matcher()
    strings = nlp().vocab.strings
    out: list[list[tuple[str, str]]] = []
    lowered = [(t or "").lower().replace("'", "’") for t in texts]
    for doc in nlp().pipe(lowered, batch_size=BATCH_SIZE):
        best: dict[str, tuple[int, str]] = {}
        found = [(*strings[match_id].split("|", 1), start, end) for match_id, start, end in m(doc)]
        vetoes = [(code[1:], start, end) for code, _, start, end in found if code.startswith("!")]
        for code, pattern, start, end in found:
            if code.startswith("!") or any(v in (code, by_code[code].parent) and s < end and start < e
                                           for v, s, e in vetoes):
                continue
            for c in (code, by_code[code].parent):
                if c and (c not in best or end - start > best[c][0]):
                    best[c] = (end - start, RULE_PREFIX + pattern)
        out.append(sorted(((c, rule) for c, (_, rule) in best.items()), key=lambda cr: by_code[cr[0]].position))
    return out


def tag_themes(records) -> None:
    """Set each record's ``themes`` (code, rule) from its title, one spaCy pass over the plan."""
    for r, hits in zip(records, assign([r.title for r in records])):
        r.themes = list(hits)


# -- storage -----------------------------------------------------------------
def ensure_codebook(conn: Connection | Session) -> None:
    """Insert missing theme rows and refresh labels/parents of changed ones (retired codes stay)."""
    from sqlalchemy import insert, select, update

    from planscope.models.schema import ThemeRow

    have = {row.code: row for row in conn.execute(select(ThemeRow.code, ThemeRow.label, ThemeRow.parent,
                                                         ThemeRow.position))}
    new, changed = [], []
    for t in codebook().themes:
        row = {"code": t.code, "label": t.label, "parent": t.parent, "position": t.position}
        if t.code not in have:
            new.append(row)
        elif (have[t.code].label, have[t.code].parent, have[t.code].position) != (t.label, t.parent, t.position):
            changed.append(row)
    # parents before children: codebook order already puts the top theme first
    if new:
        conn.execute(insert(ThemeRow), new)
    for row in changed:
        conn.execute(update(ThemeRow).where(ThemeRow.code == row["code"])
                     .values(label=row["label"], parent=row["parent"], position=row["position"]))


def store_record_themes(session: Session | Connection, records: Iterable[tuple[int, str]]) -> int:
    """Tag (record id, title) pairs and bulk-insert their record_theme rows; returns the row count."""
    records = list(records)
    return store_themes(session, [(rid, hits) for (rid, _), hits in zip(records, assign([t for _, t in records]))])


def store_themes(session: Session | Connection, tagged: Iterable[tuple[int, list[tuple[str, str]]]]) -> int:
    """Bulk-insert record_theme rows for (record id, [(theme code, rule)]) pairs already tagged."""
    from sqlalchemy import insert

    from planscope.models.schema import RecordThemeRow

    rows = [{"record_id": rid, "theme_code": code, "rule": rule} for rid, hits in tagged for code, rule in hits]
    if not rows:
        return 0
    ensure_codebook(session)
    session.execute(insert(RecordThemeRow), rows)
    return len(rows)


def tag_records(engine: Engine, retag: bool = False, chunk: int = 5000) -> dict:
    """Tag the records that have no theme row yet (all of them with retag=True)."""
    from sqlalchemy import delete, exists, select
    from sqlalchemy.orm import Session

    from planscope.models.schema import RecordRow, RecordThemeRow

    tagged = rows = 0
    with Session(engine) as s, s.begin():
        if retag:
            s.execute(delete(RecordThemeRow))
        ensure_codebook(s)
        q = select(RecordRow.id, RecordRow.title).order_by(RecordRow.id)
        if not retag:
            q = q.where(~exists().where(RecordThemeRow.record_id == RecordRow.id))
        todo = s.execute(q).all()
        for i in range(0, len(todo), chunk):
            part = [(r.id, r.title) for r in todo[i:i + chunk]]
            rows += store_record_themes(s, part)
            tagged += len(part)
    return {"records_examined": tagged, "theme_rows": rows, "codebook_version": codebook().version}

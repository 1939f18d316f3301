"""Word spacing from glyph geometry: words run together without a space glyph are cut, and a
letter-spaced or small-caps segment gets its word boundaries rebuilt from its glyph gaps.

Words are pdfplumber-style dicts (text, x0, x1, top, bottom, size, ...); both engines use these rules.
"""
from __future__ import annotations

from planscope.extractors.pdf.settings import SETTINGS as S


def wide_gap_cuts(chars: list[dict]) -> tuple[list[int], float]:
    """(indices k where a word's glyphs split into two words, the word's letter gap in em).

    The letter gap is the word's lower median glyph gap (0 in plain text, more in tracked,
    justified or letter-spaced text); the word splits where a gap exceeds it by more than
    ``word_gap_em``: words set without space glyphs and tightly kerned come out run together under
    pdfplumber's 3-point ``x_tolerance`` ("Dynamiseretdiversifier"). Only measured (else 0.0) when
    some gap is wider than ``word_gap_em``, which is all the pdfium path can see cheaply."""
    if len(chars) < 2:
        return [], 0.0
    gaps = [chars[k]["x0"] - chars[k - 1]["x1"] for k in range(1, len(chars))]
    size = max(chars[0].get("size") or 0, 1)
    if max(gaps) <= S.word_gap_em * size:
        return [], 0.0
    letter = sorted(max(0.0, g) for g in gaps)[(len(gaps) - 1) // 2]
    return [k for k, g in enumerate(gaps, 1) if g > letter + S.word_gap_em * size], letter / size


def split_word(w: dict, chars: list[dict], cuts: list[int]) -> list[dict]:
    """Word w cut before the given glyph indices; each part keeps w's attributes."""
    out = []
    for lo, hi in zip([0] + cuts, cuts + [len(chars)]):
        part = chars[lo:hi]
        nw = dict(w)
        nw.update(text="".join(c["text"] for c in part), x0=min(c["x0"] for c in part),
                  x1=max(c["x1"] for c in part), top=min(c["top"] for c in part),
                  bottom=max(c["bottom"] for c in part))
        if "chars" in w:
            nw["chars"] = part
        if "doctop" in w:
            nw["doctop"] = w["doctop"] - w["top"] + nw["top"]
        out.append(nw)
    return out


def split_wide_gaps(words: list[dict]) -> list[dict]:
    """Words that carry their glyphs (``chars``) split where ``wide_gap_cuts`` says; a word whose
    letters stand apart keeps its letter gap as ``_letter``."""
    out = []
    for w in words:
        cuts, letter = wide_gap_cuts(w["chars"])
        if letter:
            w["_letter"] = letter
        if cuts:
            out.extend(split_word(w, w["chars"], cuts))
        else:
            out.append(w)
    return out


def _short_fragments(seg: list[dict]) -> bool:
    """Many 1-3 character fragments: spaced-out letters cut into pieces by the word builder."""
    n = len(seg)
    if n < S.letter_spaced_min_words:
        return False
    short = sum(len(w["text"]) <= S.letter_spaced_fragment for w in seg)
    if short >= S.letter_spaced_all_short * n:
        return True
    if short >= S.letter_spaced_short * n:
        for a, b in zip(seg, seg[1:]):
            if len(a["text"]) == len(b["text"]) == 1 and a["text"].isalnum() and b["text"].isalnum() and \
                    b["x0"] - a["x1"] < S.letter_spaced_near_em * max(a["size"], b["size"]):
                return True
    return False


def _small_caps(seg: list[dict], space_between) -> bool:
    """A one-letter initial glued to smaller capitals (or capitals to a smaller one) without a space glyph."""
    for a, b in zip(seg, seg[1:]):
        if len(a["text"]) != 1 and len(b["text"]) != 1:
            continue
        big, small = max(a["size"], b["size"]), min(a["size"], b["size"])
        if big < S.small_caps_ratio * small or b["x0"] - a["x1"] >= S.letter_spaced_near_em * big:
            continue
        if not (a["text"] + b["text"]).replace("'", "").replace("’", "").isupper():
            continue
        if space_between is None or not space_between(a, b):
            return True
    return False


def looks_letter_spaced(seg: list[dict], space_between) -> bool:
    """Cheap test on a segment's words: a word whose letters were measured apart (``_letter``),
    many short fragments, or small caps."""
    if any(w.get("_letter", 0) >= S.word_gap_em for w in seg):
        return True  # a word whose own letters stand a word space apart
    return _short_fragments(seg) or _small_caps(seg, space_between)


def respace(seg: list[dict], glyphs_of, space_between) -> list[dict]:
    """Word boundaries of a letter-spaced segment rebuilt from its glyph gaps.

    The letter gap is the median gap between neighbouring glyphs; a word boundary is a space glyph
    or a gap clearly wider than the letter gap (``letter_spaced_word`` times it, and at least
    ``word_gap_em`` more). The segment comes back as pieces (one per word part of one original word,
    so fonts and sizes keep their weight); ``_glue`` says whether a piece continues the previous
    piece's word.
    """
    glyphs: list[tuple[int, dict]] = []
    for t, w in enumerate(seg):
        for g in glyphs_of(w) or []:
            if g.get("text", " ").strip():
                glyphs.append((t, g))
    if len(glyphs) < 2:
        return seg
    gaps: list[float] = []
    spaced: list[bool] = []
    for (ta, a), (tb, b) in zip(glyphs, glyphs[1:]):
        em = max(a.get("size", 1), b.get("size", 1), 1)
        gaps.append((b["x0"] - a["x1"]) / em)
        spaced.append(ta != tb and bool(space_between and space_between(seg[ta], seg[tb])))
    inner = sorted(max(0.0, g) for g, sp in zip(gaps, spaced) if not sp)
    letter = inner[(len(inner) - 1) // 2] if inner else 0.0
    word_gap = max(S.letter_spaced_word * letter, letter + S.word_gap_em)
    pieces: list[dict] = []
    cur: list[dict] = [glyphs[0][1]]
    cur_t, glue = glyphs[0][0], None
    for k in range(1, len(glyphs)):
        t, g = glyphs[k]
        boundary = spaced[k - 1] or gaps[k - 1] >= word_gap or (t != cur_t and gaps[k - 1] < S.overlap_break_em)
        if boundary or t != cur_t:
            pieces.append(_piece(seg[cur_t], cur, glue))
            cur, cur_t, glue = [g], t, not boundary
        else:
            cur.append(g)
    pieces.append(_piece(seg[cur_t], cur, glue))
    return pieces


def _piece(w: dict, glyphs: list[dict], glue: bool | None) -> dict:
    """A word made of some of w's glyphs, with w's attributes."""
    p = {k: v for k, v in w.items() if k not in ("chars", "_span")}
    p.update(text="".join(g["text"] for g in glyphs), x0=min(g["x0"] for g in glyphs),
             x1=max(g["x1"] for g in glyphs))
    if glue is not None:
        p["_glue"] = glue
    return p

"""TF-IDF of short French titles, as scikit-learn would compute it, without its start-up cost."""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from planscope.pipeline.structure.lexicon import fold

FRENCH_STOP = sorted(set("""a au aux avec ce ces cette dans de des du elle en et leur leurs la le les l d un une
ou par pas pour qui que sa se ses son sur sous afin ainsi entre être mettre place assurer favoriser poursuivre
développer améliorer réaliser mise œuvre oeuvre plus tout tous toute toutes notre nos vers auprès""".split()))
STOP_FOLDED = frozenset(fold(w) for w in FRENCH_STOP)


TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tfidf(docs: list[str]):
    """L2-normalised TF-IDF rows (scipy CSR) of word 1-2 grams: lowercased, accents stripped, stop
    words dropped before pairing, tf = 1 + ln(count), idf = ln((1 + n) / (1 + df)) + 1 — what
    scikit-learn's TfidfVectorizer(strip_accents="unicode", ngram_range=(1, 2), sublinear_tf=True)
    computes, without importing scikit-learn (seconds of start-up for one command). None when
    no document has a word left."""
    import numpy as np
    from scipy.sparse import csr_matrix

    stop = STOP_FOLDED
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        words = [w for w in TOKEN.findall(_strip_accents(doc.lower())) if w not in stop]
        for gram, n in Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])]).items():
            rows.append(i)
            cols.append(vocab.setdefault(gram, len(vocab)))
            vals.append(1.0 + math.log(n))
    if not vocab:
        return None
    idf = np.log((1 + len(docs)) / (1 + np.bincount(cols, minlength=len(vocab)))) + 1.0
    vals = np.asarray(vals) * idf[cols]
    m = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(m.multiply(1.0 / norms[:, None]))

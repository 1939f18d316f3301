"""The verb list (data/verbs.json) against spaCy's tagger on every item opening the structurer asks
about, over folders of documents (needs the `lexicon` or `dev` extra).

    .venv/bin/python bench/compare_verbs.py ../shared/corpus/dev/docs ../shared/corpus/real/docs tests/fixtures

Every text passed to ``starts_with_infinitive`` while the documents are processed in-process is
kept; each is then judged by the list and by ``fr_core_news_sm`` (the first token's
VerbForm=Inf, after a reflexive pronoun, with the small model's capital-letter workaround that
planscope used). Prints the count, the disagreements, and each side's calls.
"""
from __future__ import annotations

import sys
from pathlib import Path

SUFFIXES = {".pdf", ".html", ".htm", ".txt", ".md", ".docx", ".odt", ".xlsx", ".ods", ".csv"}
REFLEXIVE = ("s'", "s’", "se")


def openings(folders: list[str]) -> list[str]:
    from planscope.pipeline.process import process_file
    from planscope.pipeline.structure import verbs

    seen: dict[str, None] = {}
    original = verbs.starts_with_infinitive

    def logged(texts: list[str]) -> list[bool]:
        seen.update(dict.fromkeys(texts))
        return original(texts)

    verbs.starts_with_infinitive = logged
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES and "gold" not in path.parts \
                    and path.name != "README.md":
                try:
                    process_file(path)
                except Exception as exc:  # noqa: BLE001 - a bench goes on
                    print(f"{path}: {type(exc).__name__}", file=sys.stderr)
    verbs.starts_with_infinitive = original
    return list(seen)


def tagger_says(texts: list[str]) -> list[bool]:
    import spacy

    nlp = spacy.load("fr_core_news_sm", exclude=["parser", "ner"])
    heads = [" ".join(t.split()[:4]) for t in texts]
    heads = [h[:1].lower() + h[1:] if h[1:2].islower() else h for h in heads]
    out = []
    for doc in nlp.pipe(heads, batch_size=256):
        tok = next((t for t in doc if not t.is_punct), None)
        if tok is not None and tok.lower_ in REFLEXIVE and len(doc) > tok.i + 1:
            tok = doc[tok.i + 1]
        out.append(tok is not None and "Inf" in tok.morph.get("VerbForm"))
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    from planscope.pipeline.structure.verbs import opens_with_infinitive

    texts = openings(argv)
    tagger = tagger_says(texts)
    listed = [opens_with_infinitive(t) for t in texts]
    only_list = [t for t, a, b in zip(texts, listed, tagger) if a and not b]
    only_tagger = [t for t, a, b in zip(texts, listed, tagger) if b and not a]
    print(f"{len(texts)} item openings; list and tagger disagree on {len(only_list) + len(only_tagger)}")
    print(f"\ninfinitive for the list only ({len(only_list)}):")
    for t in only_list:
        print("  ", t[:90])
    print(f"\ninfinitive for the tagger only ({len(only_tagger)}):")
    for t in only_tagger:
        print("  ", t[:90])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

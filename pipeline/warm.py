"""Imported once by the forkserver so that every isolated child starts with the parsers loaded."""
import extractors.html  # noqa: F401
import extractors.pdf  # noqa: F401
import extractors.text  # noqa: F401
import pipeline.plan  # noqa: F401
from pipeline.lexicon import lexicon

lexicon()
from pipeline.nlp import nlp

nlp()

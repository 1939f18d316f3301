"""Imported once by the forkserver so that every isolated child starts with the parsers loaded."""
import planscope.extractors.html  # noqa: F401
import planscope.extractors.pdf  # noqa: F401
import planscope.extractors.text  # noqa: F401
import planscope.pipeline.structure.plan  # noqa: F401
from planscope.pipeline.structure.lexicon import lexicon

lexicon()
from planscope.pipeline.structure.nlp import nlp

nlp()

"""Imported once by the forkserver (and by each Dask worker) so that every isolated child starts
with the parsers, the lexicon, spaCy and the theme matcher loaded: a child forks in milliseconds
instead of paying seconds of loading per document."""
import planscope.extractors.html  # noqa: F401
import planscope.extractors.pdf  # noqa: F401
import planscope.extractors.text  # noqa: F401
import planscope.pipeline.process  # noqa: F401
from planscope.pipeline.normalise.themes import matcher
from planscope.pipeline.structure.lexicon import lexicon
from planscope.pipeline.structure.nlp import nlp

lexicon()
nlp()
matcher()

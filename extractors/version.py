"""One version for every extractor: bump it when blocks change for the same bytes."""
EXTRACTOR_VERSION = "0.3.0"

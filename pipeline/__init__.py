"""The stages, in the data's order: fetch → structure → normalise → load → report.

A stage imports the stages before it, never one after it, nor the flows or the CLI
(tests/test_architecture.py checks this)."""

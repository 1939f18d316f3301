"""planscope: blocks → plan records → normalised, comparative database."""
__version__ = "0.2.0"

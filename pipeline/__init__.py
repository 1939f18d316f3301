"""planscope: blocks → plan records → normalised, comparative database."""
__version__ = "0.1.0"

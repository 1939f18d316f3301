"""The record types (plan records) and the SQLAlchemy schema."""

"""rules fingerprint per document, current document and plan per source, several plans per document

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-15

- document.rules_fingerprint: the rules that produced the document's records
  (planscope.pipeline.load.fingerprint); NULL for documents loaded before, so the next run re-extracts them.
- document.is_current / plan.is_current: what the source serves now. Backfilled with the newest
  document (highest id) and the newest plan version of each source.
- plan.document_id is no longer unique: re-extracting the same bytes under new rules adds a
  plan version when the records change. A plain index replaces the constraint.

SQLite cannot drop a constraint in place: the plan table is rebuilt (batch mode), with the views
dropped and created again around it, and foreign keys off (planscope.pipeline.load.db.migrate) so that the
rebuild does not cascade into record.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

UQ_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _views():
    import importlib

    return importlib.import_module("planscope.models.migrations.versions.0002_themes_and_views")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    views = _views()
    views.drop_views(dialect)
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules_fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), nullable=False, server_default=sa.false()))
    if dialect == "sqlite":
        with op.batch_alter_table('plan', schema=None, naming_convention=UQ_NAMING, recreate="always") as batch_op:
            batch_op.drop_constraint('uq_plan_document_id', type_='unique')
            batch_op.add_column(sa.Column('is_current', sa.Boolean(), nullable=False, server_default=sa.false()))
            batch_op.create_index('ix_plan_document_id', ['document_id'], unique=False)
    else:
        op.drop_constraint('plan_document_id_key', 'plan', type_='unique')
        op.add_column('plan', sa.Column('is_current', sa.Boolean(), nullable=False, server_default=sa.false()))
        op.create_index('ix_plan_document_id', 'plan', ['document_id'], unique=False)
    op.execute("UPDATE document SET is_current = (id = (SELECT max(d.id) FROM document d "
               "WHERE d.source_id = document.source_id))")
    op.execute("UPDATE plan SET is_current = (version = (SELECT max(p.version) FROM plan p "
               "WHERE p.source_id = plan.source_id))")
    views.create_views(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    views = _views()
    views.drop_views(dialect)
    if dialect == "sqlite":
        with op.batch_alter_table('plan', schema=None, recreate="always") as batch_op:
            batch_op.drop_index('ix_plan_document_id')
            batch_op.drop_column('is_current')
            batch_op.create_unique_constraint('uq_plan_document_id', ['document_id'])
    else:
        op.drop_index('ix_plan_document_id', 'plan')
        op.drop_column('plan', 'is_current')
        op.create_unique_constraint('plan_document_id_key', 'plan', ['document_id'])
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('is_current')
        batch_op.drop_column('rules_fingerprint')
    views.create_views(dialect)

"""themes (codebook + record assignments), analyst views, French full-text search (PostgreSQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Views are plain SQL that SQLite and PostgreSQL both read; the one difference is the name of
the string aggregate (SQLite < 3.44 has group_concat, PostgreSQL string_agg).

Note for later migrations: SQLite's batch mode rebuilds a table by renaming a copy, which fails
while a view names the table. A migration that batch-alters record, plan, organization,
indicator, theme or record_theme on SQLite should call drop_views() first and create_views()
after (both take the dialect name and are importable from this module).
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

VIEWS = ("v_theme_coverage", "v_action")


def _agg(dialect: str) -> str:
    return "string_agg" if dialect == "postgresql" else "group_concat"


def view_sql(dialect: str) -> dict[str, str]:
    agg = _agg(dialect)
    themes = lambda top: (  # noqa: E731 - the themes of record r, in codebook order
        f"(SELECT {agg}(x.code, '; ') FROM (SELECT t.code FROM record_theme rt JOIN theme t ON t.code = rt.theme_code"
        f" WHERE rt.record_id = r.id AND t.parent IS {'NULL' if top else 'NOT NULL'} ORDER BY t.position) x)")
    return {
        "v_action": f"""
CREATE VIEW v_action AS
SELECT r.id AS action_id,
       o.id AS organization_id, o.name AS organization, o.org_type AS org_type, o.region AS region,
       p.id AS plan_id, p.title AS plan_title, p.period_start AS period_start, p.period_end AS period_end,
       p.version AS plan_version,
       CASE WHEN p1.level = 'axis' THEN p1.title WHEN p2.level = 'axis' THEN p2.title END AS axis,
       CASE WHEN p1.level = 'orientation' THEN p1.title END AS orientation,
       r."group" AS group_name, r.number AS number, r.title AS title,
       r.responsible AS responsible, r.deadline AS deadline, r.status AS status,
       {themes(True)} AS themes,
       {themes(False)} AS subthemes,
       (SELECT count(*) FROM indicator i WHERE i.record_id = r.id) AS indicators
FROM record r
JOIN plan p ON p.id = r.plan_id
LEFT JOIN organization o ON o.id = p.organization_id
LEFT JOIN record p1 ON p1.id = r.parent_id
LEFT JOIN record p2 ON p2.id = p1.parent_id
WHERE r.level = 'action'
""",
        "v_theme_coverage": """
CREATE VIEW v_theme_coverage AS
SELECT p.id AS plan_id, p.organization_id AS organization_id, o.name AS organization,
       t.code AS theme_code, t.label AS theme_label,
       count(*) AS records,
       sum(CASE WHEN r.level = 'action' THEN 1 ELSE 0 END) AS actions,
       pa.actions AS plan_actions,
       CAST(sum(CASE WHEN r.level = 'action' THEN 1 ELSE 0 END) AS REAL) / NULLIF(pa.actions, 0) AS action_share
FROM record_theme rt
JOIN theme t ON t.code = rt.theme_code AND t.parent IS NULL
JOIN record r ON r.id = rt.record_id
JOIN plan p ON p.id = r.plan_id
LEFT JOIN organization o ON o.id = p.organization_id
LEFT JOIN (SELECT plan_id, count(*) AS actions FROM record WHERE level = 'action' GROUP BY plan_id) pa
       ON pa.plan_id = p.id
GROUP BY p.id, p.organization_id, o.name, t.code, t.label, pa.actions
""",
    }


SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION search_records(q text)
RETURNS TABLE(record_id integer, plan_id integer, level varchar, title text, rank real)
LANGUAGE sql STABLE AS $$
  SELECT r.id, r.plan_id, r.level::varchar, r.title,
         ts_rank(to_tsvector('french', r.title), websearch_to_tsquery('french', q))
  FROM record r
  WHERE to_tsvector('french', r.title) @@ websearch_to_tsquery('french', q)
  ORDER BY 5 DESC, r.id
$$
"""


def create_views(dialect: str) -> None:
    for name in reversed(VIEWS):
        op.execute(view_sql(dialect)[name])


def drop_views(dialect: str) -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")


def _codebook_rows() -> list[dict]:
    from importlib import resources

    path = resources.files("planscope.pipeline") / "data" / "themes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for top in data["themes"]:
        rows.append({"code": top["code"], "label": top["label"], "parent": None, "position": len(rows)})
        for sub in top.get("children", ()):
            rows.append({"code": sub["code"], "label": sub["label"], "parent": top["code"], "position": len(rows)})
    return rows


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    theme = op.create_table('theme',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('parent', sa.String(length=80), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent'], ['theme.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('record_theme',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('theme_code', sa.String(length=80), nullable=False),
    sa.Column('rule', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_code'], ['theme.code'], ),
    sa.PrimaryKeyConstraint('record_id', 'theme_code')
    )
    with op.batch_alter_table('record_theme', schema=None) as batch_op:
        batch_op.create_index('ix_record_theme_code', ['theme_code', 'record_id'], unique=False)
    # the benchmark reads actions per plan and their parents
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.create_index('ix_record_parent', ['parent_id'], unique=False)
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index('ix_plan_organization', ['organization_id'], unique=False)
    op.bulk_insert(theme, _codebook_rows())
    create_views(dialect)
    if dialect == "postgresql":
        op.execute("CREATE INDEX ix_record_title_fts ON record USING gin (to_tsvector('french', title))")
        op.execute(SEARCH_FUNCTION)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS search_records(text)")
        op.execute("DROP INDEX IF EXISTS ix_record_title_fts")
    drop_views(dialect)
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_organization')
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index('ix_record_parent')
    with op.batch_alter_table('record_theme', schema=None) as batch_op:
        batch_op.drop_index('ix_record_theme_code')
    op.drop_table('record_theme')
    op.drop_table('theme')

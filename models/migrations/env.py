"""Alembic environment: runs on the connection planscope hands over (planscope.pipeline.load.db.migrate)."""
from alembic import context
from sqlalchemy import engine_from_config, pool

from planscope.models.schema import Base, include_object

config = context.config
target_metadata = Base.metadata


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {"sqlalchemy.url":
                                config.get_main_option("sqlalchemy.url")}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()

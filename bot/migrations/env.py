"""Alembic environment: run on the connection given by bot.db.Database.upgrade,
or, from the alembic command line, on the URL from config."""
from alembic import context
from sqlalchemy import create_engine

import config as settings
from bot.models import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(settings.load().sqlalchemy_url)
    with engine.begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()

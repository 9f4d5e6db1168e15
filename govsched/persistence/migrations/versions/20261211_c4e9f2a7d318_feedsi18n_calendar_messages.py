"""Each calendar event's title and description as messages beside their English text (issue 20),
so a feed is built in its reader's language; events stored before have none.

Revision ID: c4e9f2a7d318
Revises: 8b3e61d4a9c2
Create Date: 2026-12-11 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'c4e9f2a7d318'
down_revision: str | None = '8b3e61d4a9c2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('calendar_events') as batch:
        batch.add_column(sa.Column('title_message', _JSON, nullable=True))
        batch.add_column(sa.Column('description_message', _JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('calendar_events') as batch:
        batch.drop_column('description_message')
        batch.drop_column('title_message')

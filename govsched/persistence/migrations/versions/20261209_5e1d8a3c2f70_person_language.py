"""Each person's language (issue 20); none chosen means the initiative's default.

Revision ID: 5e1d8a3c2f70
Revises: 4f7a2c9e1b85
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e1d8a3c2f70'
down_revision: str | None = '4f7a2c9e1b85'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.drop_column('language')

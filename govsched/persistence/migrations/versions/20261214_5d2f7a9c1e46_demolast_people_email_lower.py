"""People's addresses indexed as `email_taken` compares them, lower-cased (issue 19, branch
demolast).

Revision ID: 5d2f7a9c1e46
Revises: 0bdb84e58712
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5d2f7a9c1e46'
down_revision: str | None = '0bdb84e58712'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_people_email_lower', 'people', [sa.text('lower(email)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_people_email_lower', table_name='people')

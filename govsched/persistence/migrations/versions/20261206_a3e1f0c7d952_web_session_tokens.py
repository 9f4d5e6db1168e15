"""Web sessions remember the API token they were started with (issue 17): revoking the token
ends them. Sessions started before have none and live out their 12 hours.

Revision ID: a3e1f0c7d952
Revises: 3b8e51c0d7a2
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a3e1f0c7d952'
down_revision: str | None = '3b8e51c0d7a2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_digest', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_web_sessions_token_digest'), ['token_digest'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_web_sessions_token_digest_api_tokens'),
            'api_tokens',
            ['token_digest'],
            ['digest'],
        )


def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_web_sessions_token_digest_api_tokens'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_web_sessions_token_digest'))
        batch_op.drop_column('token_digest')

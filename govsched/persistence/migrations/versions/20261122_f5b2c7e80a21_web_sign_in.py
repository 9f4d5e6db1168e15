"""Web workspace (issue 10): one-time sign-in links and browser sessions.

Revision ID: f5b2c7e80a21
Revises: e3c4a1d90b17
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base

revision: str = 'f5b2c7e80a21'
down_revision: str | None = 'e3c4a1d90b17'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('created_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_web_sessions_person_id_people')),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_web_sessions'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_person_id'), ['person_id'], unique=False)

    op.create_table('web_sign_in_links',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=63), nullable=False),
    sa.Column('issued_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_web_sign_in_links_person_id_people')),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_web_sign_in_links'))
    )
    with op.batch_alter_table('web_sign_in_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sign_in_links_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_sign_in_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sign_in_links_person_id'))

    op.drop_table('web_sign_in_links')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_person_id'))

    op.drop_table('web_sessions')

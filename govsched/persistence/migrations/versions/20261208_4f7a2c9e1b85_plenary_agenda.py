"""The plenary agenda the Secretariat and the Chair keep (issue 19): its items, with document
links and the plenary's decision on each, and its published versions.

Revision ID: 4f7a2c9e1b85
Revises: c9d4e2b7a150
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govsched.persistence.base

revision: str = '4f7a2c9e1b85'
down_revision: str | None = 'c9d4e2b7a150'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'plenary_agenda_items',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('plenary_id', sa.String(length=63), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('documents', JSON, nullable=False),
        sa.Column('decision', JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ['plenary_id'],
            ['plenaries.id'],
            name=op.f('fk_plenary_agenda_items_plenary_id_plenaries'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plenary_agenda_items')),
    )
    with op.batch_alter_table('plenary_agenda_items', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_plenary_agenda_items_plenary_id'), ['plenary_id'], unique=False
        )
    op.create_table(
        'plenary_agenda_versions',
        sa.Column('plenary_id', sa.String(length=63), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column(
            'published_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column('published_by', sa.String(length=80), nullable=False),
        sa.Column('items', JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ['plenary_id'],
            ['plenaries.id'],
            name=op.f('fk_plenary_agenda_versions_plenary_id_plenaries'),
        ),
        sa.PrimaryKeyConstraint('plenary_id', 'number', name=op.f('pk_plenary_agenda_versions')),
    )


def downgrade() -> None:
    op.drop_table('plenary_agenda_versions')
    with op.batch_alter_table('plenary_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plenary_agenda_items_plenary_id'))
    op.drop_table('plenary_agenda_items')

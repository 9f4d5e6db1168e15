"""Calendar feeds (issue 7).

Revision ID: 5b8e1d2f0c32
Revises: a9945c19d7a5
Create Date: 2026-11-22 07:30:00
"""

from collections.abc import Sequence

revision: str = '5b8e1d2f0c32'
down_revision: str | None = 'a9945c19d7a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

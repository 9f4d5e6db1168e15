"""Slack delivery (issue 8).

Revision ID: 6c9f2e3a1d43
Revises: 5b8e1d2f0c32
Create Date: 2026-11-22 07:30:00
"""

from collections.abc import Sequence

revision: str = '6c9f2e3a1d43'
down_revision: str | None = '5b8e1d2f0c32'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

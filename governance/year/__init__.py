"""The governance year: milestones, seats, the draft agenda, the Chair handover."""

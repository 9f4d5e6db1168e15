"""`govsched rehearse`: a governance year on a time-skipping clock, through the real workflows."""

"""The initiative's rules, pure: no I/O, no Temporal, no clock.

Everything here takes what it needs as arguments (including the current instant) and returns
values or raises a GovernanceError; that is what lets the rules be tested exhaustively and
replayed by workflows without surprises.
"""

"""Which peer-review assignment rule is current, apart from the solver, so that the reporting
cycle can name it without importing OR-Tools (ARCHITECTURE.md, peer review, versions).

1: the first rule; 2 (issue 21): short lists from seeded rings above 250,000 pairs; 3: the load
tolerance widens, by the least that does, when no assignment exists within the rulebook's; 4: the
same objective solved with far smaller weights that still rank its levels exactly (issue 21); 5:
version 4's flow on a network where the reports' supplies replace the source and report nodes
(issue 21); 6: version 5, except that an assignment leaving a reviewer in scope below the load
floor is no assignment at that tolerance (the floor held only for reviewers that kept a
candidate after reciprocal candidates were oriented; eleventh session).
"""

from __future__ import annotations

from typing import Literal

RuleVersion = Literal[1, 2, 3, 4, 5, 6]
RULE_VERSION: RuleVersion = 6
# the first version whose load tolerance widens rather than refuse the year
WIDENING_VERSION = 3
# the first version whose flow weighs the objective's levels by the cycle bound (solver.py)
CYCLE_WEIGHTS_VERSION = 4
# the first version whose short lists are solved on the network of supplies (flow_supplies.py)
SUPPLY_NETWORK_VERSION = 5
# the first version that holds the load floor for every reviewer in scope (`_with_floor`)
FLOOR_FOR_EVERY_REVIEWER_VERSION = 6

"""The verification roster: the rule, its document, its fairness, the ledger."""

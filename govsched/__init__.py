"""Everything of govsched that is not rules, workflows or activities: configuration,
Temporal plumbing, persistence, notifiers, feeds, services, HTTP, CLI and rehearsals."""

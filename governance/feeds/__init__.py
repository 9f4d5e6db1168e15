"""Calendar feeds: which feed a subscription token opens, and who may hold one."""

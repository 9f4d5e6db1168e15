"""Email: messages, the SMTP relay, unsubscribe links and the notifier."""

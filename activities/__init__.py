"""Activities: the only way workflows reach the database, the notifier or anything else outside.

Each activity is a method of a class built with its dependencies in worker.py, so importing this
package has no side effect. Every activity is idempotent: a retry after a crash finds what its
first attempt wrote (by key) instead of writing it twice.
"""

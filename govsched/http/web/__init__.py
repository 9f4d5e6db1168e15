"""The web workspace (issue 10): server-rendered pages for the people who run the year.

Reads come from the database like the API's; every change goes through the same service call
the matching API route makes, so the rules, role checks and audit trail are the API's own.
"""

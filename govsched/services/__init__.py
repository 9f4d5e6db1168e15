"""The application layer: how the API, the CLI and the rehearsal start and drive workflows.

Nothing here decides a governance rule (that is governance/) or touches the database directly
(that is govsched/persistence/, through activities); it turns a request into the right Temporal
call.
"""

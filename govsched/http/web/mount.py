"""Mounting the web workspace on the API's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from govsched.http.web.routes import (
    applications,
    calendar_item,
    calendars,
    concern_overview,
    concerns,
    directory,
    email,
    group_plans,
    group_registry,
    groups,
    indicators,
    intake,
    not_found,
    notification_preferences,
    outbox,
    plenary,
    public_application,
    register,
    report_forms,
    reports,
    roster,
    session,
    work,
    year,
)

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    # issue 19, first: /web/applications/new is not an application's id
    for module in (intake, public_application, directory):
        app.include_router(module.router)
    for module in (session, work, applications, year, roster, reports, calendars, calendar_item):
        app.include_router(module.router)
    app.include_router(concern_overview.router)
    # after the overview: its fixed path must win over a case's
    app.include_router(concerns.router)
    for module in (notification_preferences, email):  # issue 19
        app.include_router(module.router)
    app.include_router(plenary.router)  # issue 19: the plenary's agenda and decisions
    app.include_router(report_forms.router)  # issue 19: a page per report and review form
    app.include_router(indicators.router)  # issue 22: impact indicators
    for module in (register, outbox):  # issue 19: the register and the full outbox
        app.include_router(module.router)
    app.include_router(groups.router)  # issue 23: in-country groups, a coordinator's tasks
    app.include_router(group_registry.router)  # issue 23: the registry's forms, nominations
    app.include_router(group_plans.router)  # issue 23: plans and funding requests
    app.mount("/web/static", StaticFiles(directory=STATIC), name="web-static")
    # last: any other address under /web/ is a page that says there is none
    app.include_router(not_found.router)

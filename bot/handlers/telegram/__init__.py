"""aiogram adapters: thin routers that call the domain and send back what it returns."""

from aiogram import Router

from bot.handlers.telegram import admin, citizen, menu, reminders, staff


def get_routers() -> list[Router]:
    """Survey presses first (nothing else takes them); then commands, so they are never taken
    for a citizen's answer; staff before admin so that `/report appeals` reaches staff as
    well."""
    return [
        citizen.make_survey_router(),
        menu.make_router(),
        staff.make_router(),
        admin.make_router(),
        reminders.make_router(),
        citizen.make_router(),
    ]

"""aiogram adapters: thin routers that call the domain and send back what it returns."""

from aiogram import Router

from bot.handlers.telegram import admin, citizen, invites, reminders


def get_routers() -> list[Router]:
    """Commands first, so they are never taken for a citizen's survey answer."""
    return [
        admin.make_router(),
        reminders.make_router(),
        invites.make_router(),
        citizen.make_router(),
    ]

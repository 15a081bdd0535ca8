"""The admins' conversation, on every messenger: survey windows, reports with charts, exports,
the pain map, the plan, the calendar, invitation codes and the staff list.

A transport adapter passes a command's name and argument text (`/report 3` -> "report", "3")
and a pressed `Scope.ADMIN` button; replies come back as an `Outcome` whose pictures and
documents the adapter uploads its own way. Anyone who is not an admin gets a refusal and no
data, whatever the messenger.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.chat.messengers import Messengers
from bot.chat.notifications import Fanout
from bot.chat.roles import Roles
from bot.core.actions import Action, Scope, encode
from bot.core.ports import Button, Outcome, Person, Reply, long_text, text_then_charts
from bot.reports.export import ReportFile
from bot.reports.service import ReportService
from bot.surveys.access import INVITE_PREFIX, MAX_CODES_PER_REQUEST, EmployeeAccess
from bot.surveys.jobs import WindowJobs
from bot.surveys.plan import FrequencyPlan
from bot.surveys.windows import WindowError, WindowService, parse_date
from bot.texts import admin as texts
from bot.texts import employee as employee_texts
from bot.texts import export as export_texts
from bot.texts import schedule as schedule_texts

CLOSE = "close"
CANCEL = "cancel"
ADMIN_COMMANDS = (
    "open_survey",
    "close_survey",
    "surveys",
    "report",
    "export",
    "painmap",
    "plan",
    "calendar",
    "invite_codes",
)


class AdminChat:
    def __init__(
        self,
        roles: Roles,
        windows: WindowService,
        reports: ReportService,
        jobs: WindowJobs,
        plan: FrequencyPlan,
        access: EmployeeAccess,
        messengers: Messengers,
        notifications: Fanout,
    ) -> None:
        self._roles = roles
        self._windows = windows
        self._reports = reports
        self._jobs = jobs
        self._plan = plan
        self._access = access
        self._messengers = messengers
        self._notifications = notifications
        self._commands: dict[str, Callable[[Person, str], Awaitable[Outcome]]] = {
            name: getattr(self, name) for name in ADMIN_COMMANDS
        }

    async def command(self, person: Person, name: str, args: str | None) -> Outcome | None:
        """An admin command; None if `name` is none of them (the citizen's chat takes it)."""
        handler = self._commands.get(name)
        if handler is None:
            return None
        if not self._roles.is_admin(person):
            return _say(texts.NOT_ADMIN)
        return await handler(person, (args or "").strip())

    async def action(self, person: Person, pressed: Action) -> Outcome:
        """A `Scope.ADMIN` button: the confirmation of /close_survey."""
        if not self._roles.is_admin(person):
            return Outcome(toast=texts.NOT_ADMIN)
        if pressed.verb == CANCEL:
            return Outcome([Reply(texts.CLOSE_CANCELLED, edit=True)])
        window_id = pressed.number(0)
        if pressed.verb != CLOSE or window_id is None:
            return Outcome(toast=texts.STALE)
        try:
            view, aftermath = await self._windows.close_window_then(window_id)
        except WindowError as exc:
            return Outcome([Reply(str(exc), edit=True)])

        async def report() -> list[Reply]:
            await aftermath()  # the report reaches every admin through the outbox
            return []

        return Outcome(
            [Reply(texts.window_closed(view.id, view.respondents), edit=True)], then=report
        )

    # --- survey windows ----------------------------------------------------------------------
    def _kind(self, typed: str) -> str:
        """Questionnaire names are case-insensitive: `/open_survey CSI` opens csi."""
        found = {kind.lower(): kind for kind in self._windows.questionnaires}
        return found.get(typed.lower(), typed)

    async def open_survey(self, person: Person, args: str) -> Outcome:
        parts = args.split()
        kinds = ", ".join(sorted(self._windows.questionnaires))
        if not 1 <= len(parts) <= 2:
            return _say(texts.OPEN_SURVEY_USAGE.format(kinds=kinds))
        try:
            start = parse_date(parts[1]) if len(parts) == 2 else None
            view = await self._windows.open_window(self._kind(parts[0]), start)
        except WindowError as exc:
            return _say(str(exc))
        if view.state == "scheduled":
            return _say(texts.window_scheduled(view.id, view.title, view.opens_on, view.closes_on))
        messenger = self._messengers.get(person.platform)
        link = await messenger.link(view.kind) if messenger is not None else None
        posted = await self._jobs.invite_now(view.id)
        text = texts.window_opened(view.id, view.title, view.opens_on, view.closes_on, link)
        if posted:
            chat = schedule_texts.AUDIENCE_CHATS[view.audience]
            text += "\n\n" + schedule_texts.INVITATION_POSTED.format(chat=chat)
        notes = []
        if view.audience == "external":
            notes = await self._notifications.invite_communities(view.title, view.kind)
        return Outcome([Reply(text), *(Reply(note) for note in notes)])

    async def close_survey(self, person: Person, args: str) -> Outcome:
        """Asks first: closing early cannot be undone and sends the report."""
        if not args.isdigit():
            return _say(texts.CLOSE_USAGE)
        window = await self._windows.get(int(args))
        if window is None:
            return _say(texts.WINDOW_NOT_FOUND.format(id=args))
        view = self._windows.view(window)
        if view.state == "closed":
            return _say(texts.WINDOW_ALREADY_CLOSED.format(id=view.id))
        buttons = [
            [
                Button(texts.BUTTON_CONFIRM_CLOSE, encode(Scope.ADMIN, CLOSE, view.id)),
                Button(texts.BUTTON_CANCEL, encode(Scope.ADMIN, CANCEL)),
            ]
        ]
        return Outcome([Reply(texts.confirm_close(view.id, view.title, view.respondents), buttons)])

    async def surveys(self, person: Person, args: str) -> Outcome:
        await self._windows.close_due_windows()
        views = await self._windows.list_windows()
        if not views:
            return _say(texts.NO_WINDOWS)
        lines = [
            texts.windows_line(v.id, v.kind, v.opens_on, v.closes_on, v.state, v.respondents)
            + " · "
            + schedule_texts.publish_by_line(v.publish_by)
            for v in views
        ]
        return Outcome(long_text("\n".join([texts.WINDOWS_HEADER, *lines])))

    # --- reports and files ---------------------------------------------------------------------
    async def report(self, person: Person, args: str) -> Outcome:
        if args and not args.isdigit():
            return _say(texts.REPORT_USAGE)
        await self._windows.close_due_windows()
        pending = await self._reports.report_then_charts(int(args) if args else None)
        return text_then_charts(pending.text, pending.draw_charts)

    async def export(self, person: Person, args: str) -> Outcome:
        """`/export ID`: the window as XLSX; `/export accounting [YEAR]`: the accounting form."""
        parts = args.split()
        if parts[:1] == ["accounting"] and len(parts) <= 2 and all(a.isdigit() for a in parts[1:]):
            year = int(parts[1]) if len(parts) == 2 else None
            return _file(await self._reports.accounting_form(year))
        if len(parts) != 1 or not parts[0].isdigit():
            return _say(export_texts.EXPORT_USAGE)
        result = await self._reports.export_window(int(parts[0]))
        return _say(result) if isinstance(result, str) else _file(result)

    async def painmap(self, person: Person, args: str) -> Outcome:
        if not args.isdigit():
            return _say(export_texts.PAINMAP_USAGE)
        result = await self._reports.painmap(int(args))
        return _say(result) if isinstance(result, str) else _file(result)

    # --- plan and calendar ---------------------------------------------------------------------
    async def plan(self, person: Person, args: str) -> Outcome:
        """The year's plan; no advice for a period that has already ended."""
        today = self._windows.today()
        lines = [schedule_texts.plan_header(today.year)]
        warnings = []
        for period in await self._plan.year(today.year):
            lines.append(
                schedule_texts.plan_period_line(
                    period.audience, period.start, period.end, len(period.windows)
                )
            )
            lines += [
                schedule_texts.plan_window_line(
                    v.id, v.title, v.opens_on, v.closes_on, texts.STATE_NAMES[v.state]
                )
                for v in period.windows
            ]
            if not period.met and period.end >= today:
                warnings.append(
                    schedule_texts.plan_warning(period.audience, period.start, period.end)
                )
        lines += ["", *(warnings or [schedule_texts.PLAN_OK])]
        return Outcome(long_text("\n".join(lines)))

    async def calendar(self, person: Person, args: str) -> Outcome:
        if args and not (args.isdigit() and 2000 <= int(args) <= 2100):
            return _say(schedule_texts.CALENDAR_USAGE)
        year = int(args) if args else self._windows.today().year
        calendar = self._windows.calendar
        return _say(
            schedule_texts.calendar_text(
                year, calendar.days_off(year), calendar.working_weekend_days(year)
            )
        )

    async def invite_codes(self, person: Person, args: str) -> Outcome:
        """One-time links to the employee survey that open the bot on the admin's messenger
        (an admin on VK hands out VK links)."""
        if not args.isdigit() or not 1 <= int(args) <= MAX_CODES_PER_REQUEST:
            return _say(employee_texts.INVITE_USAGE.format(max=MAX_CODES_PER_REQUEST))
        codes = await self._access.create_codes(int(args))
        messenger = self._messengers.get(person.platform)
        links = []
        for code in codes:
            link = await messenger.link(INVITE_PREFIX + code) if messenger is not None else None
            links.append(link or f"/start {INVITE_PREFIX}{code}")
        text = employee_texts.invite_codes(links, await self._access.unused_codes())
        return Outcome(long_text(text))


def _say(text: str) -> Outcome:
    return Outcome([Reply(text)])


def _file(document: ReportFile) -> Outcome:
    return Outcome([Reply("", documents=(document,))])

"""Database models, one module per part of the bot; importing this package registers them all
on `Base.metadata` (Alembic relies on that)."""

from bot.db.models.appeals import (
    Appeal,
    AppealAttachment,
    AppealContact,
    AppealIntake,
    StaffDialog,
    StaffMember,
    StaffPost,
)
from bot.db.models.employee import EmployeeInvite
from bot.db.models.polling import PollPosition
from bot.db.models.schedule import (
    JobClaim,
    OutboxMessage,
    PlanReminder,
    ReminderSubscriber,
    WindowEvent,
)
from bot.db.models.survey import (
    SurveyAnswer,
    SurveyDraft,
    SurveyLapsedDraft,
    SurveyParticipation,
    SurveyPendingResponse,
    SurveyResponse,
    SurveyWindow,
)

__all__ = [
    "Appeal",
    "AppealAttachment",
    "AppealContact",
    "AppealIntake",
    "EmployeeInvite",
    "JobClaim",
    "OutboxMessage",
    "PlanReminder",
    "PollPosition",
    "ReminderSubscriber",
    "StaffDialog",
    "StaffMember",
    "StaffPost",
    "SurveyAnswer",
    "SurveyDraft",
    "SurveyLapsedDraft",
    "SurveyParticipation",
    "SurveyPendingResponse",
    "SurveyResponse",
    "SurveyWindow",
    "WindowEvent",
]

"""Acting as an employee who answers the shipped employee questionnaire through Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.devtools.fake_telegram import Call
from bot.devtools.harness import RunningBot
from bot.texts import survey as texts

SATISFIED = "Скорее удовлетворён(а)"
NOT_SATISFIED = "Скорее не удовлетворён(а)"
AGENCY_ROWS = 5


@dataclass
class Answers:
    """What one employee answers; defaults give the shortest path through the questionnaire."""

    agencies: list[str] = field(default_factory=lambda: [SATISFIED] * AGENCY_ROWS)
    agency_problems: list[str] = field(default_factory=list)
    """Typed for each row of question 4 answered "rather not satisfied", in order."""
    adaptation: str = "Система адаптации отсутствует"
    measures: list[str] = field(default_factory=list)
    other: str | None = None
    recommend: int = 8


def number_of(call: Call, option: str) -> str:
    """The number an option too long for a button carries ("N. text" in the message)."""
    return next(
        line.split(".")[0] for line in call.text.splitlines() if line.endswith(f". {option}")
    )


async def press_option(bot: RunningBot, user_id: int, label: str) -> None:
    """Press an option by its text; options too long for a button are listed in the message
    as "N. text" and pressed by their number."""
    call = [c for c in bot.fake.sent(user_id) if c.buttons][-1]
    if label not in call.labels:
        number = number_of(call, label)
        label = number if number in call.labels else texts.TICK + number
    await bot.press(user_id, label, call)


async def complete_employee(bot: RunningBot, user_id: int, answers: Answers) -> None:
    """Answer question by question; the caller has already started the survey."""

    async def press(user: int, label: str) -> None:
        await press_option(bot, user, label)

    await press(user_id, SATISFIED)  # 1
    for _ in range(3):  # 2: how often, per row
        await press(user_id, "Несколько раз в неделю")
    await bot.say(user_id, "Много однотипных запросов")  # 3, first row typed
    for _ in range(2):
        await press(user_id, "Не занимаюсь этим")
    for label in answers.agencies:  # 4
        await press(user_id, label)
    for text in answers.agency_problems:  # 5, only the rows answered "rather not"
        await bot.say(user_id, text)
    for _ in range(2):  # 6
        await press(user_id, SATISFIED)
    await press(user_id, NOT_SATISFIED)  # 7
    await press(user_id, SATISFIED)  # 8
    await press(user_id, answers.adaptation)  # 9
    if answers.measures:  # 10
        for label in answers.measures:
            await press(user_id, label)
        await press(user_id, texts.DONE)
        if answers.other is not None:
            await bot.say(user_id, answers.other)
    for _ in range(4):  # 11
        await press(user_id, "Полностью удовлетворён(а)")
    for _ in range(4):  # 12
        await press(user_id, "Проблем не было")
    for _ in range(2):  # 13
        await press(user_id, "Затрудняюсь ответить")
    for _ in range(3):  # 14
        await press(user_id, NOT_SATISFIED)
    for _ in range(5):  # 15
        await press(user_id, SATISFIED)
    for _ in range(5):  # 16
        await press(user_id, SATISFIED)
    await press(user_id, "Мнение коллег")  # 17
    await press(user_id, str(answers.recommend))  # 18

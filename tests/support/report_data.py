"""Filling a CSI window straight through the database, for report tests that need many
respondents without pressing thousands of buttons."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import insert, update

from bot.app import Services
from bot.db.models import SurveyAnswer, SurveyResponse, SurveyWindow


async def add_responses(
    services: Services,
    window_id: int,
    people: Sequence[dict[str, int | str]],
) -> None:
    """Each person is {"question/row/scale": value}; ints go to `num`, strings starting with
    "text:" to `text`, other strings to `choice`."""
    async with services.sessionmaker() as session, session.begin():
        for answers in people:
            response_id = secrets.token_hex(16)
            await session.execute(
                insert(SurveyResponse).values(id=response_id, window_id=window_id)
            )
            rows = []
            for key, value in answers.items():
                question_id, row_id, scale = [*key.split("/"), "", ""][:3]
                row: dict[str, object] = {
                    "response_id": response_id,
                    "window_id": window_id,
                    "question_id": question_id,
                    "row_id": row_id,
                    "scale": scale,
                    "choice": "",
                    "num": None,
                    "text": None,
                }
                if isinstance(value, int):
                    row["num"] = value
                elif value.startswith("text:"):
                    row["text"] = value.removeprefix("text:")
                else:
                    row["choice"] = value
                rows.append(row)
            await session.execute(insert(SurveyAnswer), rows)
        await session.execute(
            update(SurveyWindow)
            .where(SurveyWindow.id == window_id)
            .values(respondents=SurveyWindow.respondents + len(people))
        )


CRITERIA = (
    "info",
    "documents",
    "simplicity",
    "speed",
    "specialists",
    "interaction",
    "appeal_form",
    "appeal_ease",
    "answer_quality",
    "openness",
)


def person(
    score: int, importance: int, extra: dict[str, int | str] | None = None
) -> dict[str, int | str]:
    """Every criterion rated `score` / `importance`, plus `extra` answers."""
    answers: dict[str, int | str] = {}
    for criterion in CRITERIA:
        answers[f"{criterion}//score"] = score
        answers[f"{criterion}//importance"] = importance
    answers.update(extra or {})
    return answers

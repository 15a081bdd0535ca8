"""Texts of the pain map (карта болей, Appendix 4 of seeds/003)."""

from __future__ import annotations

from bot.reports.workbook import Col
from bot.texts.common import fmt_num

SHEET = "Карта болей"
TITLE = "Карта болей клиента (проект для рабочей группы)"
COLUMNS = (
    Col("№", "int"),
    Col("Наименование процесса", "long", 30),
    Col("Выявленные проблемы/потенциальные потребности клиентов", "long", 50),
    Col("Распространенность проблемы", "percent", 16),
    Col("Приоритетность решения проблемы/удовлетворения потребности", "int", 16),
    Col("Необходимые к реализации мероприятия", "long", 30),
    Col("Ответственный", "long", 20),
    Col("Срок реализации", "text", 14),
)
NOTE = (
    "Приоритет 1 — наивысший: учитываются распространённость проблемы и число процессов, "
    "которые она затрагивает (п. 18 Порядка). Графы 6–8 заполняет рабочая группа."
)


def csi_problem(criterion: str, csi: float) -> str:
    return f"{criterion}: низкая удовлетворённость (CSI {fmt_num(csi)})"


def csi_basis(low: int, answers: int) -> str:
    return f"оценили на 1–7: {low} из {answers}"


NO_PAINS_ANY = "Проблем для карты болей не выявлено: низких оценок и частых тем обращений нет."
APPEALS_PROCESS = "Рассмотрение обращений граждан"
INTERIM = "Окно ещё идёт: карта болей опроса сотрудников строится после его закрытия."


def matrix_problem(question: str, row: str) -> str:
    return f"{question}: {row} — неудовлетворённость"


def matrix_basis(dissatisfied: int, opinions: int) -> str:
    return (
        f"не удовлетворены {dissatisfied} из {opinions} высказавших мнение; "
        "«затрудняюсь ответить» и «не применимо» не считаются"
    )


def appeal_topic_problem(topic: str) -> str:
    return f"Частая тема обращений: {topic}"


def appeal_basis(count: int, total: int) -> str:
    return f"{count} из {total} обращений за период"


def complaints_problem(complaints: int, satisfied: int) -> str:
    return f"Жалобы: {complaints}, из них признаны обоснованными (удовлетворены): {satisfied}"

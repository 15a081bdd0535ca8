"""Texts that speak in the body's name: the personal-data consent (152-FZ art. 9), /privacy,
/forget, and the formal appeal route (59-FZ as amended by 547-FZ)."""

from __future__ import annotations

from html import escape

from bot.body import Body

BUTTON_FORMAL = "Подать официальное обращение"
UNKNOWN_ADDRESS = "указан на официальном сайте органа"


def operator_line(body: Body) -> str:
    address = escape(body.address) if body.address else UNKNOWN_ADDRESS
    site = f", сайт {escape(body.site)}" if body.site else ""
    return f"{escape(body.full)}, адрес: {address}{site}"


def consent(body: Body) -> str:
    """What a person agrees to before an appeal is sent; also shown by /privacy."""
    return (
        "<b>Согласие на обработку персональных данных</b>\n\n"
        f"<b>Оператор:</b> {operator_line(body)}.\n"
        "<b>Цель:</b> рассмотреть Ваше обращение или жалобу и ответить на них.\n"
        "<b>Данные:</b> фамилия, имя, отчество; адрес электронной почты (если Вы его укажете); "
        "идентификатор в мессенджере; текст обращения и вложения.\n"
        "<b>Действия:</b> сбор, запись, хранение, использование, передача органу, в компетенцию "
        "которого входит вопрос (если обращение перенаправят), обезличивание и удаление.\n"
        f"<b>Срок:</b> до окончания рассмотрения и {years(body.retention_years)} после него; "
        "затем данные обезличиваются.\n"
        "<b>Как отозвать:</b> команда /forget в этом чате или письменное заявление оператору "
        "по адресу выше. Опросы анонимны и этим согласием не затрагиваются."
    )


def years(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return f"{count} год"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} года"
    return f"{count} лет"


CONSENT_PRESS = "Нажимая «Согласен(на)», Вы даёте это согласие и направляете обращение."


def forgotten(anonymised: int, still_open: int) -> str:
    lines = ["Согласие отозвано. Сохранённые имя и адрес электронной почты удалены."]
    if anonymised:
        lines.append(f"Персональные данные закрытых обращений обезличены: {anonymised}.")
    if still_open:
        lines.append(
            f"Обращений ещё на рассмотрении: {still_open}. Данные нужны, чтобы ответить на них; "
            "после ответа отправьте /forget ещё раз."
        )
    return "\n".join(lines)


def intake_intro(body: Body) -> str:
    """The start of the appeal dialog: what a message written here is, and what it is not."""
    return (
        f"Здесь можно направить обращение в {escape(body.full)}. Ответ придёт в этот чат "
        f"не позднее чем через {body.answer_days} дней.\n\n"
        "Официальное обращение по 59-ФЗ подаётся через Госуслуги или официальный сайт органа "
        "с подтверждением личности — для этого нажмите «Подать официальное обращение»."
    )

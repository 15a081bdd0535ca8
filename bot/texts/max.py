"""Texts of MAX that other messengers do not need: the channel invitation and the notes that
tell the admins whether it was posted."""

from __future__ import annotations

from html import escape

OPEN_SURVEY_BUTTON = "Пройти опрос"


def channel_invitation(title: str) -> str:
    """A MAX channel post inviting citizens to a survey; a button under it opens the bot."""
    return (
        f"Приглашаем принять участие в анонимном опросе «{escape(title)}».\n\n"
        "Ваше мнение поможет нам работать лучше. Опрос занимает несколько минут, "
        "ответы не связываются с Вашим профилем."
    )


def max_posted(link: str) -> str:
    return f"Приглашение опубликовано в канале MAX. Ссылка на опрос в MAX: {escape(link)}"


def max_post_failed(link: str) -> str:
    return (
        "Не удалось опубликовать приглашение в канале MAX (бот должен быть администратором "
        f"канала MAX_CHANNEL_ID). Опубликуйте его вручную. Ссылка на опрос в MAX: {escape(link)}"
    )


def max_manual(title: str, link: str) -> str:
    return (
        "Для MAX опубликуйте приглашение (или задайте MAX_CHANNEL_ID, и бот будет "
        f"публиковать сам):\n\n{channel_invitation(title)}\n{escape(link)}"
    )

"""Texts of the VK community chat that Telegram does not need, and of VK wall invitations."""

from __future__ import annotations

from html import escape

# VK shows at most 10 buttons under one message: the rest go under a follow-up message.
MORE_BUTTONS = "Другие варианты ответа:"


def wall_invitation(title: str, body: str) -> str:
    """A wall post inviting citizens to a survey (a mass post: lowercase "вы"); the survey's
    link follows it."""
    return (
        f"{escape(body)} приглашает принять участие в анонимном опросе «{escape(title)}».\n\n"
        "Ваше мнение поможет нам работать лучше. Опрос занимает несколько минут, "
        "ответы не связываются с вашей страницей. Пройти опрос:"
    )


def vk_posted(link: str) -> str:
    return (
        "Приглашение опубликовано на стене сообщества ВКонтакте. "
        f"Ссылка на опрос в VK: {escape(link)}"
    )


def vk_post_failed(link: str) -> str:
    return (
        "Не удалось опубликовать приглашение на стене сообщества ВКонтакте. "
        f"Опубликуйте его вручную. Ссылка на опрос в VK: {escape(link)}"
    )


def vk_manual(title: str, link: str, body: str) -> str:
    return (
        "Для сообщества ВКонтакте опубликуйте приглашение:\n\n"
        f"{wall_invitation(title, body)}\n{escape(link)}"
    )

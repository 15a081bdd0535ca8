"""Every Russian text a person sees, in one package: one module per part of the bot.

Plain constants for fixed phrases, small functions where numbers or names go in. Handlers and
domain code import from here and never spell user-facing Russian themselves.
"""

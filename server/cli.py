"""Command-line tools: ``flask --app server seed-demo``, ``create-user`` and friends."""

from flask import Flask


def register_commands(app: Flask) -> None:
    pass

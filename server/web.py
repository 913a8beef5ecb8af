"""Serves the PWA from ``pwa/`` (its built assets) at ``/``."""

from flask import Flask


def register_web(app: Flask) -> None:
    pass

"""The web side: the chat page (:mod:`qa.web.chat`), the JSON API (:mod:`qa.web.api`), the
HTML rendering (:mod:`qa.web.render`), the server that puts them on one port
(:mod:`qa.web.server`) and the request-size limit (:mod:`qa.web.limits`).

Importing this package loads nothing heavy; gradio is imported by the chat page only.
"""

from __future__ import annotations

_EXPORTS = {
    "build_app": "qa.web.chat",
    "server_app": "qa.web.server",
    "serve": "qa.web.server",
    "main": "qa.web.server",
}


def __getattr__(name: str):
    import importlib

    if name == "main":
        return importlib.import_module("qa.web.server").serve
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    render = importlib.import_module("qa.web.render")
    if hasattr(render, name):
        return getattr(render, name)
    raise AttributeError(f"module 'qa.web' has no attribute {name!r}")

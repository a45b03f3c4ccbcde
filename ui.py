"""Serve the bilingual Q&A page: ``python ui.py [--host 127.0.0.1] [--port 7860]``."""

from __future__ import annotations

import argparse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the report's bilingual Q&A page (Gradio).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on; 0.0.0.0 serves other machines too")
    parser.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    from qa.web import main

    main(host=args.host, port=args.port)

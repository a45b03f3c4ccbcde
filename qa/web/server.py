"""The HTTP service: the JSON API and (for ``qa serve``) the chat page on one FastAPI app.

Gradio is mounted on FastAPI, not the other way round, so the API, its OpenAPI docs at
``/api/docs``, the request-size limit, authentication, CORS and logging are ours:

- binds 127.0.0.1 unless told otherwise; on any other host ``/api/v1/*`` needs
  ``QA_API_KEY`` (``Authorization: Bearer <key>``) unless ``--no-auth`` is said;
- CORS is off unless origins are named;
- the access log has method, path, status and time, never the question (unless
  ``--log-questions``);
- ``qa api --workers N`` runs the API alone under uvicorn in N processes; the index is
  built (if needed) once, before they start, and each worker loads it read-only.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
from dataclasses import dataclass

from qa.web.api import Service, router
from qa.readers import MAX_FILE_BYTES
from qa.web.limits import MAX_BODY_BYTES, BodyLimit
from qa.web.payload import error

log = logging.getLogger("qa.web")
UPLOAD_BYTES = MAX_FILE_BYTES  # the most a file uploaded from the page may have (qa add's limit)


@dataclass(frozen=True)
class Settings:
    """How the service is exposed (see the module docstring)."""

    host: str = "127.0.0.1"
    api_key: str = ""
    no_auth: bool = False
    cors_origins: tuple[str, ...] = ()
    log_questions: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    allow_upload: bool = False

    def check(self) -> None:
        """Refuse to expose the API beyond this machine without a key, unless told to."""
        if not _loopback(self.host) and not self.api_key and not self.no_auth:
            raise ValueError(
                f"refusing to serve /api/v1 on {self.host}, which other machines can reach, without a key: "
                "set QA_API_KEY (clients send 'Authorization: Bearer <key>'), or pass --no-auth to serve it open"
            )


def _loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(service: Service, settings: Settings = Settings(), chat_retriever=None):
    """The FastAPI app: ``/api/v1`` over ``service``, and the chat page at ``/`` when a
    retriever (or the service itself) is given for it."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    from qa import __version__

    app = FastAPI(title="qa: ask the report", version=__version__, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None,
                  description="Extractive, cited answers from the report, in Chinese or English.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [{"field": ".".join(str(x) for x in e.get("loc", ())[1:]) or "body", "problem": e.get("msg", "")}
                    for e in exc.errors()[:10]]
        allowed = "question: non-empty text; k: an integer from 1 to 50; script: 'zh-Hans', 'zh-Hant' or null"
        return JSONResponse(error(f"the request cannot be used ({allowed})", problems), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return JSONResponse(error(str(exc.detail)), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(error("internal error; please try again"), status_code=500)

    app.include_router(router(service))

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def no_route(rest: str, request: Request):
        # Under /api nothing falls through to the chat page: an unknown route is a JSON 404.
        return JSONResponse(error(f"no route {request.method} /api/{rest[:80]}; the routes are listed at /api/docs"),
                            status_code=404)

    @app.middleware("http")
    async def access(request: Request, call_next):
        started = time.perf_counter()
        if settings.api_key and request.url.path.startswith("/api/v1"):
            if request.headers.get("authorization", "") != f"Bearer {settings.api_key}":
                return JSONResponse(error("missing or wrong API key: send 'Authorization: Bearer <QA_API_KEY>'"),
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
        response = await call_next(request)
        if request.url.path.startswith("/api/"):
            shown = str(request.url.path) + (f"?{request.url.query}" if settings.log_questions and request.url.query else "")
            log.info("%s %s %d %.0f ms", request.method, shown, response.status_code, (time.perf_counter() - started) * 1000)
        return response

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    if chat_retriever is not None:
        import gradio as gr

        from qa.web.chat import build_app
        from qa.web.render import CSS

        uploads = None
        if settings.allow_upload:
            from qa.web.chat import Uploads

            retriever = chat_retriever.retriever if isinstance(chat_retriever, Service) else chat_retriever
            # Beyond this machine an uploader gives the API key, when the server has one.
            uploads = Uploads(retriever.config, "" if _loopback(settings.host) else settings.api_key)
        extra = {"max_file_size": UPLOAD_BYTES} if uploads is not None else {}
        app = gr.mount_gradio_app(app, build_app(chat_retriever, uploads), path="/", css=CSS, show_error=False, **extra,
                                  footer_links=[{"label": "JSON API", "url": "/api/docs"}, "api"])
    # Only the page's file upload, and only with --allow-upload, takes a body bigger than a question's.
    larger = {"/gradio_api/upload": UPLOAD_BYTES + 1_000_000} if settings.allow_upload and chat_retriever is not None else {}
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, larger=larger)
    return app


def server_app(retriever, settings: Settings = Settings()):
    """The app ``qa serve`` runs: chat page and JSON API over one loaded retriever, followed by a
    newer one when the shelf changes (``qa add`` while serving, or an upload)."""
    service = Service(retriever, follow=True)
    return create_app(service, settings, chat_retriever=service)


def serve(host: str = "127.0.0.1", port: int = 7860, retriever=None, settings: Settings | None = None) -> None:
    """``qa serve``: load (building the index if needed) and warm, then serve page and API."""
    import uvicorn

    from qa.retriever import Retriever

    settings = settings or Settings(host=host, api_key=os.environ.get("QA_API_KEY", ""))
    settings.check()
    _logging()
    if retriever is None:
        retriever = Retriever.load(show_progress=True)
    app = server_app(retriever, settings)
    print(f"serving the chat page at http://{host}:{port}/ and the JSON API at http://{host}:{port}/api/docs", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, limit_concurrency=256,
                timeout_keep_alive=5)


# Settings a worker process reads: ``qa api`` sets them before uvicorn starts the workers.
_ENV = ("QA_API_INDEX", "QA_API_CORPUS", "QA_API_ENCODER", "QA_API_CORS", "QA_API_LOG_QUESTIONS", "QA_API_NO_AUTH",
        "QA_API_HOST")


def worker_app():
    """One ``qa api`` worker: the API alone, answering 503 until its read-only index is loaded."""
    from qa.config import Config
    from qa.retriever import Retriever

    env = os.environ
    settings = Settings(host=env.get("QA_API_HOST", "127.0.0.1"), api_key=env.get("QA_API_KEY", ""),
                        no_auth=env.get("QA_API_NO_AUTH") == "1",
                        cors_origins=tuple(o for o in env.get("QA_API_CORS", "").split(",") if o),
                        log_questions=env.get("QA_API_LOG_QUESTIONS") == "1")
    config = Config().with_(index_dir=env.get("QA_API_INDEX") or None, corpus_dir=env.get("QA_API_CORPUS") or None,
                            encoder=env.get("QA_API_ENCODER") or None)
    service = Service(follow=True)
    _logging()

    def load() -> None:
        try:
            r = Retriever.load(config=config, build=False, show_progress=False, mmap=True)
            r.warm()
            service.ready(r)
            log.info("worker %d ready", os.getpid())
        except Exception:
            log.exception("worker %d could not load the index", os.getpid())

    threading.Thread(target=load, daemon=True).start()
    return create_app(service, settings)


def serve_api(config, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, *, no_auth: bool = False,
              cors_origins: tuple[str, ...] = (), log_questions: bool = False) -> None:
    """``qa api``: build the index once if needed, then run ``workers`` uvicorn processes."""
    import uvicorn

    from qa.retriever import Retriever

    settings = Settings(host=host, api_key=os.environ.get("QA_API_KEY", ""), no_auth=no_auth,
                        cors_origins=cors_origins, log_questions=log_questions)
    settings.check()
    _logging()
    Retriever.load(config=config, show_progress=True)  # builds the index here, once, if it is missing or stale
    os.environ.update({
        "QA_API_INDEX": str(config.index_dir), "QA_API_CORPUS": str(config.corpus_dir), "QA_API_ENCODER": config.encoder,
        "QA_API_CORS": ",".join(cors_origins), "QA_API_LOG_QUESTIONS": "1" if log_questions else "",
        "QA_API_NO_AUTH": "1" if no_auth else "", "QA_API_HOST": host,
    })
    workers = workers or os.cpu_count() or 1
    print(f"serving the JSON API at http://{host}:{port}/api/v1 with {workers} worker(s); docs at /api/docs", flush=True)
    kwargs = dict(factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False,
                  timeout_keep_alive=5)
    if workers == 1:
        uvicorn.run("qa.web.server:worker_app", **kwargs)
        return
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("qa.web.server:worker_app", **kwargs)
    # uvicorn binds the shared socket without IPPROTO_TCP, so asyncio never sets TCP_NODELAY on
    # its connections and every keep-alive response waits ~40 ms for a delayed ACK: bind it here.
    Multiprocess(config, sockets=[_tcp_socket(host, port)]).run()


def _tcp_socket(host: str, port: int):
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise OSError(e.errno, f"cannot listen on {host}:{port}: {e.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "jieba", "faiss.loader", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

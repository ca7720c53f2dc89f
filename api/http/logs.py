"""Structured logs: one JSON object a line, for the service's and uvicorn's loggers.

The request log (logger ``clew.api.requests``) writes one line per GraphQL request: request id,
user, operation, outcome, error code, HTTP status, duration. Never the variables, the query text
or a token: those go to the audit log, which only auditors read.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

REQUEST_LOGGER = "clew.api.requests"
# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged.
# uvicorn adds "color_message" (the message with terminal colours) to its records.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(
            (k, v) for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")
        )
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for ``clew serve``: every logger of the service and of
    uvicorn writes JSON lines to stderr. uvicorn's access log is off: the request log says more
    (who, which operation, the outcome) and is written once the request is audited."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "clew": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "strawberry": {"handlers": ["stderr"], "level": "CRITICAL", "propagate": False},
        },
    }

"""gunicorn configuration for logchain's integration test.

It is the seed article's structlog setup (ProcessorFormatter with
JSONRenderer, foreign_pre_chain add_log_level, add_logger_name,
TimeStamper(fmt="%Y-%m-%d %H:%M:%S") and the combined-format processor),
plus a second pair of handlers that write gunicorn's own default plain
format, so that one run writes every event twice:
  LOGCHAIN_IT_JSON_LOG   what the structlog setup prints (one JSON object a line)
  LOGCHAIN_IT_PLAIN_LOG  gunicorn's plain output, which logchain reads
Differences from the article, all needed to compare the two files:
  - the handlers write to files (FileHandler, UTF-8) instead of the console;
  - the gunicorn loggers do not propagate to the root logger, whose handler
    in gunicorn's defaults would print every event a second time.
The plain formats are gunicorn's defaults (gunicorn/glogging.py): error log
"%(asctime)s [%(process)d] [%(levelname)s] %(message)s" with datefmt
"[%Y-%m-%d %H:%M:%S %z]", access log "%(message)s".
"""
import os
import sys

import structlog

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_combined import combined_logformat  # noqa: E402

bind = os.environ["LOGCHAIN_IT_BIND"]
workers = 1
worker_class = "sync"
timeout = 30
loglevel = os.environ.get("LOGCHAIN_IT_LOGLEVEL", "info")
graceful_timeout = 5

_json_log = os.environ["LOGCHAIN_IT_JSON_LOG"]
_plain_log = os.environ["LOGCHAIN_IT_PLAIN_LOG"]

timestamper = structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S")
pre_chain = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    timestamper,
    combined_logformat,
]


def _file_handler(path, formatter):
    return {"class": "logging.FileHandler", "filename": path, "encoding": "utf-8",
            "formatter": formatter}


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json_formatter": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(),
            "foreign_pre_chain": pre_chain,
        },
        "plain_error": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "plain_access": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": _file_handler(_json_log, "json_formatter"),
        "console": _file_handler(_json_log, "json_formatter"),
        "error_plain": _file_handler(_plain_log, "plain_error"),
        "access_plain": _file_handler(_plain_log, "plain_access"),
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console", "error_plain"],
                           "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console", "access_plain"],
                            "propagate": False},
    },
    "root": {"level": "INFO", "handlers": []},
}

"""The seed's own pipeline, for the benchmark: structlog's ProcessorFormatter
with the article's foreign_pre_chain (add_log_level, add_logger_name,
TimeStamper, combined_logformat) and JSONRenderer, fed gunicorn's access
lines from stdin as gunicorn's access logger hands them over (one LogRecord
per line, logger gunicorn.access, level INFO). Writes one JSON line per
record to stdout, as the seed's StreamHandler does.

Run it with Debian's interpreter, which sees python3-structlog:
    /usr/bin/python3 bench/seed_pipeline.py < access.log > out.jsonl
"""
import logging
import re
import sys

import structlog


def combined_logformat(logger, name, event_dict):
    # The article's processor, verbatim in behaviour.
    if event_dict.get('logger') == "gunicorn.access":
        message = event_dict['event']

        parts = [
            r'(?P<host>\S+)',  # host %h
            r'\S+',  # indent %l (unused)
            r'(?P<user>\S+)',  # user %u
            r'\[(?P<time>.+)\]',  # time %t
            r'"(?P<request>.+)"',  # request "%r"
            r'(?P<status>[0-9]+)',  # status %>s
            r'(?P<size>\S+)',  # size %b (careful, can be '-')
            r'"(?P<referer>.*)"',  # referer "%{Referer}i"
            r'"(?P<agent>.*)"',  # user agent "%{User-agent}i"
        ]
        pattern = re.compile(r'\s+'.join(parts) + r'\s*\Z')
        m = pattern.match(message)
        res = m.groupdict()

        if res["user"] == "-":
            res["user"] = None

        res["status"] = int(res["status"])

        if res["size"] == "-":
            res["size"] = 0
        else:
            res["size"] = int(res["size"])

        if res["referer"] == "-":
            res["referer"] = None

        event_dict.update(res)

    return event_dict


def main():
    timestamper = structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S")
    pre_chain = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        timestamper,
        combined_logformat,
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        processor=structlog.processors.JSONRenderer(),
        foreign_pre_chain=pre_chain,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    logger = logging.getLogger("gunicorn.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for line in sys.stdin:
        logger.info(line.rstrip("\n"))


if __name__ == "__main__":
    main()

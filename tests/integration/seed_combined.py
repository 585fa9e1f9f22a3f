"""The seed's access-line processor, reproduced for logchain's integration test.

The structlog setup logchain replaces adds one processor after TimeStamper:
for records of the gunicorn.access logger it matches the event against a
combined-log-format regular expression (the nine parts below joined by \\s+,
ended by \\s*\\Z, applied with re.match) and updates the event dict with the
named groups, converted: a "-" user or referer becomes None, status becomes
int, size becomes int (0 for "-"). When the expression does not match, the
seed calls .groupdict() on None: the AttributeError reaches logging, which
prints "--- Logging error ---" on stderr and drops the record. That failure
is kept here on purpose, because it is what logchain is compared against.
"""
import re

PARTS = (
    r"(?P<host>\S+)",  # %h
    r"\S+",  # %l
    r"(?P<user>\S+)",  # %u
    r"\[(?P<time>.+)\]",  # %t
    r'"(?P<request>.+)"',  # "%r"
    r"(?P<status>[0-9]+)",  # %s
    r"(?P<size>\S+)",  # %b
    r'"(?P<referer>.*)"',  # "%(f)s"
    r'"(?P<agent>.*)"',  # "%(a)s"
)
ACCESS_LINE = re.compile(r"\s+".join(PARTS) + r"\s*\Z")


def combined_logformat(logger, method_name, event_dict):
    """structlog processor: splits gunicorn.access events as the seed does."""
    if event_dict.get("logger") != "gunicorn.access":
        return event_dict
    match = ACCESS_LINE.match(event_dict["event"])
    groups = match.groupdict()  # AttributeError when there is no match, as in the seed
    groups["user"] = None if groups["user"] == "-" else groups["user"]
    groups["status"] = int(groups["status"])
    groups["size"] = 0 if groups["size"] == "-" else int(groups["size"])
    groups["referer"] = None if groups["referer"] == "-" else groups["referer"]
    event_dict.update(groups)
    return event_dict


def seed_would_fail(event):
    """Why the seed's processor raises on an access event, or None when it does not."""
    try:
        combined_logformat(None, "info", {"event": event, "logger": "gunicorn.access"})
    except Exception as exc:  # the seed lets any of these reach logging
        return "%s: %s" % (type(exc).__name__, exc)
    return None

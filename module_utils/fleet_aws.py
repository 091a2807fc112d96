# -*- coding: utf-8 -*-
"""AWS plumbing shared by this project's modules, on boto3/botocore alone.

One connection object per service and region gives every module the same behaviour:
the common connection options, botocore's retry configuration plus our own jittered backoff
on throttling, paginated listings, waiters bounded by a timeout, writes skipped in check mode,
and every AWS error turned into a fail_json that says what failed and why.
"""

from __future__ import annotations

import contextlib
import random
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

try:
    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError, WaiterError
    from botocore.parsers import ResponseParserError
except ImportError:
    BOTO_IMPORT_ERROR = traceback.format_exc()
    boto3 = botocore = Config = None
    BotoCoreError = ClientError = WaiterError = ResponseParserError = Exception
else:
    BOTO_IMPORT_ERROR = None

# Everything botocore raises for a failed call; an unparsable answer (an endpoint that answers
# HTML, say) is not a BotoCoreError.
AWS_ERRORS = (ClientError, BotoCoreError, ResponseParserError)

# Error codes AWS answers with when a caller is over its request rate.
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)

# Our backoff sits on top of botocore's own retries, for bursts that outlast them
# (e.g. deleting hundreds of snapshots while other tools hit the same API).
BACKOFF_TRIES = 5
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 20.0
# RDS describe calls return at most 100 records per page.
PAGE_SIZE = 100

_sleep = time.sleep


def aws_argument_spec():
    """Connection options every module of this project accepts."""
    return dict(
        region=dict(type="str", aliases=["aws_region"], fallback=(env_fallback, ["AWS_REGION", "AWS_DEFAULT_REGION"])),
        profile=dict(type="str", aliases=["aws_profile"]),
        access_key=dict(type="str", aliases=["aws_access_key_id"], no_log=False),
        secret_key=dict(type="str", aliases=["aws_secret_access_key"], no_log=True),
        session_token=dict(type="str", aliases=["aws_session_token"], no_log=True),
        endpoint_url=dict(type="str", aliases=["aws_endpoint_url"]),
        ca_bundle=dict(type="path", aliases=["aws_ca_bundle"]),
        retry_mode=dict(type="str", choices=["standard", "adaptive"], default="standard"),
        max_attempts=dict(type="int", default=5),
    )


def require_boto(module):
    if BOTO_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("boto3 and botocore"), exception=BOTO_IMPORT_ERROR)


def create_client(module, service, region=None):
    """A boto3 client built from the module's connection options (environment as fallback)."""
    params = module.params
    session = boto3.session.Session(
        profile_name=params.get("profile"),
        aws_access_key_id=params.get("access_key"),
        aws_secret_access_key=params.get("secret_key"),
        aws_session_token=params.get("session_token"),
    )
    config = Config(
        retries={"mode": params.get("retry_mode") or "standard", "total_max_attempts": params.get("max_attempts") or 5},
        user_agent_extra="fleet-ansible-modules",
    )
    return session.client(
        service,
        region_name=region or params.get("region"),
        endpoint_url=params.get("endpoint_url"),
        verify=params.get("ca_bundle"),
        config=config,
    )


def error_code(exc):
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "")
    return ""


def describe_error(exc):
    """`code: message` for an AWS error, botocore's own text for local failures."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return "{0}: {1}".format(error.get("Code", "Unknown"), error.get("Message", "no message"))
    return "{0}: {1}".format(type(exc).__name__, exc)


def with_backoff(call, *args, **kwargs):
    """Call, retrying throttling errors with full-jitter exponential backoff."""
    for attempt in range(BACKOFF_TRIES):
        try:
            return call(*args, **kwargs)
        except ClientError as exc:
            if error_code(exc) not in THROTTLING_CODES or attempt == BACKOFF_TRIES - 1:
                raise
            _sleep(random.uniform(0, min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)))
    raise AssertionError("unreachable")


class AwsConnection:
    """One service client bound to a module: reads, writes, listings and waits."""

    def __init__(self, module, service, region=None):
        require_boto(module)
        self.module = module
        self.region = region or module.params.get("region")
        with self.failing_on_error("creating the {0} client for region {1}".format(service, self.region)):
            self.client = create_client(module, service, region)
        self.pages_read = 0

    @contextlib.contextmanager
    def failing_on_error(self, what, **result):
        """Turn any AWS/botocore error raised inside into fail_json naming `what`."""
        try:
            yield
        except AWS_ERRORS as exc:
            self.fail(what, exc, **result)

    def fail(self, what, exc, **result):
        error = {"code": error_code(exc), "message": str(exc)}
        self.module.fail_json(msg="{0} failed: {1}".format(what, describe_error(exc)), error=error, **result)

    def call(self, what, operation, on_error=None, **kwargs):
        """A read (or a write already decided on): retried; errors become fail_json carrying `on_error`."""
        with self.failing_on_error(what, **(on_error or {})):
            return with_backoff(getattr(self.client, operation), **kwargs)

    def change(self, what, operation, on_error=None, **kwargs):
        """A write. The one place that decides check mode: nothing is sent, None comes back."""
        if self.module.check_mode:
            return None
        return self.call(what, operation, on_error=on_error, **kwargs)

    def paginate(self, what, operation, result_key, **kwargs):
        """Every item of a paginated listing; a throttled listing restarts from the first page."""

        def read_all():
            items, pages = [], 0
            paginator = self.client.get_paginator(operation)
            for page in paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE}, **kwargs):
                pages += 1
                items.extend(page.get(result_key, []))
            return items, pages

        with self.failing_on_error(what):
            items, pages = with_backoff(read_all)
        self.pages_read += pages
        return items

    def find(self, what, operation, result_key, not_found_codes, match=None, **kwargs):
        """The first item a describe call returns (that `match` accepts, when given), or None
        when AWS says it does not exist."""
        try:
            items = with_backoff(getattr(self.client, operation), **kwargs).get(result_key, [])
        except ClientError as exc:
            if error_code(exc) in not_found_codes:
                return None
            self.fail(what, exc)
        except AWS_ERRORS as exc:
            self.fail(what, exc)
        return next((item for item in items if match is None or match(item)), None)

    def wait(self, what, waiter_name, timeout, delay=15, **kwargs):
        """Wait with a botocore waiter whose sleeps add up to no more than `timeout` seconds."""
        delay = max(1, min(delay, timeout))
        attempts = 1 + timeout // delay
        try:
            self.client.get_waiter(waiter_name).wait(WaiterConfig={"Delay": delay, "MaxAttempts": attempts}, **kwargs)
        except WaiterError as exc:
            if "Max attempts exceeded" in str(exc):
                reason = "still not done after {0} seconds".format(timeout)
            else:
                reason = "it reached a state it cannot leave ({0})".format(exc.kwargs.get("reason"))
            self.module.fail_json(msg="{0} failed: {1}".format(what, reason), last_response=jsonable(exc.last_response))
        except AWS_ERRORS as exc:
            self.fail(what, exc)


def jsonable(value):
    """An AWS response made fit for a module result: timestamps as ISO 8601, no metadata."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

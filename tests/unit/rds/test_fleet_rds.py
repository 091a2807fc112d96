"""RDS identifiers as AWS treats them: compared in lower case, and AWS's rules for valid ones.

AWS (and moto 5.2.5) stores the identifiers of DB instances, clusters and snapshots in lower
case, so `Orders-DB` and `orders-db` name the same database; AWS refuses an identifier that
breaks its rules, which the modules check first so that check mode does not report a change
AWS would refuse.
"""

import pytest
import rds_harness  # noqa: F401  (puts module_utils on ansible.module_utils' path)

from ansible.module_utils.fleet_rds import identifier_problem, normalize_identifier, same_identifier


def test_identifiers_and_arns_compare_in_lower_case():
    assert normalize_identifier("Orders-DB-Before-Upgrade") == "orders-db-before-upgrade"
    assert normalize_identifier("arn:aws:rds:ap-southeast-3:123456789012:db:Orders-DB") == (
        "arn:aws:rds:ap-southeast-3:123456789012:db:orders-db"
    )
    assert normalize_identifier(None) is None
    assert same_identifier("Orders-DB", "orders-db")
    assert not same_identifier("orders-db", "orders-db2")
    assert not same_identifier(None, "orders-db")


@pytest.mark.parametrize(
    "value",
    ["a", "A", "a" * 255, "Orders-DB-Before-Upgrade", "e1-db-chg-1234", "x1-2-3"],
    ids=["1-char", "1-upper-char", "255-chars", "mixed-case", "usual", "digits-and-hyphens"],
)
def test_valid_snapshot_identifiers(value):
    assert identifier_problem("snapshot_identifier", value, "snapshot") is None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("", "it must be 1 to 255 characters long, not 0"),
        ("a" * 256, "it must be 1 to 255 characters long, not 256"),
        ("e1_db.chg", "it may contain only letters, digits and hyphens, not '.' '_'"),
        ("1abc", "it must start with a letter"),
        ("-abc", "it must start with a letter"),
        ("e1--db", "it must not contain two consecutive hyphens"),
        ("e1-db-", "it must not end with a hyphen"),
    ],
    ids=["empty", "too-long", "characters", "digit-first", "hyphen-first", "double-hyphen", "trailing-hyphen"],
)
def test_each_snapshot_identifier_rule(value, reason):
    assert identifier_problem("snapshot_identifier", value, "snapshot") == (
        "snapshot_identifier {0!r} is not a valid RDS snapshot identifier: {1}".format(value, reason)
    )


def test_every_broken_rule_is_named():
    assert identifier_problem("snapshot_identifier", "1a--b-", "snapshot") == (
        "snapshot_identifier '1a--b-' is not a valid RDS snapshot identifier: it must start with a letter; "
        "it must not contain two consecutive hyphens; it must not end with a hyphen"
    )


def test_automated_snapshot_identifiers_are_not_manual_ones():
    assert identifier_problem("snapshot_identifier", "rds:e1-db-2025-06-01-17-05", "snapshot").endswith(
        "it may contain only letters, digits and hyphens, not ':'"
    )


@pytest.mark.parametrize("noun", ["DB instance", "DB cluster"])
def test_database_identifiers_are_at_most_63_characters(noun):
    assert identifier_problem("db_identifier", "a" * 63, noun) is None
    assert identifier_problem("db_identifier", "Orders-DB", noun) is None
    assert identifier_problem("db_identifier", "a" * 64, noun) == (
        "db_identifier '{0}' is not a valid RDS {1} identifier: it must be 1 to 63 characters long, not 64".format(
            "a" * 64, noun
        )
    )
    assert identifier_problem("db_identifier", "orders_db", noun).endswith("not '_'")

"""Filters of the monthly audit (playbooks/audit.yml): each SOP quality check's verdict from what
was read, and the report on screen and in Markdown.

A check's result is {check, title, status, detail}: status is passed, failed or not_available
(the endpoint cannot answer it: never counted as passed).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ansible.errors import AnsibleFilterError

PASSED, FAILED, NOT_AVAILABLE = "passed", "failed", "not_available"
# The SOP's "Quality Checks", in the report's order, with the line each stands for.
TITLES = {
    "uptime": "Uptime above 99.5 % this month",
    "backups": "Every daily backup of the last 30 days present",
    "autoscaling": "Auto-scaling functioning",
    "security_updates": "No app server with pending security updates",
    "certificates": "Every certificate valid for more than 14 days",
    "alarms": "Every health alarm present, with its threshold, wired to the on-call topic",
    "security_groups": "Security groups as the SOP and the host firewall say",
    "maintenance": "The last maintenance run's report present and successful",
    "restore_drill": "A restore drill this month, within the 4-hour target",
}


def result(check, status, detail):
    if check not in TITLES or status not in (PASSED, FAILED, NOT_AVAILABLE):
        raise AnsibleFilterError(f"fleet_audit: no check {check!r} or status {status!r}")
    return {"check": check, "title": TITLES[check], "status": status, "detail": detail}


def _utc(text):
    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def _now(now):
    return _utc(now) if now else dt.datetime.now(dt.timezone.utc)


def fleet_audit_maintenance(report_root, environment, max_age_days=35, now=None):
    """The newest real (not --check) maintenance run's report under REPORT_ROOT/ENVIRONMENT/<UTC
    timestamp>/report.json: passed when it succeeded no more than MAX_AGE_DAYS ago (first Sunday
    to first Sunday is at most 35 days)."""
    folder = Path(str(report_root)) / str(environment)
    runs = []
    for path in sorted(folder.glob("*/report.json")) if folder.is_dir() else []:
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if not report.get("check_mode"):
            runs.append((path.parent, report))
    if not runs:
        return result("maintenance", FAILED, f"no maintenance run's report in {folder}")
    path, report = runs[-1]
    when = report.get("finished") or report.get("started")
    age = (_now(now) - _utc(when)).days if when else None
    detail = f"{path.name}: {report.get('status', 'no status')}, finished {when or 'never'}"
    if report.get("status") != "succeeded":
        return result("maintenance", FAILED, detail)
    if age is None or age > int(max_age_days):
        return result("maintenance", FAILED, f"{detail}: older than {max_age_days} days")
    return result("maintenance", PASSED, detail)


_WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def fleet_audit_restore_drill(drill, now=None):
    """DRILL: the newest restore drill's record (fleet_last_drill), or None. Passed when it ran in
    this calendar month (WIB, as the SOP's months are), succeeded and restored within its target."""
    if not drill:
        return result("restore_drill", FAILED, "no restore drill recorded (fleet restore-drill makes one)")
    started = _utc(drill.get("started"))
    month = _now(now).astimezone(_WIB).strftime("%Y-%m")
    seconds = drill.get("available_after_seconds")
    took = f"{float(seconds) / 60:.1f} min" if seconds not in (None, "") else "no restore time"
    detail = (f"last drill {started.strftime('%Y-%m-%d %H:%M')} UTC: {drill.get('status')}, available after {took}"
              f" of the {float(drill.get('target_hours', 4)):g} h target")
    if started.astimezone(_WIB).strftime("%Y-%m") != month:
        return result("restore_drill", FAILED, f"{detail}; none this month ({month})")
    if drill.get("status") != "succeeded" or not drill.get("within_target"):
        return result("restore_drill", FAILED, detail + (f": {drill['failure']}" if drill.get("failure") else ""))
    return result("restore_drill", PASSED, detail)


def fleet_audit_security_updates(pending_by_host):
    """PENDING_BY_HOST: host -> the upgrades its security origins offer ([{name, from, to}]), or
    None when the host could not be asked."""
    if not isinstance(pending_by_host, dict):
        raise AnsibleFilterError("fleet_audit_security_updates expects host -> list of upgrades")
    if not pending_by_host:
        return result("security_updates", NOT_AVAILABLE, "no app server in the inventory to ask")
    unasked = sorted(host for host, found in pending_by_host.items() if found is None)
    pending = {host: found for host, found in sorted(pending_by_host.items()) if found}
    problems = [f"{host}: " + ", ".join(f"{u['name']} {u['from']} -> {u['to']}" for u in found) for host, found in pending.items()]
    problems += [f"{host}: could not be asked" for host in unasked]
    if problems:
        return result("security_updates", FAILED, "; ".join(problems))
    return result("security_updates", PASSED, f"{len(pending_by_host)} app servers asked, none pending")


def fleet_audit_certificates(expiry_by_host, min_days):
    """EXPIRY_BY_HOST: host -> {rc, lines} of the expiry check (fleet-cert-expiry), or None when
    the host could not be asked."""
    if not isinstance(expiry_by_host, dict):
        raise AnsibleFilterError("fleet_audit_certificates expects host -> expiry check result")
    if not expiry_by_host:
        return result("certificates", NOT_AVAILABLE, "no app server in the inventory to ask")
    problems, served = [], 0
    for host, found in sorted(expiry_by_host.items()):
        if found is None:
            problems.append(f"{host}: could not be asked")
            continue
        lines = [str(line) for line in found.get("lines") or []]
        served += sum(1 for line in lines if line.startswith("OK "))
        if int(found.get("rc", 2)) != 0:
            problems.append(f"{host}: " + " | ".join(line for line in lines if not line.startswith("OK ")))
    if problems:
        return result("certificates", FAILED, f"less than {min_days} days left or unreadable: " + "; ".join(problems))
    return result("certificates", PASSED, f"{served} served certificates on {len(expiry_by_host)} app servers, each valid more than {min_days} days")


def fleet_audit_host_answers(hosts, hostvars):
    """{pending: {host: upgrades or None}, expiry: {host: {rc, lines} or None}} from what each app
    server answered (platform_audit's host entry point); a host without an answer (unreachable,
    failed) is None in both, which the checks report as not asked."""
    answers = {"pending": {}, "expiry": {}}
    for host in hosts:
        answer = (hostvars.get(host) or {}).get("platform_audit_host_answer") or {}
        answers["pending"][host] = answer.get("pending")
        answers["expiry"][host] = answer.get("expiry")
    return answers


def fleet_audit_verdict(results):
    failed = [r["check"] for r in results if r["status"] == FAILED]
    return {"status": FAILED if failed else PASSED, "failed": failed,
            "not_available": [r["check"] for r in results if r["status"] == NOT_AVAILABLE]}


def _ordered(results):
    order = list(TITLES)
    return sorted(results, key=lambda r: order.index(r["check"]) if r["check"] in order else len(order))


_MARK = {PASSED: "PASS", FAILED: "FAIL", NOT_AVAILABLE: "N/A"}


def fleet_audit_table(results):
    """The report on screen: a line per check (mark, title, detail: whole, as an operator needs
    the reason), the verdict last."""
    lines = [f"{_MARK[found['status']]:<4}  {TITLES.get(found['check'], found['check'])}: {found['detail']}"
             for found in _ordered(results)]
    verdict = fleet_audit_verdict(results)
    lines.append(f"audit {verdict['status']}: {len(results) - len(verdict['failed']) - len(verdict['not_available'])} passed,"
                 f" {len(verdict['failed'])} failed ({', '.join(verdict['failed']) or 'none'}),"
                 f" {len(verdict['not_available'])} not available on this endpoint ({', '.join(verdict['not_available']) or 'none'})")
    return lines


def fleet_audit_markdown(report):
    """report.md of an audit report (report.json's content)."""
    verdict = report["verdict"]
    out = [f"# Monthly audit: {report['environment']}", "",
           f"- Started {report['started']}, finished {report['finished']}",
           f"- Verdict: **{verdict['status']}**" + (f" (failed: {', '.join(verdict['failed'])})" if verdict["failed"] else ""),
           "", "| check | result | detail |", "|---|---|---|"]
    for found in _ordered(report["checks"]):
        detail = str(found["detail"]).replace("|", "\\|")
        out.append(f"| {TITLES.get(found['check'], found['check'])} | {_MARK[found['status']]} | {detail} |")
    out += ["", "N/A: the endpoint cannot answer this check (the local stand-in lacks the API or the data); it is never counted as passed."]
    return "\n".join(out) + "\n"


class FilterModule:
    def filters(self):
        return {"fleet_audit_certificates": fleet_audit_certificates, "fleet_audit_host_answers": fleet_audit_host_answers,
                "fleet_audit_maintenance": fleet_audit_maintenance,
                "fleet_audit_markdown": fleet_audit_markdown, "fleet_audit_restore_drill": fleet_audit_restore_drill, "fleet_audit_security_updates": fleet_audit_security_updates,
                "fleet_audit_table": fleet_audit_table, "fleet_audit_verdict": fleet_audit_verdict,
                "fleet_audit_result": result}

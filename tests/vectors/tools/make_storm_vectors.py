"""Writes tests/vectors/storm.json.

Expected outcomes are worked out by hand from the rules in core/src/storm (comments give the
arithmetic). Two things come from independent reference code written here from the public
specs, not from fleetops: Alertmanager fingerprints (Prometheus' LabelsToSignature: FNV-1a 64
over sorted `name 0xFF value 0xFF`) and Nagios' curved percent state change (a transliteration
of nagios/base/flapping.c's loop).
"""

import json
import pathlib

D = "2026-11-22T"


def t(hms):
    return f"{D}{hms}Z"


def fnv(labels):
    h = 14695981039346656037
    for k in sorted(labels, key=lambda s: s.encode()):
        for b in k.encode() + b"\xff" + labels[k].encode() + b"\xff":
            h ^= b
            h = (h * 1099511628211) % 2**64
    return h


def nagios_percent(history):
    """history: oldest..newest, up to 21 entries; a short history is padded at the old end
    with its first state, as Nagios fills a new history."""
    h = [history[0]] * (21 - len(history)) + list(history[-21:])
    curved = 0.0
    last = h[0]
    for x in range(1, 21):
        if h[x] != last:
            curved += ((x - 1) * (1.25 - 0.75)) / 19 + 0.75
        last = h[x]
    return curved * 100.0 / 20


S = {"window": "5m", "resolution": "1m", "enter_above": 3, "exit_below": 2, "cooldown": "2m",
     "fleet_enter": 3, "fleet_exit": 2}


def a(key, hms, firing=True, labels=None):
    out = {"key": key, "at": t(hms)}
    if not firing:
        out["status"] = "resolved"
    if labels:
        out["labels"] = labels
    return out


def det(name, alerts, actions, events=None, advance=None, advance_events=None, config=S, mutes=None,
        counts=None, about=None, now=None):
    c = {"name": name, "op": "detector", "config": config, "alerts": alerts, "expect": {"actions": actions}}
    if events is not None:
        c["expect"]["events"] = events
    if advance:
        c["advance"] = t(advance)
        c["expect"]["advance_events"] = advance_events
    if mutes is not None:
        c["mutes"] = mutes
    if counts:
        c["expect"]["counts"] = counts
    if about:
        c["about"] = about
    if now:
        c["now"] = t(now)
    return c


def started(key, hms, count):
    return {"event": "storm_started", "key": key, "at": t(hms), "count": count}


def ended(key, s, e, n):
    return {"event": "storm_ended", "key": key, "started_at": t(s), "ended_at": t(e), "suppressed": n}


N, SU, M = "notify", "suppress", "mute"
four = [a("A", "08:00:00"), a("A", "08:00:10"), a("A", "08:00:20"), a("A", "08:00:30")]
cases = [
    det("at the threshold: no storm", four[:3], [N, N, N], events=[]),
    det("the crossing alert starts the storm and is summarised", four, [N, N, N, SU],
        events=[started("A", "08:00:30", 4)]),
    det("alerts after the start are suppressed; still storming before the cool-down ends",
        four + [a("A", "08:00:40"), a("A", "08:00:50")], [N, N, N, SU, SU, SU],
        advance="08:06:59", advance_events=[],
        about="bucket 08:00 holds 6 >= exit 2 until the window ending 08:04 leaves it; end = 08:05 + 2 m = 08:07"),
    det("the storm ends after the cool-down with the suppressed count",
        four + [a("A", "08:00:40"), a("A", "08:00:50")], [N, N, N, SU, SU, SU],
        advance="08:07:00", advance_events=[ended("A", "08:00:30", "08:07:00", 2)],
        counts={"alerts": 6, "notified": 3, "suppressed_storm": 3, "storms": 1}),
    det("the key's next alert reports the end, then is judged afresh",
        four + [a("A", "08:00:40"), a("A", "08:07:00")], [N, N, N, SU, SU, N],
        events=[started("A", "08:00:30", 4), ended("A", "08:00:30", "08:07:00", 1)]),
    det("hysteresis: a trickle at the exit rate keeps the storm",
        four + [a("A", "08:03:00"), a("A", "08:06:00"), a("A", "08:09:00")], [N, N, N, SU, SU, SU, SU],
        advance="08:13:00", advance_events=[ended("A", "08:00:30", "08:13:00", 3)],
        about="08:06 makes buckets 03 and 06 count 2 until the window ending 08:07; 08:09 until 08:10; end 08:11 + 2 m"),
    det("hysteresis: below the exit rate the storm ends on time",
        four + [a("A", "08:05:00"), a("A", "08:07:00")], [N, N, N, SU, SU, N],
        events=[started("A", "08:00:30", 4), ended("A", "08:00:30", "08:07:00", 1)],
        about="08:05 alone is 1 < 2: the end stays 08:07; at 08:07 the window (08:03..08:07] holds 2, not > 3"),
    det("storms are per key", four[:3] + [a("B", "08:00:31"), a("B", "08:00:32"), a("B", "08:00:33"), a("A", "08:00:34")],
        [N, N, N, N, N, N, SU], events=[started("A", "08:00:34", 4)]),
    det("the window slides: old buckets leave it",
        [a("A", "08:00:00"), a("A", "08:00:10"), a("A", "08:00:20"), a("A", "08:05:00")], [N, N, N, N], events=[],
        about="at 08:05 the window is buckets 08:01..08:05: count 1"),
    det("the window still holds the bucket 4 minutes later",
        [a("A", "08:00:00"), a("A", "08:00:10"), a("A", "08:00:20"), a("A", "08:04:59")], [N, N, N, SU],
        events=[started("A", "08:04:59", 4)]),
    det("resolved alerts do not count toward the rate",
        [a("A", "08:00:00"), a("A", "08:00:10"), a("A", "08:00:20"), a("A", "08:00:30", False)], [N, N, N, N], events=[]),
    det("fleet-wide storm instead of per-key ones",
        [a(k, f"08:00:{i * 4 + j:02d}") for i, k in enumerate("ABCD") for j in range(4)] + [a("C", "08:00:20")],
        [N, N, N, SU] * 4 + [SU],
        events=[started("A", "08:00:03", 4), started("B", "08:00:07", 4),
                {"event": "fleet_storm_started", "at": t("08:00:11"), "keys": 3}],
        advance="08:07:00",
        advance_events=[ended("A", "08:00:03", "08:07:00", 0), ended("B", "08:00:07", "08:07:00", 0),
                        {"event": "fleet_storm_ended", "started_at": t("08:00:11"), "ended_at": t("08:07:00"),
                         "keys": 4, "suppressed": 1}],
        counts={"storms": 4, "fleet_storms": 1},
        about="C makes 3 keys storm (fleet_enter 3); D storms inside it; the fleet storm ends when fewer than 2 storm"),
    det("a late alert is passed on and not counted", four[:3] + [a("A", "08:10:00"), a("A", "08:04:59")], [N, N, N, N, N],
        counts={"late": 1}),
    det("a future alert is passed on and not counted", [a("A", "08:05:01")] + four[:3], [N, N, N, N],
        now="08:00:00", counts={"future": 1, "notified": 4}),
    det("exactly max_future ahead is counted", [a("A", "08:05:00")], [N], now="08:00:00", counts={"future": 0}),
]

flappy = [a("F", "08:00:00"), a("F", "08:00:10", False), a("F", "08:00:20"), a("F", "08:00:30", False), a("F", "08:00:40")]
cases.append(det("a flapping key is suppressed and reported once", flappy, [N, N, N, N, SU],
                 events=[{"event": "flap_started", "key": "F", "percent": nagios_percent([1, 0, 1, 0, 1]), "at": t("08:00:40")}],
                 about="F R F R F: 4 changes weighted 1.171 + 1.197 + 1.224 + 1.25 = 4.842 of 20 -> 24.2 % > 20"))

mute_a = {"id": "ks-1", "key": "A", "starts_at": t("08:00:00"), "ends_at": t("09:00:00"), "reason": "defective sensor"}
cases += [
    det("a key mute applies from its start", [a("A", "08:00:00")], [M], mutes=[mute_a], counts={"muted": 1}),
    det("a mute stops applying at its end, to the second", [a("A", "08:59:59"), a("A", "09:00:00")], [M, N], mutes=[mute_a]),
    det("a mute does not apply before its start", [a("A", "07:59:59")], [N], mutes=[mute_a]),
    det("a mute of another key does not apply", [a("B", "08:30:00")], [N], mutes=[mute_a]),
    det("a matcher mute", [a("A", "08:10:00", labels={"alertname": "SensorFault", "sensor": "temp-2"}),
                           a("A", "08:10:01", labels={"alertname": "LowFuel"})], [M, N],
        mutes=[{"id": "m2", "matchers": [{"name": "alertname", "op": "=~", "value": "Sensor.*"}],
                "starts_at": t("08:00:00"), "ends_at": t("12:00:00")}]),
    det("muted alerts never start a storm", four, [M, M, M, M], mutes=[mute_a], events=[], counts={"muted": 4, "storms": 0}),
    # Maintenance windows mute every alert inside them (counted, never storming).
    det("a maintenance window mutes every alert inside it, to the second",
        [a("A", "07:59:59"), a("A", "08:00:00"), a("B", "08:59:59"), a("A", "09:00:00")], [N, M, M, N],
        config={**S, "maintenance": [{"name": "upgrade", "start": t("08:00:00"), "end": t("09:00:00")}]},
        counts={"muted": 2, "notified": 2}),
    det("alerts inside maintenance never start a storm", four, [M, M, M, M], events=[],
        config={**S, "maintenance": [{"name": "upgrade", "start": t("08:00:00"), "end": t("09:00:00")}]},
        counts={"muted": 4, "storms": 0}),
    det("a recurring window mutes each day",
        [a("A", "08:30:00"), {"key": "A", "at": "2026-11-23T08:30:00Z"}, {"key": "A", "at": "2026-11-23T09:30:00Z"}],
        [M, M, N], config={**S, "maintenance": [{"name": "daily", "cron": "0 8 * * *", "duration": "1h"}]},
        counts={"muted": 2}),
    det("user mutes and maintenance side by side", [a("A", "08:10:00"), a("B", "09:10:00"), a("B", "09:40:00")], [M, M, N],
        mutes=[mute_a], config={**S, "maintenance": [{"name": "x", "start": t("08:30:00"), "end": t("09:30:00")}]},
        counts={"muted": 2}),
    {"name": "a mute needs a key or a matcher", "op": "detector", "config": S, "alerts": [],
     "mutes": [{"id": "x", "starts_at": t("08:00:00"), "ends_at": t("09:00:00")}], "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "a mute must end after it starts", "op": "detector", "config": S, "alerts": [],
     "mutes": [{"id": "x", "key": "A", "starts_at": t("09:00:00"), "ends_at": t("09:00:00")}], "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "exit above enter is refused", "op": "detector", "config": {**S, "exit_below": 4}, "alerts": [],
     "expect": {"error": "INVALID_THRESHOLD"}},
    {"name": "a window that is not whole resolutions is refused", "op": "detector", "config": {**S, "resolution": "7m"},
     "alerts": [], "expect": {"error": "INVALID_DURATION"}},
    {"name": "a naive alert time is refused", "op": "detector", "config": S,
     "alerts": [{"key": "A", "at": "2026-11-22T08:00:00"}], "expect": {"error": "NAIVE_TIMESTAMP"}},
]

for name, labels in [("empty label set", {}), ("one label", {"alertname": "HighTemp"}),
                     ("two labels", {"alertname": "HighTemp", "vehicle_id": "TRK-042"}),
                     ("unicode value", {"alertname": "Störung", "depot": "Straße 🚚"}),
                     ("empty value", {"alertname": "HighTemp", "sensor": ""}),
                     ("names sort by bytes", {"Z": "1", "a": "2", "_": "3"})]:
    cases.append({"name": f"fingerprint: {name}", "op": "fingerprint", "labels": labels,
                  "expect": {"fingerprint": str(fnv(labels))}})
cases.append({"name": "fingerprint: label order does not matter", "op": "fingerprint",
              "labels": [["vehicle_id", "TRK-042"], ["alertname", "HighTemp"]],
              "expect": {"fingerprint": str(fnv({"alertname": "HighTemp", "vehicle_id": "TRK-042"}))}})

for name, m, labels, want in [
    ("equal matches", ["vehicle_id", "=", "TRK-042"], {"vehicle_id": "TRK-042"}, True),
    ("equal is exact", ["vehicle_id", "=", "TRK-04"], {"vehicle_id": "TRK-042"}, False),
    ("not equal", ["vehicle_id", "!=", "TRK-042"], {"vehicle_id": "TRK-043"}, True),
    ("regex is anchored", ["vehicle_id", "=~", "0.*"], {"vehicle_id": "TRK-042"}, False),
    ("regex matches the whole value", ["vehicle_id", "=~", "TRK-0.*"], {"vehicle_id": "TRK-042"}, True),
    ("regex alternation is anchored as a whole", ["alertname", "=~", "High|Low"], {"alertname": "HighTemp"}, False),
    ("not regex", ["alertname", "!~", "Sensor.*"], {"alertname": "LowFuel"}, True),
    ("a missing label is the empty string: equal empty", ["sensor", "=", ""], {"alertname": "x"}, True),
    ("a missing label is the empty string: not equal", ["sensor", "!=", "temp"], {"alertname": "x"}, True),
    ("a missing label matches =~ .*", ["sensor", "=~", ".*"], {}, True),
    ("a missing label does not match =~ .+", ["sensor", "=~", ".+"], {}, False),
    ("unicode regex", ["depot", "=~", "Stra(ß|ss)e"], {"depot": "Straße"}, True),
]:
    cases.append({"name": f"matcher: {name}", "op": "matcher",
                  "matcher": {"name": m[0], "op": m[1], "value": m[2]}, "labels": labels, "expect": {"matches": want}})
cases.append({"name": "matcher: a bad regex is refused", "op": "matcher",
              "matcher": {"name": "a", "op": "=~", "value": "(unclosed"}, "labels": {}, "expect": {"error": "INVALID_ARGUMENT"}})


def flap(name, states, about=None):
    hist, percents, flapping, on = [], [], [], False
    for s in states:
        hist.append(s)
        p = nagios_percent(hist) if len(hist) > 1 else 0.0
        if not on and p > 20:
            on = True
        elif on and p < 5:
            on = False
        percents.append(p)
        flapping.append(on)
    c = {"name": f"flap: {name}", "op": "flap", "states": states, "expect": {"percents": percents, "flapping": flapping}}
    if about:
        c["about"] = about
    return c


cases += [
    flap("steady states never flap", [True] * 25),
    flap("21 alternating states are 100 %", [i % 2 == 0 for i in range(21)]),
    flap("one change, newest: 6.25 %", [True] * 20 + [False]),
    flap("one change, oldest: 3.75 %", [False] + [True] * 20),
    flap("hysteresis: flapping until below 5 %", [True, False, True, False, True] + [True] * 19,
         about="24.2 % starts it; it stops only when the last change is the oldest: 3.75 %"),
]


def lim(name, config, reqs, want, about=None):
    c = {"name": f"limit: {name}", "op": "limit", "config": config,
         "requests": [[k, t(x)] for k, x in reqs], "expect": {"decisions": want}}
    if about:
        c["about"] = about
    return c


def ok(rem):
    return {"allowed": True, "remaining": rem, "retry_after": 0.0}


def no(retry):
    return {"allowed": False, "remaining": 0, "retry_after": retry}


cases += [
    lim("the runbook's 60 a minute: the 61st waits 1 s", {}, [["c1", "08:00:00"]] * 61,
        [ok(59 - i) for i in range(60)] + [no(1.0)]),
    lim("after the wait one more is allowed", {}, [["c1", "08:00:00"]] * 61 + [["c1", "08:00:01"]],
        [ok(59 - i) for i in range(60)] + [no(1.0), ok(0)]),
    lim("a steady 1 per second never runs out", {}, [["c1", f"08:00:0{i}"] for i in range(5)], [ok(59)] * 5),
    lim("no burst: the second at once waits a full interval", {"burst": 1}, [["c1", "08:00:00"]] * 2, [ok(0), no(1.0)]),
    lim("2 per 10 s", {"limit": 2, "period": "10s"}, [["c1", "08:00:00"]] * 3, [ok(1), ok(0), no(5.0)],
        about="interval 5 s; the third would need tat 15 s <= t + 10 s"),
    lim("keys are independent", {"limit": 1, "period": "1m"}, [["a", "08:00:00"], ["a", "08:00:00"], ["b", "08:00:00"]],
        [ok(0), no(60.0), ok(0)]),
    lim("sliding window: never more than 3 in 10 s", {"limit": 3, "period": "10s", "mode": "sliding_window"},
        [["c", "08:00:00"], ["c", "08:00:01"], ["c", "08:00:02"], ["c", "08:00:03"], ["c", "08:00:10"]],
        [ok(2), ok(1), ok(0), no(7.0), ok(0)], about="at 08:00:10 the 08:00:00 request has left (0 <= 10 - 10)"),
    {"name": "limit: a zero limit is refused", "op": "limit", "config": {"limit": 0}, "requests": [],
     "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "limit: a zero period is refused", "op": "limit", "config": {"period": 0}, "requests": [],
     "expect": {"error": "INVALID_DURATION"}},
    {"name": "limit: an unknown mode is refused", "op": "limit", "config": {"mode": "token"}, "requests": [],
     "expect": {"error": "INVALID_ARGUMENT"}},
]


def esc(name, alerts, now, want, policy=None):
    c = {"name": f"escalation: {name}", "op": "escalation", "alerts": alerts, "now": now,
         "expect": {"due": [{"id": i, "action": act, "level": lvl, "due_at": at} for i, act, lvl, at in want]}}
    if policy:
        c["policy"] = policy
    return c


W = {"id": "w1", "raised_at": t("08:00:00"), "severity": "warning"}
C0 = {"id": "p0", "raised_at": t("08:00:00"), "severity": "critical", "priority": "P0"}
C1 = {"id": "p1", "raised_at": t("08:00:00"), "severity": "critical", "priority": "P1"}
cases += [
    esc("warning to critical at exactly 4 h", [W], t("12:00:00"), [("w1", "escalate_to_critical", None, t("12:00:00"))]),
    esc("not a second before", [W], t("11:59:59"), []),
    esc("an acknowledged warning stays", [{**W, "acked_at": t("09:00:00")}], t("12:00:00"), []),
    esc("a critical alert does not escalate by severity", [{**W, "severity": "critical"}], t("12:00:00"), []),
    esc("auto-acknowledge after exactly 7 days", [{**W, "id": "old", "severity": "critical", "raised_at": "2026-11-15T08:00:00Z"}],
        t("08:00:00"), [("old", "auto_acknowledge", None, t("08:00:00"))]),
    esc("an actioned alert is not auto-acknowledged", [{**W, "severity": "critical", "raised_at": "2026-11-15T08:00:00Z",
                                                        "actioned_at": "2026-11-15T09:00:00Z"}], t("08:00:00"), []),
    esc("P0 response due after 15 min", [C0], t("08:15:00"), [("p0", "response_overdue", None, t("08:15:00"))]),
    esc("P0 pages L2 after 30 min", [C0], t("08:30:00"),
        [("p0", "response_overdue", None, t("08:15:00")), ("p0", "escalate_level", "L2", t("08:30:00"))]),
    esc("P0 pages L3 after 1 h", [C0], t("09:00:00"),
        [("p0", "response_overdue", None, t("08:15:00")), ("p0", "escalate_level", "L3", t("09:00:00"))]),
    esc("P1 pages L2 after 2 h", [C1], t("10:00:00"),
        [("p1", "response_overdue", None, t("09:00:00")), ("p1", "escalate_level", "L2", t("10:00:00"))]),
    esc("P1 pages L3 after 4 h", [C1], t("12:00:00"),
        [("p1", "response_overdue", None, t("09:00:00")), ("p1", "escalate_level", "L3", t("12:00:00"))]),
    esc("P2 response due after 4 h", [{**C1, "id": "p2", "priority": "P2"}], t("12:00:00"),
        [("p2", "response_overdue", None, t("12:00:00"))]),
    esc("P3 raised on Friday is due Monday 09:00", [{**C1, "id": "p3", "priority": "P3", "raised_at": "2026-11-20T15:00:00Z"}],
        "2026-11-23T09:00:00Z", [("p3", "response_overdue", None, "2026-11-23T09:00:00Z")]),
    esc("P3 raised on Wednesday night is due Thursday 09:00, not before",
        [{**C1, "id": "p3", "priority": "P3", "raised_at": "2026-11-18T22:00:00Z"}], "2026-11-19T08:59:59Z", []),
    esc("P3 business day in Amsterdam", [{**C1, "id": "p3", "priority": "P3", "raised_at": "2026-11-20T15:00:00Z"}],
        "2026-11-23T08:00:00Z", [("p3", "response_overdue", None, "2026-11-23T08:00:00Z")],
        policy={"timezone": "Europe/Amsterdam"}),
    esc("resolved alerts owe nothing", [{**C0, "resolved_at": t("08:10:00")}], t("12:00:00"), []),
    esc("a P0 warning: overdue, L3 and critical, by due time", [{**C0, "severity": "warning"}], t("12:00:00"),
        [("p0", "response_overdue", None, t("08:15:00")), ("p0", "escalate_level", "L3", t("09:00:00")),
         ("p0", "escalate_to_critical", None, t("12:00:00"))]),
]


def fp(labels):
    return f"{fnv(labels):016x}"


HT1 = {"alertname": "HighTemp", "vehicle_id": "TRK-1"}
HT2 = {"alertname": "HighTemp", "vehicle_id": "TRK-2"}
HT3 = {"alertname": "HighTemp", "vehicle_id": "TRK-3"}
LF = {"alertname": "LowFuel", "vehicle_id": "TRK-1"}


def note(labels_group, at, firing, new, resolved=(), repeat=False):
    return {"group": labels_group, "at": t(at), "firing": sorted(firing, key=lambda h: int(h, 16)),
            "new": sorted(new, key=lambda h: int(h, 16)), "resolved": sorted(resolved, key=lambda h: int(h, 16)),
            "repeat": repeat}


def grp(name, alerts, due, want, config=None):
    c = {"name": f"group: {name}", "op": "group", "alerts": [[l, t(x), f] for l, x, f in alerts],
         "due": [t(d) for d in due], "expect": {"notifications": want}}
    if config is not None:
        c["config"] = config
    return c


g = {"alertname": "HighTemp"}
cases += [
    grp("the first notification waits group_wait", [(HT1, "08:00:00", True)], ["08:00:29", "08:00:30"],
        [[], [note(g, "08:00:30", [fp(HT1)], [fp(HT1)])]]),
    grp("alerts within group_wait go out together", [(HT1, "08:00:00", True), (HT2, "08:00:10", True)], ["08:00:30"],
        [[note(g, "08:00:30", [fp(HT1), fp(HT2)], [fp(HT1), fp(HT2)])]]),
    grp("a later alert waits for the next group_interval",
        [(HT1, "08:00:00", True)], ["08:00:30"], [[note(g, "08:00:30", [fp(HT1)], [fp(HT1)])]]),
    grp("unchanged groups repeat after repeat_interval", [(HT1, "08:00:00", True)], ["08:00:30", "12:00:29", "12:00:30"],
        [[note(g, "08:00:30", [fp(HT1)], [fp(HT1)])], [], [note(g, "12:00:30", [fp(HT1)], [], repeat=True)]]),
    grp("resolved alerts are notified once, then the group is gone",
        [(HT1, "08:00:00", True), (HT1, "08:01:00", False)], ["08:00:30", "08:05:30", "12:00:30"],
        [[note(g, "08:00:30", [fp(HT1)], [fp(HT1)])], [note(g, "08:05:30", [], [], [fp(HT1)])], []]),
    grp("one group per alertname", [(HT1, "08:00:00", True), (LF, "08:00:00", True)], ["08:00:30"],
        [[note(g, "08:00:30", [fp(HT1)], [fp(HT1)]), note({"alertname": "LowFuel"}, "08:00:30", [fp(LF)], [fp(LF)])]]),
    grp("group_by nothing: one group", [(HT1, "08:00:00", True), (LF, "08:00:00", True)], ["08:00:30"],
        [[note({}, "08:00:30", [fp(HT1), fp(LF)], [fp(HT1), fp(LF)])]], config={"group_by": []}),
    grp("resolved before the first notification: sent as resolved", [(HT1, "08:00:00", True), (HT1, "08:00:10", False)],
        ["08:00:30"], [[note(g, "08:00:30", [], [], [fp(HT1)])]]),
    grp("custom timings", [(HT1, "08:00:00", True), (HT3, "08:00:40", True)], ["08:00:10", "08:01:10"],
        [[note(g, "08:00:10", [fp(HT1)], [fp(HT1)])], [note(g, "08:01:10", [fp(HT1), fp(HT3)], [fp(HT3)])]],
        config={"group_wait": "10s", "group_interval": "1m"}),
]
# The "later alert" case: add the third alert and check the interval.
cases[-7]["alerts"].append([HT3, t("08:02:00"), True])
cases[-7]["due"] += [t("08:05:29"), t("08:05:30")]
cases[-7]["expect"]["notifications"] += [[], [note(g, "08:05:30", [fp(HT1), fp(HT3)], [fp(HT3)])]]


def held(n, window):
    return {**n, "held_by_maintenance": window}


# Maintenance: a notification due inside a window is held to its end, then sent with all that
# came meanwhile; the next follows group_interval after it.
deploy = {"maintenance": [{"name": "deploy", "start": t("08:00:20"), "end": t("08:10:00")}]}
cases += [
    grp("a notification due inside maintenance is held to the window's end", [(HT1, "08:00:00", True)],
        ["08:00:30", "08:09:59", "08:10:00"], [[], [], [held(note(g, "08:10:00", [fp(HT1)], [fp(HT1)]), "deploy")]],
        config=deploy),
    grp("what arrives while held goes out in the one notification", [(HT1, "08:00:00", True), (HT2, "08:05:00", True)],
        ["08:10:00"], [[held(note(g, "08:10:00", [fp(HT1), fp(HT2)], [fp(HT1), fp(HT2)]), "deploy")]], config=deploy),
    grp("an alert resolved during maintenance is sent resolved at its end",
        [(HT1, "08:00:00", True), (HT1, "08:03:00", False)], ["08:10:00"],
        [[held(note(g, "08:10:00", [], [], [fp(HT1)]), "deploy")]], config=deploy),
    grp("after the window, group_interval as usual", [(HT1, "08:00:00", True), (HT3, "08:12:00", True)],
        ["08:10:00", "08:15:00"],
        [[held(note(g, "08:10:00", [fp(HT1)], [fp(HT1)]), "deploy")],
         [held(note(g, "08:15:00", [fp(HT1), fp(HT3)], [fp(HT3)]), None)]], config=deploy),
    grp("a recurring window holds too", [(HT1, "08:00:00", True)], ["08:00:30", "08:10:00"],
        [[], [held(note(g, "08:10:00", [fp(HT1)], [fp(HT1)]), "nightly")]],
        config={"maintenance": [{"name": "nightly", "cron": "0 8 * * *", "duration": "10m"}]}),
]

out = {"about": "Alert-storm vectors: storms with hysteresis, fleet storms, mutes, matchers, flapping, "
                "rate limits, escalation, grouping and fingerprints. Times are ISO-8601 UTC.",
       "cases": cases}
path = pathlib.Path(__file__).resolve().parents[1] / "storm.json"
path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(len(cases), "cases")

"""Writes tests/vectors/dedup.json.

Every expected outcome below is written by hand from the rules in core/src/dedup/stream.rs
(watermark = newest event time - allowed lateness; late if t < watermark; duplicate while
watermark <= first_seen + horizon; future if t > now + max_future) and batch.rs. Key hashes
come from the independent `xxhash` package (pip install xxhash) applied to the documented
encoding: for each part, its UTF-8 length as a little-endian u32, then its bytes.
"""

import json
import pathlib

import xxhash


def h(*parts):
    data = b""
    for p in parts:
        b = str(p).encode("utf-8")
        data += len(b).to_bytes(4, "little") + b
    return str(xxhash.xxh3_64_intdigest(data))


D = "2026-11-22T"


def t(hms):
    return f"{D}{hms}Z"


def stream(name, config, events, outcomes, now=None, counts=None, about=None):
    case = {"name": name, "op": "stream", "config": config,
            "events": [[k, t(x) if isinstance(x, str) and ":" in x and len(x) <= 12 else x] for k, x in events],
            "expect": {"outcomes": outcomes}}
    if now:
        case["now"] = t(now)
    if counts:
        case["expect"]["counts"] = counts
    if about:
        case["about"] = about
    return case


def err(name, config, events, code, now=None):
    c = stream(name, config, events, [])
    c["expect"] = {"error": code}
    return c


H1 = {"horizon": "1h"}
H1L10 = {"horizon": "1h", "allowed_lateness": "10m"}
cases = [
    stream("first then duplicate", H1, [[1, "08:00:00"], [1, "08:30:00"]], ["first", "duplicate"]),
    stream("duplicate at exactly the horizon", H1, [[1, "08:00:00"], [1, "09:00:00"]], ["first", "duplicate"],
           about="watermark 09:00 = first seen 08:00 + 1 h: still remembered"),
    stream("first one ms past the horizon", H1, [[1, "08:00:00"], [1, "09:00:00.001"]], ["first", "first"]),
    stream("a renewed key counts from its new time", H1,
           [[1, "08:00:00"], [1, "09:30:00"], [1, "10:00:00"], [1, "10:30:00.001"]],
           ["first", "first", "duplicate", "first"]),
    stream("a duplicate does not refresh the first-seen time", H1,
           [[1, "08:00:00"], [1, "08:50:00"], [1, "09:10:00"]], ["first", "duplicate", "first"]),
    stream("late one ms before the watermark", H1L10,
           [[1, "08:00:00"], [2, "08:20:00"], [3, "08:09:59.999"]], ["first", "first", "late"]),
    stream("at the watermark is judged, not late", H1L10,
           [[1, "08:00:00"], [2, "08:20:00"], [3, "08:10:00"]], ["first", "first", "first"]),
    stream("a known key behind the watermark is late, not duplicate", H1L10,
           [[1, "08:00:00"], [2, "08:20:00"], [1, "08:05:00"]], ["first", "first", "late"]),
    stream("out of order within the lateness: duplicate", H1L10,
           [[1, "08:10:00"], [1, "08:05:00"]], ["first", "duplicate"]),
    stream("out of order within the lateness: first", H1L10,
           [[1, "08:10:00"], [2, "08:05:00"]], ["first", "first"]),
    stream("no lateness: anything older than the newest is late", H1,
           [[1, "08:10:00"], [2, "08:09:59"]], ["first", "late"]),
    stream("equal times are not late", H1, [[1, "08:10:00"], [2, "08:10:00"]], ["first", "first"]),
    stream("lateness longer than the horizon", {"horizon": "10m", "allowed_lateness": "1h"},
           [[1, "08:00:00"], [2, "09:00:00"], [1, "08:05:00"]], ["first", "first", "duplicate"],
           about="watermark 08:00 <= 08:00 + 10 m"),
    stream("lateness longer than the horizon, expired", {"horizon": "10m", "allowed_lateness": "1h"},
           [[1, "08:00:00"], [2, "09:10:00.001"], [1, "08:15:00"]], ["first", "first", "first"]),
    stream("future: exactly max_future ahead is accepted", {"horizon": "1h"},
           [[1, "08:05:00"], [2, "08:05:00.001"]], ["first", "future"], now="08:00:00"),
    stream("future events do not move the watermark", {"horizon": "1h"},
           [[1, "09:00:00"], [2, "07:59:00"], [3, "07:59:00"]], ["future", "first", "first"], now="08:00:00"),
    stream("future events are not stored", {"horizon": "1h"},
           [[1, "09:00:00"], [1, "08:00:00"]], ["future", "first"], now="08:00:00"),
    stream("custom max_future", {"horizon": "1h", "max_future": "1h"},
           [[1, "09:00:00"], [2, "09:00:01"]], ["first", "future"], now="08:00:00"),
    stream("without now nothing is future", H1, [[1, "2030-01-01T00:00:00Z"], [1, "2030-01-01T00:00:00Z"]],
           ["first", "duplicate"]),
    stream("text keys", H1, [["pkg-1", "08:00:00"], ["pkg-1", "08:01:00"], ["pkg-2", "08:02:00"]],
           ["first", "duplicate", "first"]),
    stream("unicode keys are compared as UTF-8 bytes, unnormalised", H1,
           [["Straße", "08:00:00"], ["Strasse", "08:00:01"], ["Straße", "08:00:02"],
            ["e\u0301", "08:00:03"], ["\u00e9", "08:00:04"], ["🚚", "08:00:05"], ["🚚", "08:00:06"]],
           ["first", "first", "duplicate", "first", "first", "first", "duplicate"]),
    stream("empty text is a key", H1, [["", "08:00:00"], ["", "08:00:01"]], ["first", "duplicate"]),
    stream("composite keys: vehicle and event time", H1,
           [[["TRK-001", 1763798400], "08:00:00"], [["TRK-001", 1763798460], "08:01:00"],
            [["TRK-001", 1763798400], "08:02:00"], [["TRK-002", 1763798400], "08:02:00"]],
           ["first", "first", "duplicate", "first"]),
    stream("composite parts: 42, 42.0 and '42' are the same part", H1,
           [[["TRK-001", 42], "08:00:00"], [["TRK-001", "42"], "08:00:01"], [["TRK-001", 42.0], "08:00:02"]],
           ["first", "duplicate", "duplicate"]),
    stream("composite parts are length-prefixed", H1,
           [[["ab", "c"], "08:00:00"], [["a", "bc"], "08:00:01"], [["abc"], "08:00:02"], ["abc", "08:00:03"]],
           ["first", "first", "first", "duplicate"],
           about="a text key is a composite key of one part"),
    stream("an integer key is not its text", H1, [[7, "08:00:00"], ["7", "08:00:01"]], ["first", "first"]),
    stream("key 0", H1, [[0, "08:00:00"], [0, "08:00:01"], [0, "09:00:01"]], ["first", "duplicate", "first"]),
    stream("the largest exact float key", H1, [[9007199254740992, "08:00:00"], [9007199254740992, "08:00:01"]],
           ["first", "duplicate"]),
    stream("a 30-day horizon", {"horizon": "30d"},
           [[1, "2026-11-01T00:00:00Z"], [1, "2026-11-30T23:00:00Z"], [1, "2026-12-01T00:00:00.001Z"]],
           ["first", "duplicate", "first"]),
    stream("dbt-style horizon", {"horizon": {"count": 2, "period": "hour"}},
           [[1, "08:00:00"], [1, "10:00:00"], [1, "10:00:00.001"]], ["first", "duplicate", "first"]),
    stream("horizon in seconds", {"horizon": 90}, [[1, "08:00:00"], [1, "08:01:30"], [1, "08:01:31"]],
           ["first", "duplicate", "first"]),
    stream("counts", H1L10,
           [[1, "08:00:00"], [1, "08:01:00"], [2, "08:30:00"], [3, "08:00:00"], [4, "09:00:00"]],
           ["first", "duplicate", "first", "late", "future"], now="08:50:00",
           counts={"first": 2, "duplicate": 1, "late": 1, "future": 1, "evicted": 0}),
    stream("the key cap evicts the oldest and counts it", {"horizon": "1h", "max_keys": 2},
           [[1, "08:00:00"], [2, "08:01:00"], [3, "08:02:00"], [2, "08:03:00"], [1, "08:04:00"], [3, "08:05:00"]],
           ["first", "first", "first", "duplicate", "first", "duplicate"],
           counts={"first": 4, "duplicate": 2, "late": 0, "future": 0, "evicted": 2},
           about="cap 2: adding 3 evicts 1 (oldest); adding 1 again evicts 2"),
    stream("expired keys make room before the cap evicts", {"horizon": "1m", "max_keys": 2},
           [[1, "08:00:00"], [2, "08:00:30"], [3, "08:01:31"], [2, "08:01:31"]],
           ["first", "first", "first", "first"],
           counts={"first": 4, "duplicate": 0, "late": 0, "future": 0, "evicted": 0},
           about="at 08:01:31 key 1 (08:00) and key 2 (08:00:30) are both expired"),
    stream("bloom mode, same rules", {"horizon": "1h", "mode": "bloom", "expected_keys": 1000, "fpr": 0.0001},
           [[1, "08:00:00"], [1, "08:30:00"], [2, "08:31:00"], [3, "08:20:00"]],
           ["first", "duplicate", "first", "late"]),
    err("zero horizon", {"horizon": 0}, [], "INVALID_DURATION"),
    err("negative horizon", {"horizon": -60}, [], "INVALID_DURATION"),
    err("missing horizon", {}, [], "INVALID_DURATION"),
    err("negative lateness", {"horizon": "1h", "allowed_lateness": -1}, [], "INVALID_DURATION"),
    err("unparseable horizon", {"horizon": "soon"}, [], "INVALID_DURATION"),
    err("fpr outside (0, 1)", {"horizon": "1h", "mode": "bloom", "fpr": 1.5}, [], "INVALID_TARGET"),
    err("fpr of zero", {"horizon": "1h", "mode": "bloom", "fpr": 0}, [], "INVALID_TARGET"),
    err("max_keys of zero", {"horizon": "1h", "max_keys": 0}, [], "INVALID_ARGUMENT"),
    err("max_keys in bloom mode", {"horizon": "1h", "mode": "bloom", "max_keys": 10}, [], "INVALID_ARGUMENT"),
    err("unknown mode", {"horizon": "1h", "mode": "fuzzy"}, [], "INVALID_ARGUMENT"),
    err("NaN timestamp", H1, [[1, "08:00:00"], [2, "NaN"]], "INVALID_TIMESTAMP"),
    err("negative epoch timestamp", H1, [[1, -1]], "INVALID_TIMESTAMP"),
    err("naive timestamp", H1, [[1, "2026-11-22T08:00:00"]], "NAIVE_TIMESTAMP"),
    err("fractional float key", H1, [[1.5, "08:00:00"]], "INVALID_ARGUMENT"),
    err("negative key", H1, [[-3, "08:00:00"]], "INVALID_ARGUMENT"),
    err("boolean key", H1, [[True, "08:00:00"]], "INVALID_ARGUMENT"),
    err("null key", H1, [[None, "08:00:00"]], "INVALID_ARGUMENT"),
    err("NaN key part", H1, [[["TRK-001", "NaN"], "08:00:00"]], "INVALID_ARGUMENT"),
]
# "NaN" as a key part means float NaN (the vectors' convention); as a timestamp, float NaN too.


def batch(name, keys, keep, indices, order_by=None, mask=None):
    c = {"name": name, "op": "batch", "keys": keys, "keep": keep, "expect": {"indices": indices}}
    if order_by is not None:
        c["order_by"] = order_by
    if mask is not None:
        c["expect"]["mask"] = mask
    return c


cases += [
    batch("keep first", [7, 3, 7, 9, 3], "first", [0, 1, 3], mask=[True, True, False, True, False]),
    batch("keep last", [7, 3, 7, 9, 3], "last", [2, 3, 4], mask=[False, False, True, True, True]),
    batch("latest _loaded_at wins, ties go to the later row", [1, 1, 1], "last", [2], order_by=[5, 7, 7]),
    batch("keep first with an order: smallest wins, ties go to the earlier row", [1, 2, 1, 2], "first", [1, 2],
          order_by=[3, 1, 2, 1]),
    batch("keep last with an order: largest wins, ties go to the later row", [1, 2, 1, 2], "last", [0, 3],
          order_by=[3, 1, 2, 1]),
    batch("order may go down as rows go on", [5, 5, 5], "last", [0], order_by=[9, 1, 2]),
    batch("text keys", ["pkg-1", "pkg-2", "pkg-1", "pkg-3", "pkg-2"], "first", [0, 1, 3]),
    batch("unicode text keys", ["Straße", "Strasse", "Straße", "🚚", "🚚"], "last", [1, 2, 4]),
    batch("composite keys", [["pkg", 1], ["pkg", 2], ["pkg", 1], ["pkg", "1"]], "first", [0, 1]),
    batch("empty batch", [], "first", [], mask=[]),
    batch("one key only, keep first", [4, 4, 4, 4], "first", [0]),
    batch("one key only, keep last", [4, 4, 4, 4], "last", [3]),
    batch("all distinct", [1, 2, 3], "last", [0, 1, 2]),
    batch("key 0 among others", [0, 1, 0, 1], "first", [0, 1]),
    {"name": "order_by with NaN", "op": "batch", "keys": [1, 2], "keep": "last", "order_by": [1, "NaN"],
     "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "order_by of another length", "op": "batch", "keys": [1, 2], "keep": "last", "order_by": [1],
     "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "keep must be first or last", "op": "batch", "keys": [1, 2], "keep": "middle",
     "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "batch keys of the wrong type", "op": "batch", "keys": [1, None], "keep": "first",
     "expect": {"error": "INVALID_ARGUMENT"}},
]

for name, parts in [("ascii text", ["abc"]), ("empty text", [""]), ("german sharp s", ["Straße"]),
                    ("emoji", ["🚚"]), ("vehicle and epoch", ["TRK-001", 1763798400]),
                    ("two parts", ["ab", "c"]), ("two parts, split differently", ["a", "bc"]),
                    ("integer part", [42]), ("half", [0.5])]:
    value = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else parts
    cases.append({"name": f"key hash: {name}", "op": "key_hash", "key": value, "expect": {"hash": h(*parts)}})
cases.append({"name": "key hash: an integer key is itself", "op": "key_hash", "key": 12345,
              "expect": {"hash": "12345"}})
cases.append({"name": "key hash: float 42.0 part hashes as 42", "op": "key_hash", "key": [42.0],
              "expect": {"hash": h("42")}})

cases += [
    {"name": "merge: keys from both partitions are known", "op": "merge", "config": H1,
     "a": [[1, t("08:00:00")]], "b": [[2, t("08:30:00")]],
     "then": [[1, t("08:40:00")], [2, t("08:40:00")], [3, t("08:40:00")]],
     "expect": {"outcomes": ["duplicate", "duplicate", "first"], "watermark": t("08:40:00")}},
    {"name": "merge: the earliest first-seen time that has not expired wins", "op": "merge", "config": H1,
     "a": [[1, t("08:00:00")]], "b": [[1, t("08:50:00")]],
     "then": [[1, t("09:00:00")], [1, t("09:00:00.001")]],
     "expect": {"outcomes": ["duplicate", "first"], "watermark": t("09:00:00.001")}},
    {"name": "merge: the later watermark applies", "op": "merge", "config": H1,
     "a": [[1, t("08:00:00")]], "b": [[2, t("10:00:00")]],
     "then": [[1, t("10:00:00")], [3, t("09:59:00")]],
     "expect": {"outcomes": ["first", "late"], "watermark": t("10:00:00")}},
    {"name": "merge: different configurations refuse", "op": "merge", "config": H1, "config_b": {"horizon": "2h"},
     "a": [], "b": [], "then": [], "expect": {"error": "INVALID_ARGUMENT"}},
    {"name": "replay after restore: nothing emitted twice", "op": "replay", "config": H1,
     "events": [[1, t("08:00:00")], [2, t("08:01:00")], [1, t("08:02:00")], [3, t("08:03:00")]], "cut": 2,
     "expect": {"outcomes": ["late", "duplicate", "duplicate", "first"]},
     "about": "state saved after 2 events (keys 1, 2; watermark 08:01), restored, stream replayed from the start"},
    {"name": "replay with lateness: re-sent events are duplicates", "op": "replay", "config": H1L10,
     "events": [[1, t("08:00:00")], [2, t("08:05:00")], [3, t("08:06:00")]], "cut": 3,
     "expect": {"outcomes": ["duplicate", "duplicate", "duplicate"]}},
    {"name": "restore refuses foreign bytes", "op": "restore", "bytes_hex": "7b7d",
     "expect": {"error": "INVALID_STATE"}},
    {"name": "restore refuses a newer format version", "op": "restore", "bytes_hex": "464f444402000000000000000000000000000000",
     "expect": {"error": "INVALID_STATE"}},
]

out = {"about": "De-duplication vectors: streaming first/duplicate/late/future with watermarks, batch "
                "keep-first/last, key hashes, merge and replay. Times are ISO-8601; 'NaN' means float NaN.",
       "cases": cases}
path = pathlib.Path(__file__).resolve().parents[1] / "dedup.json"
path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(len(cases), "cases")

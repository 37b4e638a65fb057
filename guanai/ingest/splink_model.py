"""``linkage.compare`` as a Splink model on DuckDB: the same weights, so the same verdicts.

Every comparison level has fixed m and u (no training) chosen so that log2(m/u) is the weight
``linkage.compare`` gives that outcome, and the prior is 1/2 (weight 0), so Splink's
match_weight is ``Comparison.score`` and ``MATCH``/``REVIEW`` apply unchanged. Only the ratio of
m to u means anything: they are not estimates and do not sum to 1 over a comparison.

The scorer is a decision list, Splink a sum of one weight per comparison; the cross-column
rules are levels with SQL over several columns:

* equal ID numbers (30) and two valid different ones (-30) decide alone: every other
  comparison opens with an "ID numbers decide" level of weight 0;
* guardian, phone and address are one comparison (agreement counted once);
* twins (same birth date and household, different name) cap the score at 0. A cap is not a
  sum, so the ``twins`` comparison carries -max(score, 0): its levels are the positive values
  the other comparisons can add up to, each matched by that sum written in SQL.

Columns are prepared in Python from prepared ``linkage.Person`` records (simplified name,
pinyin lists, birth date as YYYYMMDD, cleaned household fields); an absent value is ''.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from guanai.ingest import linkage

HOUSEHOLD = ("guardian", "phone", "address")
# The kinds of key linkage.blocking_keys makes, and how many of each one record can have (one
# per reading of the name: a name in pinyin is read surname first and surname last).
BLOCK_SLOTS = {"id": 1, "ida": 1, "idb": 1, "py": 2, "pp": 2, "pa": 2, "pg": 2, "hh": 1}
BLOCK_PREFIXES = tuple(BLOCK_SLOTS)
BLOCK_COLUMNS = {
    prefix: tuple(f"block_{prefix}_{k}" for k in range(n)) for prefix, n in BLOCK_SLOTS.items()
}


@dataclass(frozen=True)
class Level:
    label: str
    sql: str  # DuckDB condition on <column>_l and <column>_r, or "ELSE"
    weight: float = 0.0  # log2 Bayes factor, the one linkage.compare gives
    null: bool = False  # nothing to compare (Splink's null level, weight 0)
    twins: bool = True  # can hold together with TWINS (False: TWINS excludes it)


ID_DECIDES = (
    "id_number_l <> '' AND id_number_r <> '' "
    "AND (id_number_l = id_number_r OR (id_valid_l AND id_valid_r))"
)
HOUSEHOLD_AGREES = " OR ".join(f"({c}_l <> '' AND {c}_l = {c}_r)" for c in HOUSEHOLD)
NAMED = "simple_name_l <> '' AND simple_name_r <> ''"
SAME_CHARACTERS = "NOT romanised_l AND NOT romanised_r AND simple_name_l = simple_name_r"
SAME_READING = "len(list_intersect(py_keys_l, py_keys_r)) > 0"
NEAR_READING = "len(list_intersect(near_l, near_r)) > 0"
# linkage.names_differ, and the name level "same surname, given name near"
NAMES_DIFFER = f"{NAMED} AND simple_name_l <> simple_name_r AND NOT ({SAME_READING})"
NAME_NEAR = f"{NAMED} AND NOT ({SAME_CHARACTERS}) AND NOT ({SAME_READING}) AND {NEAR_READING}"
TWINS = (
    f"({HOUSEHOLD_AGREES}) AND birth_date_l = birth_date_r AND {NAMES_DIFFER} "
    f"AND NOT ({ID_DECIDES})"
)
SWAPPED = (
    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
    "AND substr(birth_date_l, 5, 2) = substr(birth_date_r, 7, 2) "
    "AND substr(birth_date_l, 7, 2) = substr(birth_date_r, 5, 2)"
)
# linkage.born_close and linkage.household_strong
BORN_CLOSE = (  # CASE: an AND does not keep hamming() from two strings of other lengths
    "(CASE WHEN birth_date_l <> '' AND birth_date_r <> '' AND birth_date_l <> birth_date_r "
    "THEN abs(date_diff('day', strptime(birth_date_l, '%Y%m%d'), "
    "strptime(birth_date_r, '%Y%m%d'))) < 270 "
    f"AND (({SWAPPED}) OR hamming(birth_date_l, birth_date_r) = 1) ELSE false END)"
)
HOUSEHOLD_STRONG = (
    "guardian_l <> '' AND guardian_l = guardian_r "
    "AND ((phone_l <> '' AND phone_l = phone_r) OR (address_l <> '' AND address_l = address_r))"
)
TYPOS = (
    f"{NAMED} AND NOT ({SAME_CHARACTERS}) AND ({SAME_READING} OR {NEAR_READING}) "
    f"AND {BORN_CLOSE} AND sex_l <> '' AND sex_l = sex_r AND {HOUSEHOLD_STRONG}"
)
ID_DAMAGED = "(id_damaged_l OR id_damaged_r) AND id15_l <> '' AND id15_r <> ''"
_ID_DECIDE_LEVEL = Level("ID numbers decide", ID_DECIDES, twins=False)

COMPARISONS: dict[str, tuple[Level, ...]] = {
    "id_number": (
        Level("damaged by Excel, first 15 digits agree", f"{ID_DAMAGED} AND id15_l = id15_r", 6),
        Level("damaged by Excel, different", ID_DAMAGED, -6),
        Level("missing", "id_number_l = '' OR id_number_r = ''", null=True),
        Level("same", "id_number_l = id_number_r", 30, twins=False),
        Level("both valid, different", "id_valid_l AND id_valid_r", -30, twins=False),
        Level(
            "one character or adjacent swap apart, or the last one dropped or added",
            "(length(id_number_l) = 18 AND length(id_number_r) = 18 "
            "AND damerau_levenshtein(id_number_l, id_number_r) = 1) "
            "OR (length(id_number_l) <> length(id_number_r) "
            "AND least(length(id_number_l), length(id_number_r)) >= 17 "
            "AND substr(id_number_l, 1, 17) = substr(id_number_r, 1, 17))",
            9,
        ),
        Level("different", "ELSE", -6),
    ),
    "name": (
        _ID_DECIDE_LEVEL,
        Level("missing", f"NOT ({NAMED})", null=True, twins=False),
        Level("same characters", SAME_CHARACTERS, 8, twins=False),
        Level(
            "same pinyin, one name in Latin letters",
            f"(romanised_l OR romanised_r) AND {SAME_READING}",
            7,
            twins=False,
        ),
        Level("same pinyin", SAME_READING, 6, twins=False),
        Level("same surname, given name near", NEAR_READING, 1),
        Level("different", "ELSE", -7),
    ),
    "birth_date": (
        Level("missing", "birth_date_l = '' OR birth_date_r = ''", null=True),
        _ID_DECIDE_LEVEL,
        Level("same", "birth_date_l = birth_date_r", 6),
        Level("day and month swapped", SWAPPED, 3, twins=False),
        Level("one digit apart", "hamming(birth_date_l, birth_date_r) = 1", 2, twins=False),
        Level("different", "ELSE", -8, twins=False),
    ),
    "sex": (
        Level("missing", "sex_l = '' OR sex_r = ''", null=True),
        _ID_DECIDE_LEVEL,
        Level("same", "sex_l = sex_r", 1),
        Level("different", "ELSE", -5),
    ),
    "household": (
        Level(
            "nothing to compare",
            "NOT (" + " OR ".join(f"({c}_l <> '' AND {c}_r <> '')" for c in HOUSEHOLD) + ")",
            null=True,
            twins=False,
        ),
        _ID_DECIDE_LEVEL,
        Level(
            "guardian, phone or address agrees, the same name in characters",
            f"({HOUSEHOLD_AGREES}) AND {NAMED} AND {SAME_CHARACTERS}",
            5,
            twins=False,
        ),
        Level("guardian, phone or address agrees", HOUSEHOLD_AGREES, 4),
        Level("differs", "ELSE", 0, twins=False),
    ),
    "typos": (
        Level("not a typo in both the name and the birth date", f"NOT ({TYPOS})", null=True),
        _ID_DECIDE_LEVEL,
        Level(
            "a typo in both, the same guardian and phone or address, the same sex",
            "ELSE",
            2,
            twins=False,
        ),
    ),
    "siblings": (
        Level(
            "not siblings",
            f"NOT (({HOUSEHOLD_AGREES}) AND {NAME_NEAR} AND birth_date_l <> birth_date_r) "
            f"OR ({TYPOS})",
            null=True,
        ),
        _ID_DECIDE_LEVEL,
        Level("same household, given name one character apart", "ELSE", -6, twins=False),
    ),
}


def _weight_sql(levels: Sequence[Level]) -> str:
    """The weight a comparison gives a pair, as one SQL expression."""
    whens = " ".join(
        f"WHEN {lv.sql} THEN {float(lv.weight)!r}" for lv in levels if lv.sql != "ELSE"
    )
    rest = next((lv.weight for lv in levels if lv.sql == "ELSE"), 0.0)
    return f"(CASE {whens} ELSE {float(rest)!r} END)"


def _twins_levels() -> tuple[Level, ...]:
    # The score of twins, from the levels that can hold with TWINS (the others cannot fire, so
    # leaving them out keeps the SQL short and the CASE values the same).
    possible = [[lv for lv in levels if lv.twins] for levels in COMPARISONS.values()]
    score = " + ".join(_weight_sql(levels) for levels in possible)
    sums = {float(sum(lv.weight for lv in combo)) for combo in product(*possible)}
    return (
        Level("not twins", f"NOT ({TWINS})", null=True),
        *(
            Level(f"twins, other evidence {s:+g}", f"{score} = {s!r}", -s)
            for s in sorted(s for s in sums if s > 0)
        ),
        Level("twins, other evidence not positive", "ELSE"),
    )


def _splink_level(level: Level) -> dict:
    if level.null:
        return {"sql_condition": level.sql, "label_for_charts": level.label, "is_null_level": True}
    # m and u are fixed, with the ratio 2**weight; only the ratio is used.
    m, u = (1.0, 2.0**-level.weight) if level.weight >= 0 else (2.0**level.weight, 1.0)
    return {
        "sql_condition": level.sql,
        "label_for_charts": level.label,
        "m_probability": m,
        "u_probability": u,
        "fix_m_probability": True,
        "fix_u_probability": True,
    }


BLOCKING_RULES = [
    block_on(left) if left == right else f"l.{left} = r.{right}"
    for columns in BLOCK_COLUMNS.values()
    for left in columns
    for right in columns
]


def settings(link_type: str = "dedupe_only", blocking_rules=None) -> SettingsCreator:
    """Splink settings whose match_weight is ``linkage.compare(a, b).score``."""
    comparisons = {**COMPARISONS, "twins": _twins_levels()}
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            {
                "output_column_name": name,
                "comparison_levels": [_splink_level(lv) for lv in levels],
            }
            for name, levels in comparisons.items()
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES
        if blocking_rules is None
        else blocking_rules,
        probability_two_random_records_match=0.5,  # prior weight 0
        retain_matching_columns=False,
    )


_TEXT = ("id_number", "id15", "simple_name", "birth_date", "sex", *HOUSEHOLD)
_LISTS = ("py_keys", "near")
SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("id_valid", pa.bool_()),
        ("id_damaged", pa.bool_()),
        ("romanised", pa.bool_()),
        *((c, pa.string()) for c in _TEXT),
        *((c, pa.list_(pa.string())) for c in _LISTS),
        *((c, pa.string()) for columns in BLOCK_COLUMNS.values() for c in columns),
    ]
)


def _name_columns(name: str) -> tuple[bool, list[str], list[str], list[str | None]]:
    """(romanised, reading keys, near keys, sounds) of a name: what the table needs of it,
    computed once per distinct name. Sounds are the readings ``linkage.blocking_keys`` blocks
    on, one per slot (None for an empty slot)."""
    py_keys, near, romanised = linkage._name_keys(name)
    sounds: list[str | None] = list(linkage.block_sounds(name))[: BLOCK_SLOTS["py"]]
    sounds += [None] * (BLOCK_SLOTS["py"] - len(sounds))
    return romanised, sorted(py_keys), sorted(near), sounds


def _blank_to_null(values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _keyed(prefix: str, *parts: pa.Array) -> pa.Array:
    """prefix:part1:part2, NULL where a part is NULL."""
    return pc.binary_join_element_wise(pa.scalar(prefix), *parts, ":", null_handling="emit_null")


def table(records: Sequence[linkage.Person]) -> pa.Table:
    """The columns the model compares, from prepared records; row i has unique_id i.

    What depends on the name only is computed once per distinct name and taken by index; the
    blocking keys are joined by Arrow (the same keys as ``linkage.blocking_keys``)."""
    index: dict[str, int] = {}
    positions = pa.array([index.setdefault(p.name, len(index)) for p in records], pa.int64())
    named = [_name_columns(name) for name in index]
    by_name = {
        "romanised": pa.array([n[0] for n in named], pa.bool_()).take(positions),
        "py_keys": pa.array([n[1] for n in named], pa.list_(pa.string())).take(positions),
        "near": pa.array([n[2] for n in named], pa.list_(pa.string())).take(positions),
    }
    sounds = [
        pa.array([n[3][k] for n in named], pa.string()).take(positions)
        for k in range(BLOCK_SLOTS["py"])
    ]
    text = {
        "id_number": pa.array([p.id_number for p in records], pa.string()),
        "id15": pa.array([p.id15 for p in records], pa.string()),
        "simple_name": pa.array([p.simple_name for p in records], pa.string()),
        "birth_date": pa.array(
            [p.birth_date.strftime("%Y%m%d") if p.birth_date else "" for p in records],
            pa.string(),
        ),
        "sex": pa.array([p.sex for p in records], pa.string()),
        **{c: pa.array([getattr(p, c) for p in records], pa.string()) for c in HOUSEHOLD},
    }
    number = _blank_to_null(text["id_number"])
    # The birth year, or the number's digits 7-10 when the date is missing (digits only).
    year = pc.if_else(
        pc.equal(text["birth_date"], ""),
        pc.utf8_slice_codeunits(text["id_number"], 6, 10),
        pc.utf8_slice_codeunits(text["birth_date"], 0, 4),
    )
    year = pc.if_else(
        pc.match_substring_regex(year, "^[0-9]+$"), year, pa.scalar(None, pa.string())
    )
    household = {
        "pp": _blank_to_null(text["phone"]),
        "pa": _blank_to_null(text["address"]),
        "pg": _blank_to_null(text["guardian"]),
    }
    born = _blank_to_null(text["birth_date"])
    iso = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(born, 0, 4),
        pc.utf8_slice_codeunits(born, 4, 6),
        pc.utf8_slice_codeunits(born, 6, 8),
        "-",
        null_handling="emit_null",
    )
    blocks = {
        "block_id_0": _keyed("id", number),
        "block_ida_0": _keyed("ida", pc.utf8_slice_codeunits(number, 0, 9)),
        "block_idb_0": _keyed("idb", pc.utf8_slice_codeunits(number, 9, 100)),
        **{f"block_py_{k}": _keyed("py", sound, year) for k, sound in enumerate(sounds)},
        **{
            f"block_{prefix}_{k}": _keyed(prefix, sound, value)
            for prefix, value in household.items()
            for k, sound in enumerate(sounds)
        },
        "block_hh_0": _keyed("hh", household["pp"], iso),
    }
    columns = {
        "unique_id": pa.array(range(len(records)), pa.int64()),
        "id_valid": pa.array([p.id_valid for p in records], pa.bool_()),
        "id_damaged": pa.array([p.id_damaged for p in records], pa.bool_()),
        **by_name,
        **text,
        **blocks,
    }
    return pa.table([columns[name] for name in SCHEMA.names], schema=SCHEMA)


def without_large_blocks(tables: list[pa.Table]) -> list[pa.Table]:
    """Blocking keys shared by more than ``linkage.MAX_BLOCK`` rows (over all tables) set to
    NULL, as ``linkage.candidate_pairs`` skips such blocks."""
    for columns in BLOCK_COLUMNS.values():
        # A record has a key once, in one of its prefix's columns: count over all of them.
        every = pa.chunked_array([chunk for t in tables for c in columns for chunk in t[c].chunks])
        counts = pc.value_counts(every.drop_null())
        large = pc.filter(
            counts.field("values"), pc.greater(counts.field("counts"), linkage.MAX_BLOCK)
        )
        for column in columns:
            tables = [
                t.set_column(
                    t.schema.get_field_index(column),
                    column,
                    pc.if_else(pc.is_in(t[column], large), pa.scalar(None, pa.string()), t[column]),
                )
                for t in tables
            ]
    return tables


def predict(
    left: Sequence[linkage.Person],
    right: Sequence[linkage.Person] | None = None,
    *,
    min_weight: float | None = linkage.REVIEW,
    blocking_rules=None,
    threads: int | None = None,
) -> list[tuple[int, int, float]]:
    """(i, j, match_weight) for pairs at or above ``min_weight`` (None: every pair compared).

    One list: pairs i < j within it. Two lists: i indexes ``left``, j ``right``. Records must be
    prepared. Blocking defaults to ``linkage.blocking_keys`` (block sizes over both lists).
    Runs on a fresh in-memory DuckDB connection.
    """
    lists = [left] if right is None else [left, right]
    tables = without_large_blocks([table(records) for records in lists])
    connection = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        db_api = DuckDBAPI(connection)
        frames = [
            db_api.register(t, dataset_display_name=name)
            for name, t in zip(("left_records", "right_records"), tables, strict=False)
        ]
        linker = Linker(
            frames[0] if right is None else frames,
            settings("dedupe_only" if right is None else "link_only", blocking_rules),
            # The settings are fixed and the parity tests run them; validating re-parses every
            # level's SQL on each call (0.1 s). The missing null level of "name" is deliberate.
            log_level=logging.ERROR,
            validate_settings=False,
        )
        result = linker.inference.predict(threshold_match_weight=min_weight)
        columns = ["unique_id_l", "unique_id_r", "match_weight"]
        if right is not None:
            columns.append("source_dataset_l")
        rows = result.as_pyarrow_table().select(columns).to_pydict()
    finally:
        connection.close()
    scored = zip(rows["unique_id_l"], rows["unique_id_r"], rows["match_weight"], strict=True)
    if right is None:
        return list(scored)
    return [
        (i, j, w) if source == "left_records" else (j, i, w)
        for (i, j, w), source in zip(scored, rows["source_dataset_l"], strict=True)
    ]


# Learned weights (issue 17.3) ----------------------------------------------------------------

LINK_PROBABILITY = (
    0.999  # learned model: linked at or above, sent to review from REVIEW_PROBABILITY
)
REVIEW_PROBABILITY = 0.5


def learned_settings() -> SettingsCreator:
    """The model's comparisons with m and u left to training. Every comparison counts on its
    own (no "ID numbers decide" level: the number's weight is learned like the others), and the
    twins cap becomes a comparison (a capped sum is no Fellegi-Sunter weight)."""
    birth_missing = Level("a birth date missing", "birth_date_l = '' OR birth_date_r = ''")
    comparisons = {
        name: tuple(lv for lv in levels if lv is not _ID_DECIDE_LEVEL)
        for name, levels in COMPARISONS.items()
    }
    comparisons["siblings"] = (
        comparisons["siblings"][0],
        birth_missing,
        comparisons["siblings"][1],
    )
    # Splink needs two levels to learn besides the null one: the two typos split by the name.
    comparisons["typos"] = (
        comparisons["typos"][0],
        Level("two typos, the name a homophone", SAME_READING),
        comparisons["typos"][1],
    )
    comparisons["twins"] = (
        Level("not twins", f"NOT ({TWINS})", null=True),
        Level("twins, both birth dates missing", "birth_date_l = ''"),
        Level("twins: same birth date and household, another name", "ELSE"),
    )
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            {
                "output_column_name": name,
                "comparison_levels": [
                    # Two valid numbers that differ stay decisive (a rule, not an estimate).
                    _splink_level(lv)
                    if lv.weight == -30
                    else {"sql_condition": lv.sql, "label_for_charts": lv.label}
                    | ({"is_null_level": True} if lv.null else {})
                    for lv in levels
                ],
            }
            for name, levels in comparisons.items()
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        max_iterations=20,
        retain_matching_columns=False,
    )


def learned_predict(
    records: Sequence[linkage.Person], *, threads: int | None = None, max_pairs: float = 2e6
) -> tuple[list[tuple[int, int, float]], dict[str, dict[str, float]]]:
    """Train m and u on these records (u from ``max_pairs`` random pairs, m by EM on two of the
    blocking rules) and score them: (i, j, match probability) for pairs at or above
    REVIEW_PROBABILITY, and the trained weight of each level (log2 m/u) by comparison."""
    tables = without_large_blocks([table(records)])
    connection = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        db_api = DuckDBAPI(connection)
        frame = db_api.register(tables[0], dataset_display_name="records")
        linker = Linker(frame, learned_settings(), log_level=logging.ERROR)
        training = linker.training
        training.estimate_probability_two_random_records_match(
            ["l.id_number = r.id_number AND l.id_number <> ''"], recall=0.7
        )
        training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
        # Not on a household block: siblings and twins fill it, and EM takes them for matches.
        training.estimate_parameters_using_expectation_maximisation(block_on("block_py_0"))
        training.estimate_parameters_using_expectation_maximisation(block_on("block_idb_0"))
        result = linker.inference.predict(threshold_match_probability=REVIEW_PROBABILITY)
        rows = (
            result.as_pyarrow_table()
            .select(["unique_id_l", "unique_id_r", "match_probability"])
            .to_pydict()
        )
        weights = {
            c.output_column_name: {
                lv.label_for_charts: round(lv._log2_bayes_factor, 2)
                for lv in c.comparison_levels
                if not lv.is_null_level
            }
            for c in linker._settings_obj.comparisons
        }
    finally:
        connection.close()
    scored = zip(rows["unique_id_l"], rows["unique_id_r"], rows["match_probability"], strict=True)
    return list(scored), weights

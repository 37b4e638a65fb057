"""Record linkage across four departmental rosters with known truth: precision, recall, F1, time.

    .venv/bin/python bench/linkage.py 100000          # about 100,000 roster rows
    .venv/bin/python bench/linkage.py 20000 --seed 3 --generic

Children, households and guardians come from the synthetic county generator (guanai.synth);
each child then appears in up to four rosters (police, schools, civil affairs, disabled
persons' federation) with the mistakes departments make: homophone or traditional characters
in the name, a one-digit or transposed ID typo, a missing ID number, birth day and month
swapped, household fields left out. Figures are pairwise over the final clusters (transitive
closure of "match" pairs); "review" pairs are what a township supervisor would be shown.

The linkage under test is guanai's model run by Splink on DuckDB (guanai.ingest.splink_model);
beside it the same model in pure Python (guanai.ingest.linkage, what the importer calls), with
the number of pairs on which the two disagree, and with --generic Splink with generic settings
(Jaro-Winkler on characters, household fields independent, u from 2 million sampled pairs, EM
on two blocking rules). No database and nothing written.

``--hard`` (issue 17) builds the rows with bench/hard_rosters.py instead and runs each engine
in its own process; ``--skip python,generic`` leaves engines out. It prints P, R, F1, the
review queue (pairs whose rows the links did not join and that two valid different numbers
do not settle) with its share of true pairs and its score bands, a reviewer's decisions
through it, end-to-end time (prepare + Splink) with CPU seconds, and peak memory. Figures
(docs/decisions/0016, 2 cores shared with other sessions, load average beside each):

    100,000 rows   P 1.0000  R 0.9922  F1 0.9961  queue 0.40% of rows (87% true)
                   end to end 21.6 s wall, 7.8 s CPU (load 7.0); Splink generic F1 0.9645
    1,000,000 rows P 0.9996  R 0.9917  F1 0.9956  queue 0.43% of rows (89% true)
                   end to end 66.4 s CPU (445 s wall at load 9.7), peak 2.91 GiB
"""

import argparse
import os
import random
import resource
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guanai.ingest import linkage, splink_model  # noqa: E402
from guanai.registry import idnumber  # noqa: E402
from guanai.synth import names_data as nd  # noqa: E402
from guanai.synth.generator import (  # noqa: E402
    _C,
    _G,
    _H,
    Generator,
    SeedConfig,
)

COUNTY = "360426"
# source -> (share of children listed, P(ID missing), household fields it keeps)
SOURCES = {
    "police": (0.95, 0.03, ("address", "guardian")),
    "education": (0.75, 0.10, ("guardian", "phone")),
    "civil": (0.55, 0.15, ("guardian", "phone", "address")),
    "disabled": (0.20, 0.05, ("guardian", "phone")),
}
P_HOMOPHONE = 0.05
P_TRADITIONAL = 0.04
P_ID_TYPO = 0.03
P_SWAP_BIRTH = 0.03
P_FIELD_MISSING = 0.2
ROWS_PER_CHILD = 0.95 + 0.75 + 0.55 + 0.015  # the federation lists disabled children only


def homophones() -> dict[str, list[str]]:
    """Characters of the name pools grouped by toneless pinyin: 晓 -> [小, 筱, ...]."""
    pool = set(nd.CHILD_MALE_1 + nd.CHILD_MALE_2 + nd.CHILD_FEMALE_1 + nd.CHILD_FEMALE_2) | set(
        "小晓筱孝萧肖宇雨语羽玉钰子紫梓姿思斯丝诗诗时世"
    )
    by_sound: dict[str, list[str]] = {}
    for ch in sorted(pool):
        by_sound.setdefault(linkage.pinyin(ch)[0], []).append(ch)
    return {ch: [o for o in by_sound[linkage.pinyin(ch)[0]] if o != ch] for ch in pool}


def id_typo(rng: random.Random, number: str) -> str:
    """One digit changed or two adjacent digits swapped, check digit left as it was."""
    for _ in range(20):
        if rng.random() < 0.5:
            i = rng.randrange(17)
            typo = number[:i] + str((int(number[i]) + rng.randrange(1, 10)) % 10) + number[i + 1 :]
        else:
            i = rng.randrange(16)
            typo = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        if typo != number:
            try:
                idnumber.parse(typo)
            except idnumber.IdNumberError:
                return typo
    return number


def build(rows_wanted: int, seed: int) -> tuple[list[linkage.Person], list[int]]:
    rng = random.Random(seed)
    sounds = homophones()
    to_traditional = __import__("opencc").OpenCC("s2t")
    children_wanted = int(rows_wanted / ROWS_PER_CHILD)
    gen = Generator(SeedConfig(county_code=COUNTY, children=children_wanted, seed=seed))
    records: list[linkage.Person] = []
    truth: list[int] = []
    for chunk in gen.chunks():
        households = {h[_H["id"]]: h for h in chunk.households}
        guardians: dict[int, tuple] = {}
        for g in chunk.guardians:
            if g[_G["is_primary"]]:
                guardians[g[_G["child_id"]]] = g
        for c in chunk.children:
            child_id = c[_C["id"]]
            h = households[c[_C["household_id"]]]
            g = guardians.get(child_id)
            disabled = bool(c[_C["disability_category"]])
            for source, (share, p_missing, fields) in SOURCES.items():
                if source == "disabled":
                    share = 0.95 if disabled else 0.0
                if rng.random() >= share:
                    continue
                name = c[_C["name"]]
                if rng.random() < P_HOMOPHONE and len(name) >= 2:
                    i = rng.randrange(1, len(name))
                    options = sounds.get(name[i])
                    if options:
                        name = name[:i] + rng.choice(options) + name[i + 1 :]
                if rng.random() < P_TRADITIONAL:
                    name = to_traditional.convert(name)
                number = c[_C["id_number"]] or ""
                if number and rng.random() < p_missing:
                    number = ""
                elif number and rng.random() < P_ID_TYPO:
                    number = id_typo(rng, number)
                birth: date = c[_C["birth_date"]]
                if rng.random() < P_SWAP_BIRTH and birth.day <= 12 and birth.day != birth.month:
                    birth = date(birth.year, birth.day, birth.month)
                values = {
                    "guardian": g[_G["name"]] if g else "",
                    "phone": (g[_G["phone"]] if g else "") or h[_H["phone"]],
                    "address": h[_H["address"]],
                }
                kept = {
                    k: (v if k in fields and rng.random() >= P_FIELD_MISSING else "")
                    for k, v in values.items()
                }
                records.append(
                    linkage.Person(
                        key=f"{source}:{len(records)}",
                        name=name,
                        id_number=number,
                        birth_date=birth,
                        sex=c[_C["sex"]],
                        **kept,
                    )
                )
                truth.append(child_id)
                if len(records) >= rows_wanted:
                    return records, truth
    return records, truth


def pairs_within(labels: list) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(labels).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int, nargs="?", default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument(
        "--generic", action="store_true", help="also run Splink with generic settings"
    )
    parser.add_argument(
        "--learned",
        action="store_true",
        help="with --hard: also guanai's comparisons with m and u trained by Splink (EM)",
    )
    parser.add_argument("--weights", action="store_true", help="print the learned weights")
    parser.add_argument(
        "--hard",
        action="store_true",
        help="rosters from bench/hard_rosters.py (issue 17) instead of guanai.synth; "
        "each engine in its own process, with its own time and peak memory",
    )
    parser.add_argument(
        "--skip",
        default="",
        metavar="ENGINES",
        help="with --hard: engines left out, comma-separated (python, generic)",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        metavar="ROWS",
        help="only time one importer chunk of ROWS rows against its candidates, both engines",
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    records, truth = build_hard(args.rows, args.seed) if args.hard else build(args.rows, args.seed)
    t1 = time.perf_counter()
    cpu = time.process_time()
    for r in records:
        r.prepare()
    t2 = time.perf_counter()
    args.prepare_cpu = time.process_time() - cpu
    if args.chunk:
        chunk_cost(records, args.chunk, args.threads)
        return
    print(
        f"roster rows              {len(records):>10,}  ({len(set(truth)):,} children, 4 sources)"
    )
    print(f"true pairs               {pairs_within(truth):>10,}")
    print(
        f"time                     build {t1 - t0:.1f} s, prepare {t2 - t1:.1f} s "
        "(pure Python: ID parsing, pinyin; shared by both runs of guanai's model)"
    )

    if args.hard:
        hard(records, truth, args, t2 - t1)
        return
    splink_scores = {(i, j): w for i, j, w in splink_model.predict(records, threads=args.threads)}
    t3 = time.perf_counter()
    label = f"guanai model, Splink on DuckDB ({args.threads} threads)"
    _report(label, records, truth, splink_scores, t3 - t2)

    t3 = time.perf_counter()
    candidates = 0
    above_review: dict[tuple[int, int], float] = {}
    for i, j, result in linkage.link(records):
        candidates += 1
        if result.score >= linkage.REVIEW:
            above_review[i, j] = result.score
    t4 = time.perf_counter()
    _report("guanai.ingest.linkage (Python)", records, truth, above_review, t4 - t3)

    # Both runs block alike, so a pair missing from one side's list is a non-match there.
    different = sum(
        _verdict(splink_scores.get(pair)) != _verdict(above_review.get(pair))
        for pair in splink_scores.keys() | above_review.keys()
    )
    gap = max(
        (
            abs(splink_scores[p] - above_review[p])
            for p in splink_scores.keys() & above_review.keys()
        ),
        default=0.0,
    )
    print(
        f"  same model, two engines: {candidates:,} candidate pairs, "
        f"{different:,} with another verdict, largest score difference {gap:g}"
    )
    if args.generic:
        splink_generic(records, truth, args.threads)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"peak memory              {peak:>10.2f} GB  (load average {load})")


def build_hard(rows_wanted: int, seed: int) -> tuple[list[linkage.Person], list[int]]:
    from bench import hard_rosters

    rows, truth = hard_rosters.build(rows_wanted, seed)
    records = [
        linkage.Person(
            key=f"{r.source}:{i}",
            name=r.name,
            id_number=r.id_number,
            birth_date=r.birth_date,
            sex=r.sex,
            guardian=r.guardian,
            phone=r.phone,
            address=r.address,
        )
        for i, r in enumerate(rows)
    ]
    return records, truth


def _in_child(label: str, run) -> None:
    """Run one engine in a forked process: its time and peak memory are its own (the rows,
    built and prepared before the fork, are shared and counted in the peak once touched)."""
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            try:
                run()
            except Exception:  # os._exit below would swallow the traceback
                import traceback

                traceback.print_exc()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
            print(f"  peak memory {peak:.2f} GiB")
            sys.stdout.flush()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def hard(records: list[linkage.Person], truth: list[int], args, prepare_seconds: float) -> None:
    """Issue 17's bench: each engine in its own process, the same rows."""
    print(
        f"roster rows              {len(records):>10,}  ({len(set(truth)):,} children, 4 sources,"
        " bench/hard_rosters.py)"
    )
    print(f"true pairs               {pairs_within(truth):>10,}")
    print(
        f"prepare (Python, shared) {prepare_seconds:>10.1f} s  ({args.prepare_cpu:.1f} s CPU; "
        "ID numbers, simplified characters, pinyin)"
    )

    def splink_fixed() -> None:
        t0, cpu = time.perf_counter(), time.process_time()
        scores = {(i, j): w for i, j, w in splink_model.predict(records, threads=args.threads)}
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu
        _report("guanai model, Splink on DuckDB", records, truth, scores, seconds)
        print(
            f"  end to end (prepare + Splink): {prepare_seconds + seconds:.1f} s "
            f"({args.prepare_cpu + cpu:.1f} s CPU over {args.threads} DuckDB threads; load "
            f"{os.getloadavg()[0]:.1f})"
        )

    def python() -> None:
        t0 = time.perf_counter()
        scores = {(i, j): r.score for i, j, r in linkage.link(records) if r.score >= linkage.REVIEW}
        _report("guanai.ingest.linkage (Python)", records, truth, scores, time.perf_counter() - t0)

    def learned() -> None:
        t0 = time.perf_counter()
        scored, weights = splink_model.learned_predict(records, threads=args.threads)
        seconds = time.perf_counter() - t0
        scores = {(i, j): p for i, j, p in scored}
        _report(
            "guanai comparisons, weights learned (EM)",
            records,
            truth,
            scores,
            seconds,
            link=splink_model.LINK_PROBABILITY,
        )
        if args.weights:
            for name, levels in weights.items():
                print(f"    {name}: " + ", ".join(f"{k} {w:+.1f}" for k, w in levels.items()))

    _in_child("splink", splink_fixed)
    if args.learned:
        _in_child("learned", learned)
    skip = set(args.skip.split(","))
    if "python" not in skip:
        _in_child("python", python)
    if "generic" not in skip:
        _in_child("generic", lambda: splink_generic(records, truth, args.threads))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load}")


def chunk_cost(records: list[linkage.Person], size: int, threads: int) -> None:
    """What the importer would pay per chunk: ``size`` school-roster rows scored against their
    candidates in the other rosters (standing for the children on file)."""
    chunk = [i for i, r in enumerate(records) if r.key.startswith("education:")][:size]
    in_chunk = set(chunk)
    on_file = set()
    for i, j in linkage.candidate_pairs(records):
        if (i in in_chunk) != (j in in_chunk):
            on_file.add(j if i in in_chunk else i)
    on_file -= {i for i in on_file if records[i].key.startswith("education:")}
    rows = [records[i] for i in chunk]
    files = [records[i] for i in sorted(on_file)]
    both = rows + files

    def python() -> int:
        pairs = [(i, j) for i, j in linkage.candidate_pairs(both) if i < len(rows) <= j]
        return sum(linkage.compare(both[i], both[j]).score >= linkage.REVIEW for i, j in pairs)

    def splink() -> int:
        return len(splink_model.predict(rows, files, threads=threads))

    def fixed() -> int:
        return len(splink_model.predict(rows[:1], files[:1], threads=threads))

    def tables() -> int:
        return len(
            splink_model.without_large_blocks([splink_model.table(rows), splink_model.table(files)])
        )

    print(f"chunk: {len(rows):,} rows against {len(files):,} children on file; median of 5 runs")
    for label, run in (
        ("Python scorer (blocking and compare)", python),
        ("Splink model, whole predict()", splink),
        ("  of which: 1 row against 1 (connection, settings, SQL)", fixed),
        ("  of which: Arrow tables built in Python", tables),
    ):
        seconds = []
        for _ in range(5):
            t0 = time.perf_counter()
            result = run()
            seconds.append(time.perf_counter() - t0)
        print(f"{label:<56} {sorted(seconds)[2] * 1000:>7.0f} ms  ({result:,})")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load}")


def _verdict(score: float | None) -> str:
    if score is None or score < linkage.REVIEW:
        return "non_match"
    return "match" if score >= linkage.MATCH else "review"


def _report(
    label: str,
    records: list[linkage.Person],
    truth: list[int],
    above_review: dict[tuple[int, int], float],
    seconds: float,
    link: float = linkage.MATCH,
) -> None:
    """Scores of one linkage from its pairs at or above REVIEW (scores from ``link`` up are
    linked), with the review queue."""
    matches = [pair for pair, score in above_review.items() if score >= link]
    review = [pair for pair, score in above_review.items() if score < link]
    cluster = linkage.clusters(len(records), matches)
    _print_scores(label, cluster, truth, seconds)
    linked_true = sum(truth[i] == truth[j] for i, j in matches) / max(1, len(matches))
    # What a reviewer is shown: a pair whose rows the links already joined is no question (the
    # importer asks only about rows it could not link), nor one between two clusters holding
    # different valid ID numbers (two children; review_queue.Queue settles it).
    from guanai.ingest import review_queue

    numbers = [r.id_number if r.id_valid else "" for r in records]
    settled = review_queue.Queue(len(records), matches, numbers)
    joined = [(i, j) for i, j in review if cluster[i] != cluster[j]]
    queue = [(i, j) for i, j in joined if settled.settled(i, j) is None]
    queue_true = sum(truth[i] == truth[j] for i, j in queue) / max(1, len(queue))
    print(
        f"  auto-linked pairs {len(matches):,} ({linked_true:.4f} correct); "
        f"{len(review):,} pairs scored for review, of which the review queue (rows not joined "
        f"by the links) {len(queue):,} = {len(queue) / max(1, len(records)):.2%} of rows "
        f"({queue_true:.2%} the same child); {len(joined) - len(queue):,} more settled before "
        f"queuing as two children with different valid ID numbers "
        f"({sum(truth[i] == truth[j] for i, j in joined) - sum(truth[i] == truth[j] for i, j in queue):,}"
        " of them the same child)"
    )
    bands: Counter = Counter()
    for i, j in queue:
        bands[int(above_review[i, j]), truth[i] == truth[j]] += 1
    if link == linkage.MATCH:  # scores (the learned model gives probabilities)
        print(
            "  queue by score (same child/another): "
            + ", ".join(
                f"{s} {bands[s, True]}/{bands[s, False]}" for s in sorted({s for s, _ in bands})
            )
        )
    if queue:
        decided, implied, _ = review_queue.play(
            len(records),
            matches,
            [(i, j, above_review[i, j]) for i, j in queue],
            lambda i, j: truth[i] == truth[j],
            numbers,
        )
        print(
            f"  a reviewer going through it in its order: {decided:,} decisions, {implied:,} "
            "pairs settled by them (transitivity)"
        )


def splink_generic(records: list[linkage.Person], truth: list[int], threads: int) -> None:
    """Splink on DuckDB with generic settings: characters, fields independent, capped training."""
    import logging

    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    t0 = time.perf_counter()
    table = pa.table(
        {
            "unique_id": list(range(len(records))),
            "name": [r.name for r in records],
            "name_pinyin": ["".join(r.syllables) for r in records],
            "id_number": [r.id_number or None for r in records],
            "birth_date": [r.birth_date.isoformat() if r.birth_date else None for r in records],
            "birth_year": [str(r.birth_date.year) if r.birth_date else None for r in records],
            "sex": [r.sex or None for r in records],
            "guardian": [r.guardian or None for r in records],
            "phone": [r.phone or None for r in records],
            "address": [r.address or None for r in records],
        }
    )
    db_api = DuckDBAPI(duckdb.connect(config={"threads": threads}))
    df = db_api.register(table)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("id_number"),
            cl.JaroWinklerAtThresholds("name", [0.9, 0.8]),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("guardian"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("address"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("name_pinyin", "birth_year"),
        ],
    )
    linker = Linker(df, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number")], recall=0.85
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_pinyin", "birth_year")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_number"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    rows = clustered.as_pyarrow_table().select(["unique_id", "cluster_id"]).to_pydict()
    t1 = time.perf_counter()
    cluster = list(range(len(records)))
    for uid, cid in zip(rows["unique_id"], rows["cluster_id"], strict=True):
        cluster[int(uid)] = cid
    _print_scores("Splink generic (DuckDB)", cluster, truth, t1 - t0)


def _print_scores(label: str, cluster: list, truth: list[int], seconds: float) -> None:
    true_pairs = pairs_within(truth)
    predicted = pairs_within(cluster)
    correct = pairs_within(list(zip(cluster, truth, strict=True)))
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"{label:<44} precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
        f"time {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()

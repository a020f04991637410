"""Near-duplicates, wire credits and syndication: hand-worked tables, a reference MinHash, a
planted-copy benchmark (pair precision/recall), determinism across processes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from synthetic import write_corpus

import analysis
from analysis.copies._minhash import minhash_signatures, shingle_hashes
from analysis.copies._neardup import CONTAINMENT_TOLERANCE
from analysis.copies._wires import UNNAMED_SOURCE, WIRE_RULES, WireRule


def _load_planted() -> ModuleType:
    """``bench/planted.py`` (outside the installed package), loaded by path like synthetic.py."""
    name = "bench.planted"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).resolve().parents[2] / "bench" / "planted.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


planted = _load_planted()
EDIT_KINDS, pair_scores, planted_corpus = planted.EDIT_KINDS, planted.pair_scores, planted.planted_corpus

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "russia-ukraine-2022"

STORY = ("Russian President Vladimir Putin arrived in Beijing on Thursday for a two-day state "
         "visit, his first trip abroad since he began a new term. Chinese leader Xi Jinping "
         "welcomed him in Tiananmen Square with a military band and a guard of honour. The two "
         "men signed a joint statement on deepening their strategic partnership, and said they "
         "wanted to avoid any further escalation of the conflict in Ukraine.\n"
         "Officials in Washington warned that Chinese companies supplying machine tools and "
         "microelectronics to Russian arms makers could face new sanctions. Beijing rejected the "
         "criticism and said its trade with Moscow was normal and legitimate.\n"
         "The visit comes as Russian forces press an offensive in the Kharkiv region, where "
         "Ukrainian officials said thousands of civilians had been evacuated from border towns "
         "under heavy shelling in recent days.")


def ref_shingles(text: str | None, k: int = 5) -> set[tuple[str, ...]]:
    """Independent shingling: python's re and unicodedata, word tuples (not hashes)."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text or "").lower())
    if not words:
        return set()
    if len(words) < k:
        return {tuple(words)}
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def ref_jaccard(a: str, b: str, k: int = 5) -> float:
    sa, sb = ref_shingles(a, k), ref_shingles(b, k)
    return len(sa & sb) / len(sa | sb)


@pytest.fixture(scope="module")
def small() -> pl.DataFrame:
    paras = STORY.split("\n")
    texts = {
        "orig": STORY,
        "punct": STORY.replace(", ", " ,  ").replace(".", " !").upper(),
        "headline": "BREAKING: Putin in Beijing\n\n" + STORY,
        "boiler": "Site icon Digest\n\n" + STORY + "\n\nSource link\n\nExit mobile version",
        "dropped": "\n".join(paras[:2]),  # the last paragraph (about a quarter) dropped
        "other": "A completely different story about grain exports from Odesa and shipping "
                 "insurance rates in the Black Sea, with nothing in common with the summit.",
        "empty": "",
        "null": None,
        "short": "Source link",
        "short2": "source   LINK!",
    }
    days = {"orig": date(2024, 5, 16), "punct": date(2024, 5, 17), "headline": date(2024, 5, 16),
            "boiler": None, "dropped": date(2024, 5, 20), "other": date(2024, 5, 16)}
    return pl.DataFrame({
        "doc_id": list(texts), "text": list(texts.values()),
        "outlet": ["Wire", "Blog", "Digest", "Digest", "Paper", "Paper", "X", "X", "Y", "Z"],
        "published": [days.get(k) for k in texts],
    }, schema_overrides={"published": pl.Date})


# --- near_duplicates -----------------------------------------------------------------------


def test_clusters_hand_worked(small):
    cl = analysis.near_duplicates(small)
    assert cl.columns == ["cluster_id", "doc_id", "outlet", "published", "similarity",
                          "is_first", "cluster_size"]
    # two clusters: the story (dated first: orig/headline on 05-16, tie by doc_id -> headline),
    # and the two "source link" pages (undated: after dated clusters)
    assert cl["cluster_id"].to_list() == [1] * 5 + [2] * 2
    story = cl.filter(pl.col("cluster_id") == 1)
    assert story["doc_id"].to_list() == ["headline", "orig", "punct", "dropped", "boiler"]
    assert story["is_first"].to_list() == [True, False, False, False, False]
    first = small.filter(pl.col("doc_id") == "headline")["text"][0]
    for doc_id, sim in story.select("doc_id", "similarity").iter_rows():
        text = small.filter(pl.col("doc_id") == doc_id)["text"][0]
        assert sim == pytest.approx(ref_jaccard(text, first), abs=1e-12)
    assert cl.filter(pl.col("cluster_id") == 2)["doc_id"].to_list() == ["short", "short2"]
    assert set(cl["doc_id"]).isdisjoint({"other", "empty", "null"})
    assert cl["cluster_size"].to_list() == [5] * 5 + [2] * 2


def test_dropped_paragraph_needs_containment(small):
    jac = ref_jaccard(small["text"][0], small["text"][4])
    assert 0.6 < jac < 0.8  # below the threshold: only containment links it
    without = analysis.near_duplicates(small, containment=None)
    assert "dropped" not in without["doc_id"].to_list()
    assert "dropped" in analysis.near_duplicates(small)["doc_id"].to_list()


def test_pairs_are_verified_exactly(small):
    pairs = analysis.near_duplicate_pairs(small)
    texts = dict(small.select("doc_id", "text").rows())
    assert pairs.height == 11  # 5 story documents (10 pairs) and the two "source link" pages
    for a, b, jac, con in pairs.iter_rows():
        sa, sb = ref_shingles(texts[a]), ref_shingles(texts[b])
        assert jac == pytest.approx(len(sa & sb) / len(sa | sb), abs=1e-12)
        assert con == pytest.approx(len(sa & sb) / min(len(sa), len(sb)), abs=1e-12)
        assert jac >= 0.8 - CONTAINMENT_TOLERANCE
        assert jac >= 0.8 or con >= 0.9


def test_minhash_matches_datasketch():
    from datasketch import MinHash

    texts = pl.Series([STORY, "a b c", "", STORY[:300]])
    offsets, hashes = shingle_hashes(texts, shingle=3)
    sig = minhash_signatures(offsets, hashes, num_perm=32, seed=7)
    for i in range(len(texts)):
        m = MinHash(32, seed=7, scheme="affine64", hashfunc=int)
        m.update_batch(hashes[offsets[i]:offsets[i + 1]].tolist())
        assert (m.hashvalues == sig[i]).all()
    assert (sig[2] == np.iinfo(np.uint64).max).all()  # no shingles: the empty signature


def test_shingle_hash_sets_match_word_tuples():
    texts = pl.Series([STORY, STORY.upper().replace(" ", "\n  "), "one two", "x"])
    offsets, hashes = shingle_hashes(texts, shingle=5)
    sets = [set(hashes[offsets[i]:offsets[i + 1]].tolist()) for i in range(len(texts))]
    assert sets[0] == sets[1] and len(sets[0]) == len(ref_shingles(STORY))
    assert len(sets[2]) == len(sets[3]) == 1 and sets[2] != sets[3]


def test_pandas_in_pandas_out_and_optional_columns(small):
    out = analysis.near_duplicates(small.to_pandas())
    assert isinstance(out, pd.DataFrame)
    bare = analysis.near_duplicates(small.select("doc_id", "text"))
    assert bare["outlet"].null_count() == bare.height and bare["published"].null_count() == bare.height
    assert set(bare["doc_id"]) == set(out["doc_id"])  # undated: first by doc_id
    dt = analysis.near_duplicates(small.with_columns(pl.col("published").cast(pl.Datetime)))
    assert dt.equals(analysis.near_duplicates(small))


def test_no_clusters_gives_empty_typed_table():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["one story here", None]})
    out = analysis.near_duplicates(docs)
    assert out.height == 0 and out.schema["cluster_id"] == pl.Int64


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"threshold": 0}, "threshold"), ({"threshold": 1.5}, "threshold"),
    ({"shingle": 0}, "shingle"), ({"num_perm": 1}, "num_perm"), ({"containment": 0}, "containment"),
])
def test_bad_options(small, kwargs, message):
    with pytest.raises(ValueError, match=message):
        analysis.near_duplicates(small, **kwargs)


def test_bad_input(small):
    with pytest.raises(ValueError, match="one row per doc_id"):
        analysis.near_duplicates(pl.concat([small, small.head(1)]))
    with pytest.raises(ValueError, match="missing column"):
        analysis.near_duplicates(small.drop("text"))
    with pytest.raises(ValueError, match="must hold dates"):
        analysis.near_duplicates(small.with_columns(pl.col("published").cast(pl.String)))
    with pytest.raises(TypeError):
        analysis.near_duplicates("some text")


def test_row_order_does_not_change_clusters(small):
    a = analysis.near_duplicates(small)
    b = analysis.near_duplicates(small.reverse())
    assert a.equals(b)


SCRIPT = """
import json, sys, polars as pl, analysis
docs = pl.read_parquet(sys.argv[1])
print(json.dumps(analysis.near_duplicates(docs).rows(), default=str))
"""


def test_same_clusters_across_processes(tmp_path):
    src = tmp_path / "syn.parquet"
    write_corpus(src, docs=60, chunk_size=60, progress=False)
    docs, _ = planted_corpus(pl.read_parquet(src), seed=3)
    path = tmp_path / "planted.parquet"
    docs.write_parquet(path)
    outs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], env=env, check=True,
                             capture_output=True, text=True)
        outs.append(json.loads(run.stdout))
    here = json.loads(json.dumps(analysis.near_duplicates(docs).rows(), default=str))
    assert outs[0] == outs[1] == here
    assert len(here) > 10


# --- planted-copy benchmark --------------------------------------------------------------


def check_benchmark(articles: pl.DataFrame, seed: int) -> dict:
    docs, truth = planted_corpus(articles, seed=seed)
    roles = dict(truth.group_by("role").len().rows())
    assert roles["copy"] >= 40 and roles["same_event"] >= 20 and roles["unrelated"] >= 50
    assert set(truth["edit"].drop_nulls()) == set(EDIT_KINDS)
    clusters = analysis.near_duplicates(docs)
    scores = pair_scores(clusters, truth)
    assert scores["precision"] >= 0.95, scores["false_positives"][:10]
    assert scores["recall"] >= 0.95, scores["missed"][:10]
    # every linked pair: exact Jaccard >= threshold - documented tolerance
    texts = dict(docs.select("doc_id", "text").rows())
    pairs = analysis.near_duplicate_pairs(docs)
    assert pairs.height > 0 and (pairs["jaccard"] >= 0.8 - CONTAINMENT_TOLERANCE).all()
    for a, b, jac, _ in pairs.head(40).iter_rows():
        assert jac == pytest.approx(ref_jaccard(texts[a], texts[b]), abs=1e-12)
    return scores


def test_planted_benchmark_synthetic(tmp_path):
    """Always runs: articles generated from the bundled texts (bench/corpus.py)."""
    src = tmp_path / "syn.parquet"
    write_corpus(src, docs=300, chunk_size=300, progress=False)
    check_benchmark(pl.read_parquet(src), seed=14)


@pytest.mark.skipif(not REAL.is_dir(), reason=f"the 2022 corpus is not at {REAL}")
def test_planted_benchmark_2022_corpus():
    check_benchmark(analysis.load_corpus(REAL).docs, seed=14)


def test_pair_scores_hand_worked():
    truth = pl.DataFrame({"doc_id": ["a", "b", "c", "d"], "family": ["a", "a", "a", None],
                          "edit": [None, "exact", "headline", None]})
    clusters = pl.DataFrame({"cluster_id": [1, 1, 2, 2], "doc_id": ["a", "b", "c", "d"]})
    s = pair_scores(clusters, truth)
    assert (s["precision"], s["recall"]) == (0.5, pytest.approx(1 / 3))
    assert s["recall_by_edit"] == {"exact": 1.0, "headline": 0.0}


# --- wire_sources ----------------------------------------------------------------------------

WIRE_CASES = [
    ("WASHINGTON (AP) — The Senate voted on Tuesday.", [("AP", "(AP) —", "dateline")]),
    ("KYIV, Ukraine (Reuters) - Ukraine said on Monday.", [("Reuters", "(Reuters) -", "dateline")]),
    ("Beijing, May 15 (EFE).- Russian President Vladimir Putin said",
     [("EFE", "(EFE).-", "dateline")]),
    ("MOSCOW, May 15. /TASS/. The Kremlin said", [("TASS", "/TASS/", "slash dateline")]),
    ("The talks ended without a deal.\n— Xinhua", [("Xinhua", "— Xinhua", "sign-off")]),
    ("Text.\nWith Reuters and EFE", [("EFE", "With Reuters and EFE", "credit line"),
                                     ("Reuters", "With Reuters and EFE", "credit line")]),
    ("Text.\nAgence France-Presse contributed to this report.",
     [("AFP", "Agence France-Presse contributed to this report", "contributed")]),
    ("Text.\n(Reporting by Jane Doe; Editing by John Roe)",
     [("Reuters", "(Reporting by Jane Doe; Editing by John Roe)", "reuters sign-off")]),
    ("Text ends here. EFE gbm/up/ssk", [("EFE", "EFE gbm/up/ssk", "efe sign-off")]),
    ("Story.\n\nSource link\n\nExit mobile version", [(UNNAMED_SOURCE, "Source link", "source link")]),
    # negatives: a wire cited in the body, a photo credit, a photo tag, a URL, a word inside
    ("Moscow is ready to talk, Reuters reported on Monday, citing two sources.", []),
    ("The strike killed four people, according to AFP and the Associated Press.", []),
    ("Photograph: Sergei Supinsky/AFP/Getty Images", []),
    ("Biden spoke in the Rose Garden (AP Photo/Evan Vucci) on Friday.", []),
    ("See https://tass.com/politics/1234 and the APEC summit; a Reuters-style report.", []),
    ("With the war in its third month, the sanctions bite harder.", []),
]


@pytest.mark.parametrize(("text", "expected"), WIRE_CASES, ids=lambda v: str(v)[:30])
def test_wire_cases(text, expected):
    out = analysis.wire_sources(pl.DataFrame({"doc_id": ["d"], "text": [text]}))
    got = [(w, c, r) for w, c, r in out.select("wire", "cue", "rule").iter_rows()]
    assert got == expected
    for cue, start, end in out.select("cue", "start", "end").iter_rows():
        assert text[start:end] == cue


def test_wire_sources_bundled_corpus(bundled):
    out = analysis.wire_sources(bundled.docs)
    got = sorted(set(out.select("doc_id", "wire").iter_rows()))
    assert got == [("002_9905d9d86601233a", "EFE"), ("003_1c6c7e3ae7585157", "EFE"),
                   ("003_1c6c7e3ae7585157", "Reuters")]
    # the loader's cleaning removes the "Source link" line (Corpus.removed); uncleaned, it shows
    raw = analysis.load_corpus(bundled.docs["source"][1], boilerplate=())
    assert analysis.wire_sources(raw.docs)["wire"].to_list() == [UNNAMED_SOURCE]


def test_wire_rules_extensible():
    docs = pl.DataFrame({"doc_id": ["a"], "text": ["LONDON (PA Media) - Rain.\n— Agencies"]})
    assert analysis.wire_sources(docs).height == 0
    rules = [*WIRE_RULES, WireRule("agencies", r"(?P<cue>[-–—] Agencies)$", wire="(agencies)")]
    out = analysis.wire_sources(docs, rules=rules, aliases={"PA": ("PA Media",)})
    assert out.select("wire", "rule").rows() == [("PA", "dateline"), ("(agencies)", "agencies")]
    with pytest.raises(ValueError, match="no \\(\\?P<cue>"):
        analysis.wire_sources(docs, rules=[WireRule("bad", "Reuters", wire="Reuters")])


def test_wire_sources_null_and_pandas():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [None, "X (AFP) - y"]})
    out = analysis.wire_sources(docs)
    assert isinstance(out, pd.DataFrame) and out["wire"].tolist() == ["AFP"]


# --- syndication and report helpers -------------------------------------------------------------


def test_syndication_hand_worked(small):
    cl = analysis.near_duplicates(small)
    syn = analysis.syndication(small, cl)
    # cluster 1: first "headline" (Digest, 05-16): copies orig (Wire, 0 d), punct (Blog, 1 d),
    # dropped (Paper, 4 d), boiler (Digest, undated); cluster 2: short (Y) -> short2 (Z), undated
    rows = {(s, c): (n, med, und) for s, c, n, med, und in syn.select(
        "source_outlet", "copier_outlet", "n_copies", "median_lag_days", "n_undated").iter_rows()}
    assert rows == {("Digest", "Wire"): (1, 0.0, 0), ("Digest", "Blog"): (1, 1.0, 0),
                    ("Digest", "Paper"): (1, 4.0, 0), ("Digest", "Digest"): (1, None, 1),
                    ("Y", "Z"): (1, None, 1)}
    paper = syn.filter(pl.col("copier_outlet") == "Paper")
    assert paper["share_of_copier"][0] == 0.5 and paper["cluster_ids"][0].to_list() == [1]


def test_syndication_rejects_unknown_docs(small):
    cl = pl.DataFrame({"cluster_id": [1, 1], "doc_id": ["orig", "zzz"], "is_first": [True, False]})
    with pytest.raises(ValueError, match="not in docs"):
        analysis.syndication(small, cl)


def test_drop_copies_and_share(small):
    cl = analysis.near_duplicates(small)
    kept = analysis.drop_copies(small, cl)["doc_id"].to_list()
    assert kept == ["headline", "other", "empty", "null", "short"]
    share = analysis.copy_share(small, cl)
    assert dict(share.select("outlet", "n_copies").rows()) == {
        "Wire": 1, "Blog": 1, "Paper": 1, "Digest": 1, "X": 0, "Y": 0, "Z": 1}
    assert share.filter(pl.col("outlet") == "Digest")["n_originals"][0] == 1


def test_copy_coverage_with_undated(small):
    cl = analysis.near_duplicates(small)
    cov = analysis.copy_coverage(small, cl, every="1d")
    totals = dict(cov.group_by("counted").agg(pl.col("n_docs").sum()).rows())
    # dated documents: orig, punct, headline, dropped, other = 5; once: headline, other = 2
    assert totals == {"all documents": 5, "copies counted once": 2}
    # one grid for both lines, even though the last day (05-20) has only a copy
    periods = cov.group_by("counted").agg(pl.col("period").sort())["period"].to_list()
    assert periods[0] == periods[1] and len(periods[0]) == 5
    undated = small.with_columns(published=pl.lit(None, dtype=pl.Date))
    assert analysis.copy_coverage(undated, analysis.near_duplicates(undated)).height == 0


def test_largest_clusters(small):
    cl = analysis.near_duplicates(small)
    top = analysis.largest_clusters(small, cl, top=1, chars=20)
    assert top["doc_id"].to_list() == ["headline", "orig", "punct", "dropped", "boiler"]
    assert top["opening"][0] == "BREAKING: Putin in B"


def test_plots_are_charts(small):
    cl = analysis.near_duplicates(small)
    assert analysis.plot_copy_share(analysis.copy_share(small, cl)).to_dict()["mark"]
    cov = analysis.copy_coverage(small, cl, every="1d")
    assert analysis.plot_copy_coverage(cov).to_dict()["mark"]


def test_bundled_corpus_has_no_copies(bundled):
    # the five seed articles are about the same events but none is a copy of another
    assert analysis.near_duplicates(bundled.docs).height == 0




def test_syndication_report_counts_the_copies_the_other_reports_leave_out(tmp_path):
    """The syndication report is about copies: it must load the corpus with them (the other
    reports leave copies out by default). Six distinct stories, one of them copied twice by
    other outlets: the summary table says 1 cluster of 3 documents, 2 copies."""
    from analysis import report

    words = ["harbour", "ferry", "bridge", "council", "market", "library", "storm", "budget",
             "school", "parking", "steel", "grant", "winter", "mayor", "timetable", "catch"]
    texts = [" ".join(f"{words[(i * 7 + k * (i + 3)) % 16]}{k % (i + 5)}" for k in range(120))
             for i in range(6)]
    rows = [{"text": t, "title": f"Story {i}", "outlet": "Harbour Post",
             "published": f"2021-06-0{i + 1}"} for i, t in enumerate(texts)]
    rows += [{"text": texts[2], "title": "Copy", "outlet": "Bay Times", "published": "2021-06-05"},
             {"text": texts[2], "title": "Copy", "outlet": "Coast News",
              "published": "2021-06-06"}]
    corpus = tmp_path / "copies.csv"
    pl.DataFrame(rows).write_csv(corpus)
    out = tmp_path / "out"
    assert report.main(["--corpus", str(corpus), "--out", str(out),
                        "--notebook", "syndication"]) == 0
    summary = pl.read_csv(out / "syndication_tables" / "table-02.csv")
    assert summary.row(0, named=True) == {"documents": 8, "clusters": 1,
                                          "documents in clusters": 3, "copies": 2}

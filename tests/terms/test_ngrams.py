"""Tests for analysis.ngrams: n-grams within sentences and compound multi-word expressions,
checked against brute-force loops over the token table and regular expressions on the text."""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.terms._frequency import term_frequency
from analysis.terms._ngrams import ngram_frequency, ngrams
from analysis.tokens._phrases import compound, phrase_keys


def brute_ngrams(tokens: pl.DataFrame, n: int, punct: str) -> list[tuple[str, int, str]]:
    """(doc_id, first token_id, term) of every n-gram, by looping over runs of tokens."""
    runs: list[list[dict]] = []
    key = None
    for r in tokens.iter_rows(named=True):
        if (r["doc_id"], r["sentence_id"]) != key:
            runs.append([])
            key = (r["doc_id"], r["sentence_id"])
        if r["is_punct"] and punct == "break":
            runs.append([])
            continue
        if r["is_punct"] and punct == "skip":
            continue
        runs[-1].append(r)
    out = []
    for run in runs:
        for i in range(len(run) - n + 1):
            out.append((run[i]["doc_id"], run[i]["token_id"],
                        " ".join(t["term"] for t in run[i:i + n])))
    return sorted(out)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("punct", ["break", "skip", "keep"])
def test_ngrams_brute_force(tokens, n, punct):
    got = ngrams(tokens, n=n, punct=punct)
    assert sorted(got.select("doc_id", "token_id", "term").iter_rows()) == \
        brute_ngrams(tokens, n, punct)


def test_ngrams_offsets_and_flags(tokens, texts):
    got = ngrams(tokens, n=2)
    for r in got.iter_rows(named=True):
        first, second = r["token"].split(" ")
        span = texts[r["doc_id"]][r["start"]:r["end"]]
        assert span.startswith(first) and span.endswith(second)
    stop = dict(zip(tokens["term"], tokens["is_stop"], strict=False))
    for term, is_stop in got.select("term", "is_stop").iter_rows():
        assert is_stop == any(stop[w] for w in term.split(" "))
    assert not got["is_punct"].any()


def test_ngrams_never_cross_sentences(tokens):
    terms = ngrams(tokens, n=2)["term"].to_list()
    d2 = ngrams(tokens.filter(pl.col("doc_id") == "d2"), n=2)["term"].to_list()
    # d2 has "The United States" and "the United\nStates": the line break ends the sentence
    assert d2.count("united states") == 1
    assert "vague peace" not in terms  # "vague. Peace?"


def test_bigram_counts_exclude_stop_words(tokens):
    counts = term_frequency(ngrams(tokens, n=2), by=None)
    assert "peace plan" in counts["term"].to_list()
    assert counts.filter(pl.col("term") == "peace plan")["n"].item() == 2
    assert not any(" the" in t or "the " in t for t in counts["term"])


def counter_frequency(tokens: pl.DataFrame, n: int, punct: str, *, include_stop: bool = False,
                      include_punct: bool = False) -> list[tuple]:
    """``term_frequency(ngrams(...), by=None)`` rows by plain Python: a Counter over runs of
    adjacent tokens (split at sentences and, with "break", at punctuation), ranked by hand."""
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    rows = sorted(tokens.select("doc_id", "sentence_id", "token_id", "term", "is_stop",
                                "is_punct").iter_rows(), key=lambda r: (r[0], r[2]))
    for _, sentence in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        run: list[tuple] = []
        runs = [run]
        for r in sentence:
            if r[5] and punct == "break":
                run = []
                runs.append(run)
            elif not (r[5] and punct == "skip"):
                run.append(r)
        for run in runs:
            for i in range(len(run) - n + 1):
                gram = run[i:i + n]
                if not include_stop and any(r[4] for r in gram):
                    continue
                if not include_punct and all(r[5] for r in gram):
                    continue
                term = " ".join(r[3] for r in gram)
                counts[term] += 1
                docs[term].add(gram[0][0])
    total = sum(counts.values())
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for i, (term, k) in enumerate(order):
        rank = out[-1][5] if out and out[-1][1] == k else i + 1
        out.append((term, k, total, k / total * 1_000_000, len(docs[term]), rank))
    return out


def assert_rows(got: pl.DataFrame, want: list[tuple]) -> None:
    """Equal rows; ``per_million`` (column 4) to the last few bits (polars divides with SIMD)."""
    rows = got.rows()
    assert [r[:3] + r[4:] for r in rows] == [r[:3] + r[4:] for r in want]
    assert [r[3] for r in rows] == pytest.approx([r[3] for r in want], rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("punct", ["break", "skip", "keep"])
@pytest.mark.parametrize("include_stop", [False, True])
def test_ngram_frequency_equals_counter(tokens, n, punct, include_stop):
    got = ngram_frequency(tokens, n=n, punct=punct, include_stop=include_stop,
                          include_punct=punct == "keep")
    want = counter_frequency(tokens, n, punct, include_stop=include_stop,
                             include_punct=punct == "keep")
    assert_rows(got, want)
    assert got.equals(term_frequency(ngrams(tokens, n=n, punct=punct), by=None,
                                     include_stop=include_stop,
                                     include_punct=punct == "keep"))


def synthetic_tokens() -> pl.DataFrame:
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from synthetic import generate_chunk

    return analysis.tokenize(generate_chunk(0, 400, seed=7))


REAL_2022 = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "russia-ukraine-2022"


@pytest.mark.parametrize("corpus", ["bundled", "synthetic", "2022"])
def test_bigram_frequency_on_corpora(corpus, bundled_tokens):
    """The report's bigram table: equal to counting the n-gram rows and to a plain Counter."""
    if corpus == "2022" and not REAL_2022.is_dir():
        pytest.skip("../shared/corpora not beside the checkout")
    toks = {"bundled": lambda: bundled_tokens, "synthetic": synthetic_tokens,
            "2022": lambda: analysis.tokenize(analysis.load_corpus(REAL_2022),
                                              progress=False)}[corpus]()
    got = ngram_frequency(toks, n=2)
    assert got.height > 500
    assert got.equals(term_frequency(ngrams(toks, n=2), by=None))
    assert_rows(got, counter_frequency(toks, 2, "break"))


def test_ngram_frequency_wide_keys_and_shuffled_input(bundled_tokens):
    """Codes of 7 terms need more than 64 bits on the bundled vocabulary (the string path);
    rows out of text order give the same table."""
    assert 7 * bundled_tokens["term"].n_unique().bit_length() > 64
    want = term_frequency(ngrams(bundled_tokens, n=7, punct="keep"), by=None,
                          include_stop=True)
    assert want.height > 500
    assert ngram_frequency(bundled_tokens, n=7, punct="keep", include_stop=True).equals(want)
    shuffled = bundled_tokens.sample(fraction=1.0, shuffle=True, seed=3)
    assert ngram_frequency(shuffled).equals(ngram_frequency(bundled_tokens))


def test_ngram_frequency_checks_and_pandas(tokens):
    with pytest.raises(ValueError, match="n must be"):
        ngram_frequency(tokens, n=0)
    with pytest.raises(ValueError, match="sentence_id"):
        ngram_frequency(tokens.drop("sentence_id"))
    assert isinstance(ngram_frequency(tokens.to_pandas()), pd.DataFrame)


@pytest.mark.parametrize("n", [0, -1, 2.5, "2"])
def test_ngrams_invalid_n(tokens, n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        ngrams(tokens, n=n)


def test_ngrams_invalid_punct_and_columns(tokens):
    with pytest.raises(ValueError, match="punct must be"):
        ngrams(tokens, punct="drop")
    with pytest.raises(ValueError, match="sentence_id"):
        ngrams(tokens.drop("sentence_id"))


def test_ngrams_pandas(tokens):
    assert isinstance(ngrams(tokens.to_pandas()), pd.DataFrame)


# ------------------------------------------------------------------ compound

PHRASES = ["Xi Jinping", "United States", "Security Council"]


def regex_count(texts: dict[str, str], phrase: str) -> int:
    """Occurrences of a phrase in the texts, words separated by spaces or tabs only (a line
    break ends a sentence in the tokenizer, and phrases never cross sentences)."""
    words = r"[ \t]+".join(re.escape(w) for w in phrase.split())
    return sum(len(re.findall(rf"\b{words}\b", t, flags=re.IGNORECASE)) for t in texts.values())


def test_compound_joins_phrases(tokens, texts):
    out = compound(tokens, PHRASES)
    for phrase in PHRASES:
        term = phrase.lower()
        joined = out.filter(pl.col("term") == term)
        assert joined.height == regex_count(texts, phrase) > 0, phrase
        for r in joined.iter_rows(named=True):
            span = texts[r["doc_id"]][r["start"]:r["end"]]
            assert " ".join(span.split()).lower() == term
            assert not r["is_stop"] and not r["is_punct"]
    # "Xi Jinping" (twice in d1, one with two spaces), "xi jinping's", "XI JINPING" in d4
    assert out.filter(pl.col("term") == "xi jinping")["doc_id"].to_list() == \
        ["d1", "d1", "d4", "d4"]
    removed = sum((len(p.split()) - 1) * regex_count(texts, p) for p in PHRASES)
    assert out.height == tokens.height - removed


def test_compound_keeps_sentence_boundary(tokens):
    out = compound(tokens, ["United States"])
    d2 = out.filter(pl.col("doc_id") == "d2")["term"].to_list()
    assert d2.count("united states") == 1 and d2.count("united") == 1


def test_compound_longest_first_and_options(tokens):
    out = compound(tokens, ["security council", "UN Security Council"], sep="_")
    assert "un_security_council" in out["term"].to_list()
    assert out.filter(pl.col("term") == "security_council")["doc_id"].to_list() == ["d3"]
    exact = compound(tokens, ["Xi Jinping"], case_sensitive=True)
    assert exact.filter(pl.col("term") == "xi jinping").height == 2  # d1 only


def test_compound_then_count(tokens):
    counts = term_frequency(compound(tokens, PHRASES), by=None)
    assert counts.filter(pl.col("term") == "xi jinping")["n"].item() == 4
    assert counts["n"].sum() == term_frequency(tokens, by=None)["n"].sum() - 4 - 2 - 2


def test_compound_curly_quotes_and_no_phrases(tokens):
    out = compound(tokens, ["China’s position"])
    assert "china 's position" in out["term"].to_list()
    assert compound(tokens, []).equals(tokens.sort("doc_id", "token_id"))
    assert phrase_keys("Russia’s army") == ("russia", "'s", "army")


def test_compound_pandas(tokens):
    out = compound(tokens.to_pandas(), PHRASES)
    assert isinstance(out, pd.DataFrame)
    assert (out["term"] == "united states").sum() == 2  # d2 once (not across "\n"), d4 once


def test_compound_in_slices_of_whole_documents_equals_one_pass(monkeypatch):
    """compound() joins phrases a slice of documents at a time (bounded memory): the result
    is the same as one pass, whatever the slice size (phrases never cross documents)."""
    import importlib

    import polars as pl

    import analysis

    phrase_module = importlib.import_module("analysis.tokens._phrases")

    docs = pl.DataFrame({
        "doc_id": [f"d{i}" for i in range(12)],
        "text": ["Xi Jinping met the UN Security Council. Xi Jinping left."] * 6
        + ["Security Council: Xi\nJinping", "Xi", "", "Jinping Xi Jinping", "x y", "UN"],
    })
    tokens = analysis.tokenize(docs)
    phrases = ["Xi Jinping", "Security Council", "the UN Security Council"]
    whole = analysis.compound(tokens, phrases)
    assert (whole["term"] == "xi jinping").sum() == 13  # not across the line break
    for rows in (1, 5, 17):
        monkeypatch.setattr(phrase_module, "COMPOUND_ROWS", rows)
        assert analysis.compound(tokens, phrases).equals(whole), rows


def test_compound_in_text_order_and_shuffled_give_the_same_table():
    """compound skips the sort when the table is already in text order (no copy), and visits
    only the rows that start a phrase; a shuffled table gives the same result."""
    import polars as pl

    import analysis

    texts = ["Xi Jinping met the UN Security Council. New York is big.",
             "Security Council of New York. xi jinping", "No phrase here."]
    toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a", "b", "c"], "text": texts}))
    phrases = ["xi jinping", "Security Council", "new york", "york"]
    out = analysis.compound(toks, phrases)
    assert out.equals(analysis.compound(toks.sample(fraction=1.0, shuffle=True, seed=3), phrases))
    assert analysis.compound(toks, []) is toks or analysis.compound(toks, []).equals(toks)
    assert analysis.compound(toks.reverse(), []).equals(toks)
    by_doc = {d: out.filter(pl.col("doc_id") == d)["term"].to_list() for d in ("a", "b")}
    assert by_doc["a"][:5] == ["xi jinping", "met", "the", "un", "security council"]
    assert "new york" in by_doc["a"] and "york" not in by_doc["a"]
    assert by_doc["b"] == ["security council", "of", "new york", ".", "xi jinping"]
    joined = out.filter(pl.col("term") == "security council").row(0, named=True)
    assert texts[0][joined["start"]:joined["end"]] == "Security Council"
    assert not joined["is_stop"] and not joined["is_punct"]


@pytest.mark.parametrize("rows", [1, 7, 300])
@pytest.mark.parametrize(("n", "punct"), [(2, "break"), (3, "skip"), (2, "keep")])
def test_ngram_frequency_per_batch_equals_counter(tokens, monkeypatch, rows, n, punct):
    """ngram_frequency counts a batch of whole documents at a time and adds the batches up by
    n-gram key: any batch size gives the Counter's table, on a table in several chunks (cut
    inside documents) and on a shuffled one."""
    import importlib

    monkeypatch.setattr(importlib.import_module("analysis.terms._ngrams"), "BATCH_ROWS", rows)
    want = counter_frequency(tokens, n, punct, include_stop=punct == "keep",
                             include_punct=punct == "keep")
    third = tokens.height // 3
    chunked = pl.concat([tokens.slice(0, third), tokens.slice(third, third),
                         tokens.slice(2 * third)], rechunk=False)
    for table in (chunked, tokens.sample(fraction=1.0, shuffle=True, seed=11)):
        assert_rows(ngram_frequency(table, n=n, punct=punct, include_stop=punct == "keep",
                                    include_punct=punct == "keep"), want)

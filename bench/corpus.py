"""A synthetic news corpus of any size, for benchmarks: ``python -m bench.corpus``.

Documents are built from the sentences of the bundled articles (split with
:func:`analysis.tokens._tokenize.sentence_spans`), resampled with a fixed seed; about 20% of the
words
(alphabetic runs) are replaced by words drawn from a Zipfian vocabulary of 50,000 invented words,
so that the vocabulary keeps growing with the corpus as it does in real text. Each document gets
a random outlet and a publication date in 2021-2023, and about 600 words (uniformly 400-800).
Sentences are joined by a space, and paragraphs (one to six sentences) by a line break.

The corpus is written to one Parquet file (one row group per chunk of documents, so a million
documents never sit in memory at once) with the columns of a loadable table: ``doc_id, title,
outlet, published, text``. The same arguments always produce the same file.

Examples
--------
>>> import tempfile, pathlib, polars as pl
>>> out = pathlib.Path(tempfile.mkdtemp()) / "c.parquet"
>>> _ = write_corpus(out, docs=30, chunk_size=20)
>>> df = pl.read_parquet(out)
>>> df.shape, df.columns
((30, 5), ['doc_id', 'title', 'outlet', 'published', 'text'])
>>> df["doc_id"][0]
'bench-000000000'
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from analysis.config import RAW_DIR  # the bundled articles, the source of the sentences

VOCAB_SIZE = 50_000
"""Invented words in the Zipfian vocabulary."""
ZIPF_EXPONENT = 1.05
REPLACE_SHARE = 0.20
"""Share of words replaced by invented words."""
WORDS_PER_DOC = (400, 800)
"""Document length in words: drawn uniformly from this range (mean 600)."""
OUTLETS = ("Daily Ledger", "Evening Courier", "Morning Post", "The Observer Wire", "Global Desk",
           "Capital Times", "Northern Herald", "Harbour Gazette", "Eastern Bulletin",
           "Metro Chronicle", "Continental Press", "Island Standard")
FIRST_DAY = date(2021, 1, 1)
DAYS = 3 * 365
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_PIECE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[\W\d_]+?(?=[^\W\d_]|$)")


@cache
def invented_vocabulary(size: int = VOCAB_SIZE, seed: int = 7) -> tuple[str, ...]:
    """``size`` distinct pronounceable invented words, most frequent first (deterministic).

    >>> v = invented_vocabulary(5)
    >>> len(set(v)), all(w.isalpha() and w.islower() for w in v)
    (5, True)
    """
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        n = rng.integers(2, 5, size=size)
        picks = rng.integers(0, len(_SYLLABLES), size=(size, 4))
        for k, row in zip(n, picks, strict=True):
            word = "".join(_SYLLABLES[i] for i in row[:k])
            words.setdefault(word, None)
            if len(words) == size:
                break
    return tuple(words)


@cache
def source_sentences() -> tuple[tuple[str, ...], ...]:
    """The bundled articles' sentences, each as alternating letter / other pieces."""
    from analysis import load_corpus
    from analysis.tokens._tokenize import sentence_spans

    docs = load_corpus(RAW_DIR).docs.sort("doc_id")
    out = []
    for text in docs["text"]:
        for a, b in sentence_spans(text):
            out.append(tuple(_PIECE.findall(text[a:b])))
    return tuple(out)


def _source_table() -> pl.DataFrame:
    sents = source_sentences()
    return pl.DataFrame(
        {
            "sent": np.arange(len(sents), dtype=np.int64),
            "piece": [list(s) for s in sents],
        }
    ).with_columns(n_words=pl.col("piece").list.eval(
        pl.element().str.contains(r"^[^\W\d_]")).list.sum())


def generate_chunk(first: int, n_docs: int, *, seed: int = 2024) -> pl.DataFrame:
    """Documents ``first`` .. ``first + n_docs - 1`` (independent of the chunking)."""
    source = _source_table()
    n_source = source.height
    words_per_sent = source["n_words"].to_numpy()
    vocab = pl.Series("vocab", invented_vocabulary())
    ranks = np.arange(1, VOCAB_SIZE + 1, dtype=np.float64)
    cdf = np.cumsum(ranks ** -ZIPF_EXPONENT)
    cdf /= cdf[-1]

    sent_rows: list[np.ndarray] = []
    doc_rows: list[np.ndarray] = []
    para_rows: list[np.ndarray] = []
    for d in range(first, first + n_docs):
        rng = np.random.default_rng([seed, d])
        target = rng.integers(WORDS_PER_DOC[0], WORDS_PER_DOC[1] + 1)
        picks = rng.integers(0, n_source, size=int(target // 8) + 8)
        total = np.cumsum(words_per_sent[picks])
        picks = picks[: int(np.searchsorted(total, target)) + 1]
        sent_rows.append(picks)
        doc_rows.append(np.full(picks.size, d, dtype=np.int64))
        para_rows.append(rng.random(picks.size) < 0.3)
    sents = np.concatenate(sent_rows)
    layout = pl.DataFrame(
        {"doc": np.concatenate(doc_rows), "sent": sents, "new_para": np.concatenate(para_rows)}
    ).with_row_index("pos")
    pieces = layout.join(source.select("sent", "piece"), on="sent", maintain_order="left").explode(
        "piece"
    )
    rng = np.random.default_rng([seed, first, n_docs, 1])
    is_word = pieces["piece"].str.contains(r"^[^\W\d_]")
    replace = (rng.random(pieces.height) < REPLACE_SHARE) & is_word.to_numpy()
    word_ids = np.searchsorted(cdf, rng.random(pieces.height))
    pieces = pieces.with_columns(
        new=vocab.gather(np.minimum(word_ids, VOCAB_SIZE - 1)), replace=pl.Series(replace)
    ).with_columns(
        piece=pl.when(pl.col("replace"))
        .then(
            pl.when(pl.col("piece").str.contains(r"^\p{Lu}"))
            .then(pl.col("new").str.slice(0, 1).str.to_uppercase() + pl.col("new").str.slice(1))
            .otherwise(pl.col("new"))
        )
        .otherwise(pl.col("piece"))
    )
    sentences = (
        pieces.group_by("pos", maintain_order=True)
        .agg(pl.col("doc").first(), pl.col("new_para").first(), pl.col("piece").str.join(""))
        .with_columns(
            sep=pl.when(pl.col("new_para") & (pl.col("pos") > pl.col("pos").min().over("doc")))
            .then(pl.lit("\n"))
            .otherwise(pl.lit(" "))
        )
        .with_columns(
            piece=pl.when(pl.col("pos") == pl.col("pos").min().over("doc"))
            .then(pl.col("piece"))
            .otherwise(pl.col("sep") + pl.col("piece"))
        )
    )
    docs = sentences.group_by("doc", maintain_order=True).agg(
        text=pl.col("piece").str.join(""), title=pl.col("piece").first()
    )
    rng = np.random.default_rng([seed, first, n_docs, 2])
    outlets = pl.Series(OUTLETS).gather(rng.integers(0, len(OUTLETS), size=docs.height))
    days = rng.integers(0, DAYS, size=docs.height)
    return docs.select(
        doc_id=pl.format("bench-{}", pl.col("doc").cast(pl.String).str.zfill(9)),
        title=pl.col("title").str.slice(0, 80),
        outlet=outlets,
        published=pl.lit(FIRST_DAY) + pl.duration(days=pl.Series(days)),
        text=pl.col("text"),
    )


def write_corpus(
    out: str | Path, *, docs: int, chunk_size: int = 5_000, seed: int = 2024,
    progress: bool | None = None,
) -> Path:
    """Write ``docs`` synthetic documents to the Parquet file ``out`` (one row group a chunk).

    Parameters
    ----------
    out
        The Parquet file to write (folders are created).
    docs
        Number of documents.
    chunk_size
        Documents generated and written at a time (bounds the memory used).
    seed
        Random seed; the same seed gives the same corpus.
    progress
        Show a progress bar (tqdm); default: for more than 20,000 documents.

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    starts = range(0, docs, chunk_size)
    if progress is None:
        progress = docs > 20_000
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="generate", unit="chunk")
    writer: pq.ParquetWriter | None = None
    try:
        for first in starts:
            table = generate_chunk(first, min(chunk_size, docs - first), seed=seed).to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=chunk_size)
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m bench.corpus --docs N --out PATH``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", required=True, help="Parquet file to write")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--chunk-size", type=int, default=5_000)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    write_corpus(args.out, docs=args.docs, chunk_size=args.chunk_size, seed=args.seed,
                 progress=False if args.no_progress else None)
    print(args.out)


if __name__ == "__main__":
    main()

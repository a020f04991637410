"""The compact token store: integers per token, each string once (see
:mod:`analysis.tokens._tokenize`).

:func:`token_store` tokenises a corpus exactly as :func:`analysis.tokenize` does and keeps the
result as integer ids into a document table, a table of surface forms and a vocabulary of terms
with their flags; :meth:`TokenStore.table` gives back the tidy token table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from analysis.engine._codes import sort_codes
from analysis.engine._frames import require_columns, to_polars
from analysis.tokens._stopwords import StopwordSpec, resolve_stopwords
from analysis.tokens._tokenize import PUNCT_PATTERN, token_frame


@dataclass(frozen=True)
class TokenStore:
    """A tokenised corpus in compact form: integers per token, strings once.

    Attributes
    ----------
    docs
        ``doc`` (UInt32, the row number of the input), ``doc_id``.
    tokens
        One row per token in text order: ``doc, sentence_id, token_id, form_id, term_id,
        start, end`` (all UInt32).
    forms
        ``form_id``, ``token``: the distinct surface forms (sorted).
    vocab
        ``term_id``, ``term``, ``is_stop``, ``is_punct``: the distinct terms (sorted), flags
        per term (punctuation does not change with quote straightening or lower-casing).
    """

    docs: pl.DataFrame
    tokens: pl.DataFrame
    forms: pl.DataFrame
    vocab: pl.DataFrame

    def table(self) -> pl.DataFrame:
        """The tidy token table of :func:`tokenize` (columns :data:`TOKEN_SCHEMA`)."""
        t = self.tokens
        return pl.DataFrame({
            "doc_id": self.docs["doc_id"].gather(t["doc"]),
            "sentence_id": t["sentence_id"],
            "token_id": t["token_id"],
            "token": self.forms["token"].gather(t["form_id"]),
            "term": self.vocab["term"].gather(t["term_id"]),
            "start": t["start"],
            "end": t["end"],
            "is_stop": self.vocab["is_stop"].gather(t["term_id"]),
            "is_punct": self.vocab["is_punct"].gather(t["term_id"]),
        })


def _ids(values: pl.Series, name: str) -> tuple[pl.Series, pl.Series]:
    """Dense ids (UInt32, in sorted order of the values) and the sorted distinct values
    (:func:`analysis.engine._codes.sort_codes`)."""
    ids, distinct = sort_codes(values, runs=False)
    return ids.alias(name), distinct


def token_store(
    docs: Any,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    text_column: str = "text",
) -> TokenStore:
    """Tokenise a corpus into a :class:`TokenStore` (options as :func:`tokenize`).

    Examples
    --------
    >>> from analysis.tokens._tokenize import tokenize
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["Kyiv said no.", "No, Kyiv said."]})
    >>> store = token_store(docs)
    >>> store.vocab["term"].to_list(), store.tokens["term_id"].to_list()
    ([',', '.', 'kyiv', 'no', 'said'], [2, 4, 3, 1, 3, 0, 2, 4, 1])
    >>> store.table().equals(tokenize(docs))
    True
    """
    table = to_polars(docs, what="token_store()'s docs")
    require_columns(table, ["doc_id", text_column], what="docs")
    stop = resolve_stopwords(stopwords, extra_stopwords)
    frame = token_frame(table, lowercase=lowercase, stop=stop, text_column=text_column)
    form_id, forms = _ids(frame["token"], "form_id")
    term_id, terms = _ids(frame["term"], "term_id")
    vocab = pl.DataFrame({"term_id": pl.int_range(terms.len(), dtype=pl.UInt32, eager=True),
                          "term": terms}).with_columns(
        is_stop=pl.col("term").is_in(sorted(stop)) if stop else pl.lit(False),
        is_punct=pl.col("term").str.contains(PUNCT_PATTERN),
    )
    return TokenStore(
        docs=table.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("doc"),
                          pl.col("doc_id")),
        tokens=frame.select("doc", "sentence_id", "token_id").with_columns(
            form_id, term_id, frame["start"], frame["end"]),
        forms=pl.DataFrame({"form_id": pl.int_range(forms.len(), dtype=pl.UInt32, eager=True),
                            "token": forms}),
        vocab=vocab,
    )

"""Actor dictionaries: the shipped TOML file, your own, or a table; aliases with context rules.

The format is documented at the top of ``analysis/data/actors.toml`` and in ``docs/actors.md``.
Besides its ``aliases`` (and ``seats``), an actor may carry, per alias:

- ``context``: the words that must not come right before or after the alias, and whether a
  capitalised word (a name part) may: ``"West"`` is not the Western bloc in "West Germany" or
  "Kanye West", ``"Washington"`` is not the United States in "Washington Wizards".
- ``valid``: the period in which the alias names the actor (an office holder's title: "Russian
  President" is Vladimir Putin from 2012-05-07); documents published outside it do not match.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import polars as pl

from analysis.config import PACKAGE_DATA
from analysis.engine._frames import require_columns, to_polars

ActorType = Literal["person", "state", "organisation", "place"]
"""The kinds of actor a dictionary may declare."""

ACTORS_FILE: Path = PACKAGE_DATA / "actors.toml"
"""The shipped actor dictionary."""

DictionarySpec = str | Path | Mapping[str, Any] | pl.DataFrame | None

CONTEXT_KEYS = ("not_followed_by", "not_preceded_by", "not_followed_by_capitalised",
                "not_preceded_by_capitalised")
"""The context rules an alias may carry (see ``docs/actors.md``)."""

DICTIONARY_SCHEMA: dict[str, pl.DataType] = {
    "actor": pl.String(), "type": pl.String(), "alias": pl.String(), "seat": pl.String(),
    "not_followed_by": pl.List(pl.String()), "not_preceded_by": pl.List(pl.String()),
    "not_followed_by_capitalised": pl.Boolean(), "not_preceded_by_capitalised": pl.Boolean(),
    "valid_from": pl.Date(), "valid_to": pl.Date(),
}
"""The columns of :func:`actor_dictionary`."""


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: {value!r} is not a date (write YYYY-MM-DD)")


def _words(value: Any, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list) or not all(
        isinstance(w, str) and w.strip() for w in value
    ):
        raise ValueError(f"{where} must be a list of non-empty strings")
    return [w.strip() for w in value]


def _alias_rules(spec: Mapping[str, Any], actor: str, where: str) -> dict[str, dict[str, Any]]:
    """alias -> {context keys, valid_from, valid_to} from an actor's ``context`` and ``valid``."""
    rules: dict[str, dict[str, Any]] = {}
    context = spec.get("context", {})
    valid = spec.get("valid", {})
    if not isinstance(context, Mapping) or not isinstance(valid, Mapping):
        raise ValueError(f"{where}: context and valid of {actor!r} must be tables keyed by alias")
    for alias, ctx in context.items():
        if not isinstance(ctx, Mapping):
            raise ValueError(f"{where}: context of {actor!r} / {alias!r} must be a table")
        unknown = sorted(set(ctx) - set(CONTEXT_KEYS))
        if unknown:
            raise ValueError(f"{where}: context of {actor!r} / {alias!r} has unknown keys "
                             f"{unknown}; use {list(CONTEXT_KEYS)}")
        entry = rules.setdefault(alias, {})
        for key in CONTEXT_KEYS[:2]:
            if key in ctx:
                entry[key] = _words(ctx[key], f"{where}: {actor!r} / {alias!r} {key}")
        for key in CONTEXT_KEYS[2:]:
            if key in ctx:
                if not isinstance(ctx[key], bool):
                    raise ValueError(f"{where}: {actor!r} / {alias!r} {key} must be true/false")
                entry[key] = ctx[key]
    for alias, period in valid.items():
        if not isinstance(period, Mapping) or set(period) - {"from", "to"}:
            raise ValueError(f"{where}: valid period of {actor!r} / {alias!r} must be "
                             "{ from = YYYY-MM-DD, to = YYYY-MM-DD } (either may be left out)")
        entry = rules.setdefault(alias, {})
        entry["valid_from"] = _date(period.get("from"), f"{where}: {actor!r} / {alias!r} from")
        entry["valid_to"] = _date(period.get("to"), f"{where}: {actor!r} / {alias!r} to")
    return rules


def _from_mapping(data: Mapping[str, Any], metonymy: bool, where: str) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    types = get_args(ActorType)
    for actor, spec in data.items():
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: actor {actor!r} must be a table with type and aliases")
        kind = spec.get("type")
        if kind not in types:
            raise ValueError(
                f"{where}: actor {actor!r} has type {kind!r}; use one of {list(types)}"
            )
        aliases = spec.get("aliases", [])
        seats = spec.get("seats", {})
        if isinstance(aliases, str) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ValueError(f"{where}: aliases of {actor!r} must be a list of non-empty strings")
        if not isinstance(seats, Mapping):
            raise ValueError(f"{where}: seats of {actor!r} must be a table: seat = [aliases]")
        if not aliases and not seats:
            raise ValueError(f"{where}: actor {actor!r} has no aliases")
        rules = _alias_rules(spec, actor, where)
        kind = str(kind)
        named: list[tuple[str, str, str, str | None]] = [(actor, kind, a, None) for a in aliases]
        for seat, seat_aliases in seats.items():
            if isinstance(seat_aliases, str) or not all(
                isinstance(a, str) and a.strip() for a in seat_aliases
            ):
                raise ValueError(f"{where}: seat {seat!r} of {actor!r} needs a list of aliases")
            for a in seat_aliases:
                named.append((actor, kind, a, str(seat)) if metonymy
                             else (str(seat), "place", a, str(seat)))
        known = {a for _, _, a, _ in named}
        stray = sorted(set(rules) - known)
        if stray:
            raise ValueError(f"{where}: context/valid of {actor!r} name unknown aliases {stray}")
        for name, k, alias, seat in named:
            rows.append({"actor": name, "type": k, "alias": alias, "seat": seat,
                         **rules.get(alias, {})})
    return _complete(pl.DataFrame(rows, schema=DICTIONARY_SCHEMA) if rows
                     else pl.DataFrame(schema=DICTIONARY_SCHEMA))


def _complete(table: pl.DataFrame) -> pl.DataFrame:
    """Every column of :data:`DICTIONARY_SCHEMA`, with empty lists and ``False`` as defaults."""
    cols = []
    for name, dtype in DICTIONARY_SCHEMA.items():
        col = pl.col(name).cast(dtype) if name in table.columns else pl.lit(None, dtype)
        if name in CONTEXT_KEYS[:2]:
            col = col.fill_null(pl.lit([], dtype))
        elif name in CONTEXT_KEYS[2:]:
            col = col.fill_null(False)
        cols.append(col.alias(name))
    return table.select(cols)


@cache
def _shipped(metonymy: bool) -> pl.DataFrame:
    with ACTORS_FILE.open("rb") as fh:
        return _from_mapping(tomllib.load(fh), metonymy, str(ACTORS_FILE))


def actor_dictionary(dictionary: DictionarySpec = None, *, metonymy: bool = True) -> pl.DataFrame:
    """The actor dictionary as a table: one row per alias.

    Parameters
    ----------
    dictionary
        ``None`` or ``""`` for the shipped ``analysis/data/actors.toml``; a path to your own
        TOML file of the same shape; a dict of that shape; or a polars/pandas table with
        columns ``actor``, ``type``, ``alias`` (the other columns below are optional).
    metonymy
        Capitals and seats of government stand for their state (default); ``False`` makes
        each seat an actor of its own, of type ``"place"``.

    Returns
    -------
    polars.DataFrame
        Sorted by ``actor`` and ``alias``:

        - ``actor``, ``type``, ``alias``: the canonical actor, its type, one spelling.
        - ``seat``: the seat of government an alias names, else null.
        - ``not_followed_by``, ``not_preceded_by``: words (tokens, case-sensitive) that must
          not come right after / before the alias for it to count (empty lists by default).
        - ``not_followed_by_capitalised``, ``not_preceded_by_capitalised``: the alias does not
          count next to a capitalised word that is not a stop-word, title, weekday or month.
        - ``valid_from``, ``valid_to``: the period in which the alias names the actor (null:
          open), compared with the document's ``published`` date.

    Examples
    --------
    >>> d = actor_dictionary()
    >>> d.filter(pl.col("alias").is_in(["Kremlin", "Kiev", "Xi"])).select("actor", "alias")
    shape: (3, 2)
    ┌────────────┬─────────┐
    │ actor      ┆ alias   │
    │ ---        ┆ ---     │
    │ str        ┆ str     │
    ╞════════════╪═════════╡
    │ Russia     ┆ Kremlin │
    │ Ukraine    ┆ Kiev    │
    │ Xi Jinping ┆ Xi      │
    └────────────┴─────────┘
    >>> actor_dictionary(metonymy=False).filter(pl.col("alias") == "Kiev").row(0)[:4]
    ('Kyiv', 'place', 'Kiev', 'Kyiv')
    >>> d.filter(pl.col("alias") == "Russian President").select("valid_from").item()
    datetime.date(2012, 5, 7)
    """
    if dictionary is None or (isinstance(dictionary, str) and not dictionary.strip()):
        table = _shipped(metonymy)
    elif isinstance(dictionary, str | Path):
        path = Path(dictionary)
        if not path.is_file():
            raise FileNotFoundError(f"actor dictionary {str(path)!r} does not exist")
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"actor dictionary {str(path)!r} is not valid TOML: {err}") from err
        table = _from_mapping(data, metonymy, str(path))
    elif isinstance(dictionary, Mapping):
        table = _from_mapping(dictionary, metonymy, "actor dictionary")
    else:
        table = to_polars(dictionary, what="actor dictionary")
        require_columns(table, ["actor", "type", "alias"], what="actor dictionary")
        table = _complete(table)
        bad = table.filter(~pl.col("type").is_in(list(get_args(ActorType))))
        if bad.height:
            raise ValueError(
                f"actor dictionary: type must be one of {list(get_args(ActorType))}; "
                f"got {bad['type'].unique().sort().to_list()}"
            )
        if not metonymy:
            table = table.with_columns(
                actor=pl.coalesce("seat", "actor"),
                type=pl.when(pl.col("seat").is_null()).then("type").otherwise(pl.lit("place")),
            )
    table = table.filter(pl.col("alias").str.strip_chars() != "").unique(
        subset=["actor", "alias"], keep="first", maintain_order=True
    ).sort("actor", "alias")
    clash = table.group_by("alias").agg(pl.col("actor").unique().sort()).filter(
        pl.col("actor").list.len() > 1
    )
    if clash.height:
        a, who = clash.sort("alias").row(0)
        raise ValueError(f"actor dictionary: alias {a!r} is given for several actors: {who}")
    return table

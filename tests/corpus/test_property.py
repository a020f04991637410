"""Properties of the loader over random mixes of sources (issue 12 "Also").

1. Every input (a file, or each row of a table that could be read) appears exactly once in
   ``docs`` or ``skipped``; a table is either skipped whole or accounted for row by row.
2. The same inputs give the same tables and fingerprint in two processes with different
   ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis

WORDS = ["Kyiv", "talks", "minister", "said", "Friday", "ceasefire", "café", "naïve", "grain",
         "port", "the", "of", "and", "“quoted”", "Zürich", "€15", "<b>", "&amp;"]

words = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
row = st.tuples(st.sampled_from(["ok", "ok", "ok", "empty", "ragged", "badjson", "multiline"]),
                words)
text_file = st.tuples(st.just("txt"), st.sampled_from(["ok", "ok", "empty", "binary", "nul",
                                                       "cp1252"]), words)
table_file = st.tuples(st.sampled_from(["csv", "tsv", "jsonl", "json", "csv.gz"]),
                       st.lists(row, min_size=0, max_size=6))
other_file = st.tuples(st.sampled_from(["md", "parquet_bad"]), st.just(""))
files = st.lists(st.one_of(text_file, table_file, other_file), min_size=1, max_size=8)


def write_mix(root: Path, mix: list[tuple]) -> dict[str, int | None]:
    """Write the files; return each file's path and its number of rows (None: a single doc)."""
    expected: dict[str, int | None] = {}
    for i, spec in enumerate(mix):
        kind = spec[0]
        if kind == "txt":
            _, variant, text = spec
            data = {"ok": (text or "x").encode(), "empty": b"",
                    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4,
                    "nul": (text or "x").encode() + b"\x00 tail",
                    "cp1252": (text or "x").encode("cp1252", errors="replace") + b" caf\xe9"}[
                variant]
            path = root / f"f{i}.txt"
            path.write_bytes(data)
            expected[str(path)] = None
        elif kind in ("md", "parquet_bad"):
            path = root / (f"f{i}.md" if kind == "md" else f"f{i}.parquet")
            path.write_bytes(b"PAR1 broken" if kind == "parquet_bad" else b"# notes")
            expected[str(path)] = None
        else:
            rows = spec[1]
            path = root / f"f{i}.{kind}"
            data = table_bytes(kind.removesuffix(".gz"), rows)
            path.write_bytes(gzip.compress(data, mtime=0) if kind.endswith(".gz") else data)
            expected[str(path)] = len(rows)
    return expected


def table_bytes(kind: str, rows: list[tuple[str, str]]) -> bytes:
    if kind in ("jsonl", "json"):
        items = []
        for variant, text in rows:
            if variant == "badjson" and kind == "jsonl":
                items.append('{"text": broken')
            elif variant == "empty":
                items.append(json.dumps({"text": ""}))
            else:
                items.append(json.dumps({"text": text + ("\nsecond" if variant == "multiline"
                                                         else ""), "title": "t"}))
        if kind == "json":
            return ("[" + ",".join(items) + "]").encode()
        return "".join(line + "\n" for line in items).encode()
    sep = "\t" if kind == "tsv" else ","
    out = io.StringIO()
    out.write(f"title{sep}text\n")
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    for variant, text in rows:
        if variant == "ragged":
            out.write(f"t{sep}{text}{sep}extra{sep}more\n")
        elif variant == "empty":
            out.write(f"t{sep}\n")
        elif kind == "tsv":
            out.write(f"t{sep}{text.replace(sep, ' ') or 'x'}\n")
        else:
            writer.writerow(["t", text + ("\nsecond line" if variant == "multiline" else "")])
    return out.getvalue().encode()


def check_accounted(corpus: analysis.Corpus, expected: dict[str, int | None]) -> None:
    seen = corpus.docs["source"].to_list() + corpus.skipped["source"].to_list()
    assert len(seen) == len(set(seen)), "an input appears twice"
    for path, n_rows in expected.items():
        whole = seen.count(path)
        rows = [s for s in seen if s.startswith(path + ":")]
        if n_rows is None or whole:
            assert whole == 1 and not rows, (path, whole, rows)
        else:
            assert sorted(rows) == sorted(f"{path}:{k}" for k in range(1, n_rows + 1)), path
    assert set(seen) <= set(expected) | {s for s in seen if s.rsplit(":", 1)[0] in expected}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mix=files, as_list=st.booleans())
def test_every_input_exactly_once(mix, as_list):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        expected = write_mix(root, mix)
        if as_list:  # a table given by name that cannot be read at all is an error naming it
            try:
                corpus = analysis.load_corpus(sorted(expected), progress=False)
            except analysis.CorpusError as exc:
                assert any(str(exc).startswith(f"{p}: ") for p in expected), exc
                return
        else:
            corpus = analysis.load_corpus(root, progress=False)
        check_accounted(corpus, expected)
        assert corpus.docs["doc_id"].is_unique().all()


SCRIPT = """
import hashlib, sys
import analysis
for folder in sys.argv[1:]:
    c = analysis.load_corpus(folder, progress=False)
    h = hashlib.sha256()
    for frame in (c.docs, c.skipped, c.notes, c.removed):
        h.update(frame.write_csv().encode())
    print(c.fingerprint, h.hexdigest()[:16])
"""


def test_same_inputs_same_tables_under_different_hash_seeds(tmp_path):
    rng = random.Random(12)
    folders = []
    for k in range(6):
        mix = []
        for _ in range(rng.randint(2, 7)):
            kind = rng.choice(["txt", "csv", "jsonl", "json", "tsv", "md"])
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 10)))
            if kind == "txt":
                mix.append(("txt", rng.choice(["ok", "ok", "cp1252", "empty"]), text))
            elif kind == "md":
                mix.append(("md", ""))
            else:
                rows = [(rng.choice(["ok", "ok", "empty", "ragged", "multiline"]),
                         " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))))
                        for _ in range(rng.randint(1, 5))]
                mix.append((kind, rows))
        folder = tmp_path / f"mix{k}"
        folder.mkdir()
        write_mix(folder, mix)
        (folder / "dup.txt").write_text(text or "same text", encoding="utf-8")
        folders.append(str(folder))
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", SCRIPT, *folders], env=env, check=True,
                              capture_output=True, text=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == len(folders)

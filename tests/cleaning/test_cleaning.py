"""Cleaning: junk rules measured on hand-labelled samples, real text kept, Unicode, markup."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.cleaning._column import clean_texts
from analysis.cleaning._normalise import normalise_unicode, prepare_text, strip_html
from analysis.cleaning._rules import BOILERPLATE_RULES, WIRE_CREDIT_RULES, BoilerplateRule
from analysis.cleaning._text import clean_text
from analysis.config import RAW_DIR
from tests.cleaning_labels import load_labels, score

ALL = (*BOILERPLATE_RULES, *WIRE_CREDIT_RULES)


@pytest.mark.parametrize("rules", [ALL, BOILERPLATE_RULES], ids=["with_wire_credits", "default"])
@pytest.mark.parametrize("name", ["heldout.jsonl", "dev.jsonl"])
def test_labelled_precision_and_recall(name, rules):
    errors: list[str] = []
    s = score(load_labels(name), errors=errors, rules=rules)
    assert s.removed_lines >= 15 and s.junk >= 30  # the sample is not trivial
    assert s.line_precision >= 0.95, errors
    assert s.span_precision >= 0.95, errors
    assert s.recall >= 0.9, errors
    assert s.kept == s.keep, errors


def test_labelled_samples_cover_three_corpora():
    for name in ["heldout.jsonl", "dev.jsonl"]:
        corpora = {r["corpus"].split("-")[0] for r in load_labels(name)}
        assert {"bundled", "2022", "assembled"} <= corpora


def test_score_can_fail():
    # The scorer is independent of the rules: a rule that removes real text lowers precision.
    rec = {"id": "x", "corpus": "t", "text": "Real text.\nExit mobile version",
           "junk_lines": [], "junk_spans": [], "keep_spans": ["Real text."]}
    s = score([rec])
    assert s.line_precision == 0.0 and s.removed_lines == 1


@pytest.mark.parametrize(
    "line",
    [
        "share on revenues of 3.49 billion dlrs.",
        "Share prices fell 3% in Moscow.",
        "Sign up fees were waived for refugees, the ministry said.",
        "The print edition of the paper sold out.",
        "Credit card spending rose 4%.",
        "With Germany and France, Poland pushed for the embargo.",
        "Updated figures published on Monday showed 12% growth.",
        "Reuters reports that talks resumed.",
    ],
)
def test_real_text_is_kept(line):
    r = clean_text(f"First line.\n{line}\nLast line.")
    assert line in r.text and r.removed == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Reuters contributed to this report", "agency_credit"),
        ("With Reuters, the Associated Press and AFP", "agency_credit"),
        ("Share on Facebook", "share_prompt"),
        ("Share this article", "share_prompt"),
        ("Click to share on Twitter (Opens in new window)", "share_prompt"),
        ("Sign up to First Edition, our free daily newsletter – every weekday at 7am BST",
         "newsletter_promo"),
        ("Get the print edition", "print_edition"),
        ("Photograph: Olivier Matthys/AP", "image_credit"),
        ("Credit: Getty Images", "image_credit"),
        ("Reuter", "wire_signoff"),
        ("Updated at 22.28 BST", "update_stamp"),
        ("Nice view pic.twitter.com/AbC123 — Jane Doe (@jdoe) May 1, 2022", "tweet_embed"),
    ],
)
def test_junk_lines_removed_with_their_rule(line, rule):
    r = clean_text(f"Body.\n{line}", rules=ALL)
    assert r.text == "Body."
    assert r.removed == [(2, line, rule)]


@pytest.mark.parametrize(
    ("raw", "text", "span", "rule"),
    [
        ("Talks went on… [+2841 chars]", "Talks went on", "… [+2841 chars]",
         "truncation_marker"),
        ("Grain (Image credit: Getty Images) moved.", "Grain moved.",
         "(Image credit: Getty Images)", "image_credit_span"),
        ("Rates held. (Reporting by Jane Doe; Editing by John Smith)", "Rates held.",
         "(Reporting by Jane Doe; Editing by John Smith)", "wire_credit"),
        ("Wow pic.twitter.com/AbC123 indeed", "Wow indeed", "pic.twitter.com/AbC123",
         "tweet_link"),
        ("2022-07-12T08:15:00Z The bank cut rates.", "The bank cut rates.",
         "2022-07-12T08:15:00Z", "iso_timestamp"),
        ("No limits. EFE gbm/up/ssk", "No limits.", "EFE gbm/up/ssk", "wire_initials"),
    ],
)
def test_junk_spans_removed_and_recorded(raw, text, span, rule):
    r = clean_text(raw, rules=ALL)
    assert r.text == text
    assert r.removed == [(1, span, rule)]
    assert [(s[0], s[3], s[4]) for s in r.spans] == [(1, span, rule)]


def test_escaped_line_breaks_and_entities():
    r = clean_text("One.\\r\\nTwo &amp; three.\\nFour &lt;b&gt; &amp;amp; five")
    assert r.text == "One.\nTwo & three.\nFour <b> & five"
    assert not r.html_stripped


def test_angle_bracketed_names_are_not_markup():
    raw = "<p>LONDON - <Sale Tilney Plc> said <A.H. Belo Corp> and <Mark Twain Co> rose.</p>"
    assert clean_text(raw).text == (
        "LONDON - <Sale Tilney Plc> said <A.H. Belo Corp> and <Mark Twain Co> rose."
    )
    assert clean_text("<Sale Tilney Plc> said").text == "<Sale Tilney Plc> said"
    assert strip_html('<div class="x"><b>Bold</b> <Time Inc></div>') == "Bold <Time Inc>"


def test_script_content_recorded():
    r = clean_text("<p>Text.</p><script>var x = 1;</script>")
    assert r.text == "Text." and r.html_stripped
    assert (0, "var x = 1;", "html_hidden") in r.removed


def test_joiners_kept_bidi_removed():
    fire = "\u2764\ufe0f\u200d\U0001f525"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # mi-khaham, ZWNJ inside
    text, _, records = prepare_text(f"{fire} {persian}\nTitle \u202eevil\u202c here")
    assert fire in text and persian in text
    assert "\u202e" not in text and "\u202c" not in text
    assert records == [(2, "U+202E", "bidi_control"), (2, "U+202C", "bidi_control")]
    assert normalise_unicode("\u200dx\u200d y") == "x y"  # joiners at word edges go
    r = clean_text("A \u2066b\u2069")
    assert r.text == "A b" and [x[2] for x in r.removed] == ["bidi_control", "bidi_control"]


def test_custom_rules_extend_the_defaults():
    rules = [*BOILERPLATE_RULES, BoilerplateRule("byline", r"by [a-z ]+"),
             BoilerplateRule("hashtag", r"#\w+", "span")]
    r = clean_text("By Jane Doe\nTalks #peace resumed.", rules=rules)
    assert r.text == "Talks resumed."
    assert r.removed == [(1, "By Jane Doe", "byline"), (2, "#peace", "hashtag")]


def _parity_texts() -> list[str]:
    texts = [r["text"] for name in ["heldout.jsonl", "dev.jsonl"] for r in load_labels(name)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(RAW_DIR.glob("*.txt"))]
    texts += ["", "   ", "A \u202eb\u202c\nSign up\n\n\n\nx [+3 chars]", "<p>a</p><script>s</script>",
              "Only junk:\nShare on Facebook", "line one\r\nline two\\r\\nthree"]
    return texts


def test_column_path_gives_the_same_result():
    texts = _parity_texts()
    out = clean_texts(texts)
    assert out.text.to_list() == [clean_text(t).text for t in texts]
    assert out.html_stripped.to_list() == [clean_text(t).html_stripped for t in texts]
    expected = [(row, *rec) for row, t in enumerate(texts) for rec in clean_text(t).removed]
    assert out.removed.rows() == expected
    assert len(expected) > 50


def test_column_path_accepts_a_series_and_custom_rules():
    rules = [*BOILERPLATE_RULES, BoilerplateRule("hashtag", r"#\w+", "span")]
    out = clean_texts(pl.Series(["Talks #peace resumed.", None]), rules=rules)
    assert out.text.to_list() == ["Talks resumed.", ""]
    assert out.removed.rows() == [(0, 1, "#peace", "hashtag")]


def test_wire_credits_kept_by_default():
    # analysis.wire_sources reads them from the text; they go only when asked for
    raw = "Rates held. (Reporting by Jane Doe)\nNo limits. EFE gbm/up/ssk\nWith Reuters and EFE"
    assert clean_text(raw).text == raw
    assert clean_text(raw, rules=ALL).text == "Rates held.\nNo limits."
    assert {r.name for r in WIRE_CREDIT_RULES}.isdisjoint(r.name for r in BOILERPLATE_RULES)

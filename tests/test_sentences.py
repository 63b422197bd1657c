"""Sentence splitting: the answer step quotes sentences, and the index stores one vector per sentence."""

from __future__ import annotations

from qa.sentences import paragraph_sentences, split_sentences


def test_abbreviations_and_quoted_titles_do_not_end_a_sentence() -> None:
    text = "MEXT, METI, etc. approved it (Act No. 52 of 1998). JST formulated “Beyond Limits. Unlock” in 2019."
    assert split_sentences(text) == [
        "MEXT, METI, etc. approved it (Act No. 52 of 1998).",
        "JST formulated “Beyond Limits. Unlock” in 2019.",
    ]


def test_list_items_in_figure_text_are_sentences() -> None:
    text = "Rates: (1) When the ratio exceeds 10%, the limit rises (time-limited) (2) For SMEs, an extra 10% applies."
    assert split_sentences(text) == [
        "Rates: (1) When the ratio exceeds 10%, the limit rises (time-limited)",
        "(2) For SMEs, an extra 10% applies.",
    ]


def test_joined_sentences_give_the_text_back() -> None:
    text = "First one. Second (2) item stays. Third (time) (3) splits here."
    assert " ".join(paragraph_sentences(text)) == text
    assert paragraph_sentences("no full stop at all") == ["no full stop at all"]

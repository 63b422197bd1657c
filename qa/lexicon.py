"""Every word list the pipeline uses, in one place, for any English policy document.

Lists here are vocabulary, not rules: the rules that read them live with the step that applies
them. Keep each list general (no names from one document).
"""

from __future__ import annotations

# Abbreviations whose full stop does not end a sentence (lower case, without the final stop).
ABBREVIATIONS = frozenset({
    # general
    "etc", "approx", "e.g", "i.e", "vs", "cf", "al", "viz", "ca", "est",
    # citations and law
    "no", "nos", "sec", "secs", "art", "arts", "para", "paras", "ch", "chap", "cl", "subsec", "subpara",
    "p", "pp", "vol", "vols", "ed", "eds", "fig", "figs", "tab", "app", "stat", "reg", "regs", "pub",
    "u.s", "u.s.a", "u.s.c", "p.l", "h.r", "h.res", "s.res", "u.k", "e.u", "u.n", "d.c",
    "cong", "sess", "fed", "dept", "govt", "admin", "assn", "natl", "intl", "corp", "inc", "ltd", "co", "bros",
    # titles of people
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "hon", "jr", "sr", "st", "mt", "ft",
    # months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})

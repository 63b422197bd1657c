"""Every word list the pipeline uses, in one place, for any English policy document.

Lists here are vocabulary, not rules: the rules that read them live with the step that applies
them. Keep each list general (no names from one document).
"""

from __future__ import annotations

import re

# Abbreviations whose full stop does not end a sentence (lower case, without the final stop).
ABBREVIATIONS = frozenset({
    # general
    "etc", "approx", "e.g", "i.e", "vs", "cf", "al", "viz", "ca", "est",
    # citations and law
    "no", "nos", "sec", "secs", "art", "arts", "para", "paras", "ch", "chap", "cl", "subsec", "subpara",
    "p", "pp", "vol", "vols", "ed", "eds", "fig", "figs", "tab", "app", "stat", "reg", "regs", "pub",
    "u.s", "u.s.a", "u.s.c", "p.l", "h.r", "h.res", "s.res", "h.j.res", "s.j.res", "h.con.res", "s.con.res",
    "u.k", "e.u", "u.n", "d.c",
    "cong", "sess", "fed", "dept", "govt", "admin", "assn", "natl", "intl", "corp", "inc", "ltd", "co", "bros",
    # titles of people
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "hon", "jr", "sr", "st", "mt", "ft",
    # months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})

# Openers an analyst types before a question; they ask nothing themselves.
POLITE_OPENERS = ("please tell me", "can you tell me", "can you find", "could you tell me", "i'd like to know",
                  "i want to know", "do you know", "please", "tell me")

# One-word synonyms common in policy questions, each way round (for the phrasing-invariance eval:
# a question asked with one word swapped must get the same verdict and first citation).
SYNONYMS = {
    "about": "approximately", "approximately": "about", "roughly": "about",
    "began": "started", "started": "began", "begin": "start", "start": "begin",
    "created": "established", "established": "created", "founded": "established",
    "goal": "aim", "aim": "goal", "purpose": "aim", "objective": "goal",
    "firms": "companies", "companies": "firms", "firm": "company", "company": "firm",
    "nations": "countries", "countries": "nations", "country": "nation",
    "yearly": "annual", "annual": "yearly", "total": "overall", "overall": "total",
    "programme": "program", "program": "programme", "programmes": "programs", "programs": "programmes",
    "organisations": "organizations", "organizations": "organisations",
    "organisation": "organization", "organization": "organisation",
    "funding": "financing", "financing": "funding", "money": "funding",
    "big": "large", "large": "big", "main": "principal", "principal": "main",
    "received": "got", "obtained": "received", "enacted": "passed", "passed": "enacted",
    "shows": "indicates", "indicates": "shows", "number": "count", "rise": "increase", "increase": "rise",
    "help": "assist", "assist": "help", "support": "assist",
}

# Words that mean one thing, folded into one term by the stemmer in text and questions alike, so
# `when did it begin` meets `started in 2019` and `yearly` is never read as `year`.
SAME_WORDS = {
    "begin": "start", "begins": "start", "began": "start", "begun": "start", "beginning": "start",
    "yearly": "annual", "annually": "annual", "nation": "country", "nations": "countries",
}
# British spellings read as American ones, so either way of writing finds the other.
BRITISH_SPELLINGS = {
    "programme": "program", "programmes": "programs", "centre": "center", "centres": "centers",
    "labour": "labor", "defence": "defense", "licence": "license", "licences": "licenses",
    "colour": "color", "favour": "favor", "behaviour": "behavior", "neighbour": "neighbor",
    "catalogue": "catalog", "analyse": "analyze", "analysed": "analyzed", "modelling": "modeling",
    "travelling": "traveling", "fulfil": "fulfill", "enrol": "enroll", "enrolment": "enrollment",
}

# Head nouns of an organisation's name: `Ministry of …`, `… Agency`, `… Council`. One list for every
# step that asks whether a name or a noun is a body (a lower-case `the farm ministry` included).
ORGANISATION_NOUNS = frozenset({
    "ministry", "agency", "office", "organization", "organisation", "institute", "institution", "council",
    "cabinet", "headquarters", "center", "centre", "association", "federation", "university", "corporation",
    "corp", "company", "team", "commission", "union", "committee", "sub-committee", "subcommittee", "board",
    "panel", "foundation", "society", "consortium", "body",
})


def alternation(nouns) -> str:
    """A regex group body matching any of `nouns` (longest first, so `sub-committee` beats `committee`)."""
    return "|".join(re.escape(n) for n in sorted(nouns, key=lambda n: (-len(n), n)))


# Money and quantities, in the forms English policy text writes them: `$468 million`, `US$2.1bn`,
# `€40 billion`, `£3m`, `¥1.2 trillion`, `46.3 billion yen`, `12 percent`, `2 percentage points`.
CURRENCY_SYMBOLS = ("US$", "A$", "C$", "$", "€", "£", "¥")
CURRENCY_WORDS = frozenset({
    "yen", "dollar", "dollars", "euro", "euros", "pound", "pounds", "sterling", "yuan", "renminbi",
    "rupee", "rupees", "franc", "francs",
})
SCALE_WORDS = ("thousand", "million", "billion", "trillion")
# Written right after a number, and only after a currency symbol (`£3m`; a bare `3m` may be metres).
SCALE_ABBREVIATIONS = ("bn", "mn", "m", "k")
PERCENT_WORDS = ("percentage points", "percentage point", "per cent", "percent", "pp")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
NUMBER_NAMES = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "hundred",
)
# What each number name counts (`Which six regions …?` asks for six).
NUMBER_VALUES = dict(zip(NUMBER_NAMES, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30, 100), strict=True))
# Measures of size a question may ask for, and the units that state them: (name, question pattern, unit pattern).
# `What is the maximum area a contract may cover?` is answered by `75,000 square kilometers`, never by `17 contracts`.
DIMENSIONS = (
    ("area",
     r"\bhow (?:large|big) is the area\b|\b(?:maximum|minimum|total|land|surface|permit|license|licence)\s+areas?\b"
     r"|\bhow many (?:square|hectares|acres)\b|\bsize of the area\b",
     r"\bsquare\s+(?:kilomet|kilometr|mile|met|feet|foot)\w*|\bkm2\b|km²|\bsq\.?\s?(?:km|mi|m|ft)\b|\bhectares?\b|\bacres?\b"),
    ("depth or distance",
     r"\bdepths?\b|\bhow (?:deep|far)\b|\bdistance\b",
     r"\b(?:kilomet|kilometr|met|metr|mile|feet|foot|nautical)\w*|\bkm\b|\bft\b|\bm\b"),
    ("weight",
     r"\bhow many (?:metric )?(?:tons|tonnes)\b|\bhow heavy\b|\bweight\b|\btonnage\b",
     r"\b(?:tons?|tonnes?|kilograms?|kg|pounds|lbs)\b"),
)
# What a rate is counted per: `$1,500 per metric ton`, `$54 per MTCO2e`, `18.3 cents per gallon`, `per capita`.
RATE_UNITS = (
    "ton", "tons", "tonne", "tonnes", "mtco2e", "gallon", "gallons", "barrel", "barrels", "mile", "miles", "kwh",
    "mwh", "megawatt", "megawatts", "kilogram", "kilograms", "kg", "pound", "pounds", "capita", "person", "head",
    "hour", "student", "students", "household", "households", "vehicle", "vehicles", "unit",
)
# Units of a length of time: `10 to 20 years`, `two months after the test`, `within 60 days`.
DURATION_UNITS = ("year", "month", "week", "day", "decade", "hour")
# Words that make an amount a change, not a level: `reducing funding by $25.2 million`, `$527.8 million less`.
CHANGE_WORDS = (
    "increase", "increased", "increases", "increasing", "decrease", "decreased", "decreases", "decreasing",
    "reduce", "reduced", "reduces", "reducing", "reduction", "cut", "cuts", "cutting", "raise", "raised",
    "raising", "rise", "rose", "risen", "fall", "fell", "fallen", "drop", "dropped", "grow", "grew", "growth",
    "boost", "boosted", "lower", "lowered", "higher", "more", "less", "change", "changed", "difference",
    "gap", "saving", "savings", "shortfall",
)
# Shares and magnitudes written in words: `over half of the world’s population`, `almost three-fourths
# of households`, `billions or even trillions of decision points`.
FRACTION = (
    r"(?:one|two|three|four|a)[- ](?:half|third|thirds|quarter|quarters|fourth|fourths|fifth|fifths|tenth|tenths)"
    r"|half"
)
MAGNITUDE_WORDS = ("dozens", "hundreds", "thousands", "millions", "billions", "trillions")
# How often something happens: `on a semi-annual basis`, `quarterly`, `every two years`.
FREQUENCY = (
    r"\b(?:(?:semi|bi)-?annual(?:ly)?|annual(?:ly)?|biennial(?:ly)?|quarterly|monthly|weekly|daily|yearly"
    r"|every\s+(?:other\s+|\w+\s+)?(?:years?|months?|weeks?|days?))\b(?:\s+basis)?"
)

# Words after `It is …` that keep `It` a pronoun for what came before: `It is able to …`, `It is likely to …`,
# `It is due to …` (whereas `It is important to …` and `It is expected that …` point at no earlier thing).
# Read before `to` only.
REFERRING_COMPLEMENTS = frozenset({
    "a", "an", "the", "its", "their", "one", "able", "unable", "likely", "unlikely", "due", "set", "ready", "willing",
    "eligible", "bound", "about", "going", "expected", "scheduled", "slated", "sure", "certain", "used", "designed",
    "intended", "meant", "required", "supposed",
})

# Nouns that count whatever their modifiers say (`joint research activities` are counted as `joint
# research`): as the head of a counted phrase they do not name the thing counted on their own.
LIGHT_NOUNS = frozenset({
    "activity", "activities", "case", "cases", "item", "items", "instance", "instances", "example", "examples",
    "effort", "efforts", "type", "types", "kind", "kinds", "form", "forms", "unit", "units",
})

# Posts and titles that mark a person in the text (`Minister`, `Dr`), and nouns that name a kind of place.
PERSON_TITLES = (
    "Minister", "President", "Chair", "Chairman", "Chairperson", "Chairwoman", "Director", "Prime", "Governor",
    "Mayor", "Professor", "Secretary", "Commissioner", "Administrator", "Senator", "Representative", "Ambassador",
    "Dr", "Mr", "Ms", "Mrs",
)
# Nouns for a whole document, the kind a question cites as its source (`according to the World Bank
# EdTech paper`); not a part of one (`table`, `section`), which the question asks about.
DOCUMENT_NOUNS = ("white paper", "working paper", "paper", "report", "overview", "roadmap", "road map", "study",
                  "document", "publication", "primer")
# Words asking for, or stating, the top or the bottom of a series (`the highest number of staff` ←
# `increased to a high of 323`); `most`/`least` are left out (`who realizes most innovations`).
HIGH_WORDS = ("highest", "largest", "greatest", "biggest", "maximum", "peak", "record")
LOW_WORDS = ("lowest", "smallest", "fewest", "minimum")
# Two cases a question picks one of (`the rural share`, `the median grant`, `filing separately`): a
# sentence that states the other case and not the asked one answers another question. Each side is
# words (matched whole, in any case, also with a plural `s`) and phrases that say the same (`up to`
# states a maximum). qa.rules.sentence.other_case reads them.
CONTRASTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("minimum", "at least", "no less than"), ("maximum", "up to", "not exceed", "no more than", "at most")),
    (("median",), ("average",)),
    (("optimistic",), ("pessimistic",)),
    (("jointly",), ("separately",)),
    (("urban",), ("rural",)),
    (("public",), ("private",)),
    (("import",), ("export",)),
    (("male", "men", "boy"), ("female", "women", "girl")),
    (("gross",), ("net",)),
)
# Words that say a question asks for a measure (`the exemption amount`, `the matching share`), not what is measured.
MEASURE_WORDS = ("amount", "rate", "level", "number", "count", "share", "proportion", "ratio", "total", "value",
                 "size", "figure", "sum", "percentage", "percent")
# Nouns for what a body or a programme is for (`The EDA's mission is to …`, `its aim is to …`).
PURPOSE_NOUNS = ("aim", "purpose", "objective", "goal", "mission")
PLACE_NOUNS = ("city", "municipality", "prefecture", "region", "country", "town", "district", "area", "location",
               "state", "province", "county", "territory")

# A reference to a law or a code, whose numbers are neither counts nor years: `P.L. 119-4`, `Public Law
# 117-58`, `7 U.S.C. §1991`, `42 U.S.C. 3121 et seq.`, `§302(b)`, `129 Stat. 2242`, `Act No. 52`, `H.R. 1234`.
LAW_REFERENCE = re.compile(
    r"\b(?:P\.\s?L\.|Pub\.\s?L\.|Public\s+Law)\s*(?:No\.\s*)?\d+[-–]\d+"
    r"|\b\d+\s+(?:U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.|Stat\.)\s*(?:§+\s*)?\d+[\w.–-]*(?:\([\w]+\))*(?:\s+et\s+seq\.?)?"
    r"|§+\s*\d+[\w.–-]*(?:\([\w]+\))*"
    r"|\b(?:Act|Law|Ordinance|Order)\s+No\.\s*\d+"
    r"|\b(?:H\.\s?R\.|H\.\s?Res\.|S\.\s?Res\.)\s*\d+"
)

CURRENCY_SYMBOL = "(?:" + "|".join(re.escape(c) for c in CURRENCY_SYMBOLS) + ")"
_SCALE = "|".join(SCALE_WORDS)
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# A number, or a range of two (`10-20`, `3 to 5`), not inside a word, a date or a reference (`1.2.3`).
NUMBER = rf"(?<![\w.\-/]){_NUMBER}(?:\s?(?:to|-|–)\s?{_NUMBER})?"
PERCENT = r"(?:\s?%|\s?(?:" + "|".join(re.escape(w) for w in PERCENT_WORDS) + r")\b)"
# An amount: `$468 million`, `US$2.1bn`, `46.3 billion yen`, `12%`, `2 percentage points`, `300 cases`' `300`.
AMOUNT = (
    rf"(?<!\w){CURRENCY_SYMBOL}\s?{_NUMBER}(?:(?:{'|'.join(SCALE_ABBREVIATIONS)})\b|\s+(?:{_SCALE})\b)?"
    rf"|{NUMBER}{PERCENT}?(?:\s+(?:{_SCALE})\b)?(?:\s+(?:{alternation(CURRENCY_WORDS)})\b)?"
)
# Nouns that name a sum of money: `What were EDA appropriations in FY2024?` asks for an amount.
MONEY_NOUNS = (
    "appropriations", "appropriation", "budget", "budgets", "cost", "costs", "spending", "expenditure",
    "expenditures", "outlays", "funding", "revenue", "revenues", "price", "prices", "fee", "fees", "salary",
    "salaries", "wage", "wages", "stipend", "allowance", "amount", "amounts", "deduction", "deductions",
    "exemption", "exemptions", "threshold", "thresholds", "payment", "payments",
)
# What makes an amount money: a currency symbol or word.
CURRENCY = rf"{CURRENCY_SYMBOL}|\b(?:{alternation(CURRENCY_WORDS)})\b"


# What a caption opens with (`Table 1.`, `Figure 2-5-1:`, `Box A-1`): never a heading, a running
# footer or a contents entry. Numbered only: `Table of Contents` and `Figures show …` are not captions.
CAPTION_WORDS = ("figure", "fig.", "table", "chart", "box", "map", "exhibit")
CAPTION_START = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in CAPTION_WORDS) + r")\s+[a-z]?-?\d+(?:[-.]\d+)*[a-z]?\b", re.IGNORECASE
)


def plural(noun: str) -> str:
    """`ministry` → `ministries`, `office` → `offices`, `headquarters` stays."""
    if noun.endswith("s"):
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"

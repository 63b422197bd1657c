"""The veto rules one by one: each vetoes its example and lets the near-miss pass (real code, no mocks)."""

from __future__ import annotations

import pytest

from qa.acronyms import Acronym, AcronymTable
from qa.extract import pick_span
from qa.question import analyse
from qa.records import LEAD_SEPARATOR
from qa.reply import draft
from qa.rules import NO_SENTENCE, NOTHING_RETRIEVED, ORDER, RULES, STAGES, Case, disabled, judge

TABLE = AcronymTable([
    Acronym("SATREPS", "Science and Technology Research Partnership for Sustainable Development", "d:s1.p1"),
    Acronym("MAFF", "Ministry of Agriculture, Forestry and Fisheries", "d:s1.p2"),
    Acronym("JST", "Japan Science and Technology Agency", "d:s1.p3"),
    Acronym("NEDO", "New Energy and Industrial Technology Development Organization", "d:s1.p4"),
])
BODIES = frozenset({"MAFF", "JST", "NEDO"})


def passage(name: str, question: str, text: str, doc: str = "", coverage: float = 1.0) -> str | None:
    return RULES[name].check(Case(analyse(question), TABLE, passage=text, doc=doc, coverage=coverage))


def sentence(name: str, question: str, text: str, context: str = "") -> str | None:
    q = analyse(question)
    case = Case(q, TABLE, passage=context or text, sentence=text, bodies=BODIES,
                paraphrased=tuple(TABLE.bodies(q.text)))
    return RULES[name].check(case)


def vetoed_by(question: str, text: str, earlier: str = "", similarity: float = 0.0) -> str | None:
    """The span rule that vetoes the reply `text` gives to `question`, or None when it answers."""
    reason = draft(analyse(question), text, TABLE, earlier, similarity).reason
    return reason.rule if reason else None


# The registry


def test_every_registered_rule_has_a_declared_place_and_every_declared_rule_exists() -> None:
    declared = [name for stage in STAGES for name in ORDER[stage]]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(RULES)
    for stage in STAGES:
        assert all(RULES[name].stage == stage for name in ORDER[stage])
    assert [RULES[name].place for name in declared] == list(range(len(declared)))


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_says_what_it_checks_why_and_an_example(name: str) -> None:
    doc = RULES[name].doc
    assert doc.splitlines()[0].strip(), name
    assert "Why:" in doc and "Example" in doc, name


def test_the_first_veto_decides_and_explaining_asks_every_rule() -> None:
    q = analyse("How many TLOs were approved in FY2015?")
    case = Case(q, TABLE, passage="Nothing here.", coverage=0.0)
    assert [c.rule for c in judge("passage", case)] == ["year_mismatch"]
    every = judge("passage", case, every=True)
    assert [c.rule for c in every] == list(ORDER["passage"])
    assert [c.rule for c in every if not c.passed] == ["year_mismatch", "name_missing", "low_coverage"]


def test_a_disabled_rule_passes_without_being_asked() -> None:
    q = analyse("How many TLOs were approved in FY2015?")
    case = Case(q, TABLE, passage="In FY2019, 34 TLOs were approved.")
    with disabled("year_mismatch"):
        checks = judge("passage", case, every=True)
    assert all(c.passed for c in checks)
    assert not checks[0].enabled
    assert not judge("passage", case)[0].passed  # switched back on
    with pytest.raises(KeyError), disabled("no_such_rule"):
        pass


def test_abstentions_no_rule_decides_have_names_of_their_own() -> None:
    assert {NOTHING_RETRIEVED, NO_SENTENCE}.isdisjoint(RULES)


# Passage rules


def test_year_mismatch_vetoes_another_year_and_says_which() -> None:
    detail = passage("year_mismatch", "How many TLOs were approved in FY2015?", "In FY2019, 34 TLOs were approved.")
    assert detail == "asks FY2015; the passage gives FY2019"


def test_year_mismatch_passes_the_asked_year() -> None:
    text = "In FY2015, 30 TLOs were approved."
    assert passage("year_mismatch", "How many TLOs were approved in FY2015?", text) is None


def test_year_mismatch_reads_a_two_digit_fiscal_year() -> None:
    """`FY24` in either the question or the passage is 2024, and never 2025."""
    assert passage("year_mismatch", "How many grants were made in FY2024?", "In FY24, EDA made 41 grants.") is None
    assert passage("year_mismatch", "How many grants were made in FY24?", "In FY2024, EDA made 41 grants.") is None
    assert passage("year_mismatch", "How many grants were made in FY24?", "In FY25, EDA made 41 grants.") is not None


def test_ordinal_missing_vetoes_another_plan() -> None:
    assert passage("ordinal_missing", "What did the 6th Basic Plan set?", "The 5th Basic Plan set targets.")


def test_ordinal_missing_passes_the_ordinal_in_words() -> None:
    assert passage("ordinal_missing", "What did the 6th Basic Plan set?", "The sixth Basic Plan set targets.") is None


def test_number_missing_vetoes_another_figure() -> None:
    question = "How many firms got grants of over 10 million yen?"
    assert passage("number_missing", question, "Grants of over 5 million yen went to 12 firms.")


def test_number_missing_passes_the_questions_figure() -> None:
    question = "How many firms got grants of over 10 million yen?"
    assert passage("number_missing", question, "Grants of over 10 million yen went to 12 firms.") is None


def test_number_missing_wants_a_labels_number_with_its_label() -> None:
    question = "What does the GOVERN 7 category cover?"
    listing = "6. Be useful to a wide range of sectors. 7. Be outcome-focused and non-prescriptive."
    assert passage("number_missing", question, listing) == "asks about 7; the passage does not state it"
    assert passage("number_missing", question, "GOVERN 7.1: Policies are in place.") is None
    assert passage("number_missing", "What is the date of Act No. 34?", "the Act (act No.34 on June 3, 2020)") is None


def test_name_missing_vetoes_another_body() -> None:
    assert passage("name_missing", "What does JST fund under SATREPS?", "NEDO funds joint research.")


def test_name_missing_passes_a_name_given_by_its_expansion() -> None:
    text = "The Japan Science and Technology Agency funds the Science and Technology Research Partnership for " \
           "Sustainable Development."
    assert passage("name_missing", "What does JST fund under SATREPS?", text) is None


def test_name_missing_reads_the_documents_own_name() -> None:
    question = "What does the NIST AI RMF Playbook suggest?"
    text = "The Playbook suggests actions for each outcome."
    assert passage("name_missing", question, text)
    assert passage("name_missing", question, text, doc="nist_ai_100-1_ai_rmf_1.0_2023") is None


def test_low_coverage_vetoes_a_passage_about_something_else() -> None:
    detail = passage("low_coverage", "What is the budget?", "text", coverage=0.39)
    assert detail == "the passage holds 39% of the question's weighted words (needs 40%)"


def test_low_coverage_passes_at_the_threshold() -> None:
    assert passage("low_coverage", "What is the budget?", "text", coverage=0.4) is None


# Sentence rules


def test_acronym_undefined_vetoes_a_sentence_that_only_uses_the_acronym() -> None:
    assert sentence("acronym_undefined", "What does MOE stand for?", "MOE joined the council.")


def test_acronym_undefined_passes_a_sentence_that_spells_it_out() -> None:
    text = "The Ministry of the Environment (MOE) joined the council."
    assert sentence("acronym_undefined", "What does MOE stand for?", text) is None


def test_bodies_missing_vetoes_a_paragraph_about_other_ministries() -> None:
    detail = sentence("bodies_missing", "What did the farm ministry launch?", "MEXT and METI launched a program.")
    assert detail == "asks about MAFF; the passage does not name it"


def test_bodies_missing_passes_the_paraphrased_body() -> None:
    assert sentence("bodies_missing", "What did the farm ministry launch?", "MAFF launched a program.") is None


def test_other_actor_vetoes_the_programme_run_by_another_body() -> None:
    question = "Since when has JST run the Mirai program?"
    detail = sentence("other_actor", question, "The Mirai program has been implemented by NEDO since FY2020.")
    assert detail == "asks about JST; the sentence names NEDO instead"


def test_other_actor_passes_the_asked_body() -> None:
    question = "Since when has JST run the Mirai program?"
    assert sentence("other_actor", question, "The Mirai program has been implemented by JST since FY2020.") is None


def test_other_actor_passes_a_which_body_question() -> None:
    question = "Which body runs the Mirai program with JST?"
    assert sentence("other_actor", question, "The Mirai program has been implemented by NEDO since FY2020.") is None


def test_other_case_vetoes_the_other_of_two_cases() -> None:
    detail = sentence("other_case", "What is the median EDA grant?", "The average EDA grant was $1.2 million.")
    assert detail == "asks about the median case; the sentence states the average one"
    rural = "What share of rural households have internet access?"
    assert sentence("other_case", rural, "Internet access reached 94% of urban households.") is not None
    assert sentence("other_case", "What is the maximum federal share?", "The federal share is at least 50%.")


def test_other_case_passes_the_asked_case_both_cases_and_a_question_asking_neither() -> None:
    assert sentence("other_case", "What is the median EDA grant?", "The median EDA grant was $0.9 million.") is None
    both = "The average grant was $1.2 million and the median grant $0.9 million."
    assert sentence("other_case", "What is the median EDA grant?", both) is None
    assert sentence("other_case", "How large is an EDA grant?", "The average EDA grant was $1.2 million.") is None
    cap = "The federal share may not exceed 80 percent."
    assert sentence("other_case", "What is the maximum federal share?", cap) is None
    assert sentence("other_case", "Who joined the public-private council?", "The private firms joined.") is None


def test_excluded_case_vetoes_a_sentence_that_excepts_the_asked_case() -> None:
    question = "What are the 2026 tax brackets for married persons filing separately?"
    detail = sentence("excluded_case", question, "(for all filers except married persons filing separately)")
    assert detail == "asks about married persons filing separately; the sentence excepts it"


def test_excluded_case_passes_the_asked_case_and_an_exception_of_something_else() -> None:
    question = "What are the 2026 tax brackets for married persons filing separately?"
    stated = "The brackets for married persons filing separately are half as wide, except in 2018."
    assert sentence("excluded_case", question, stated) is None
    assert sentence("excluded_case", question, "All filers except heads of household use these brackets.") is None


def test_measure_missing_vetoes_another_measure_for_the_same_filers() -> None:
    question = "What is the 2026 alternative minimum tax exemption amount for married couples?"
    standard = "In 2026, the standard deduction is $32,200 for a married couple filing jointly."
    assert sentence("measure_missing", question, standard) == (
        "asks for the alternative minimum tax exemption amount; the sentence names no exemption")
    assert sentence("measure_missing", "What was the median size of an EDA grant?", "EDA grants averaged $1.2 million.")


def test_measure_missing_passes_the_named_measure_a_heading_naming_it_and_other_questions() -> None:
    question = "What is the 2026 alternative minimum tax exemption amount for married couples?"
    assert sentence("measure_missing", question, "In 2026, the AMT exemption is $140,200 for married couples.") is None
    q = analyse(question)
    row = "Married couples — 2026: $140,200"
    heading = "Alternative Minimum Tax › Exemption amounts"
    assert RULES["measure_missing"].check(Case(q, TABLE, passage=row, headings=heading, sentence=row)) is None
    assert sentence("measure_missing", "What was the highest number of staff in FY2020?", "A high of 323.") is None
    assert sentence("measure_missing", "What is the role of NIST in the framework?", "NIST leads it.") is None


# Span rules, through the reply they veto


def test_since_without_start_vetoes_a_sentence_that_only_dates_an_event() -> None:
    text = "In FY 2020, seven ministries designated 86 subsidies under the SBIR system."
    assert vetoed_by("Since when has Japan had the SBIR system?", text) == "since_without_start"


def test_since_without_start_passes_a_start() -> None:
    assert vetoed_by("Since when has Japan had the SBIR system?", "Japan has had the SBIR system since 1999.") is None


def test_span_missing_vetoes_a_number_question_without_a_number() -> None:
    assert vetoed_by("How many TLOs are approved?", "TLOs license university patents.") == "span_missing"


def test_span_missing_passes_a_count() -> None:
    assert vetoed_by("How many TLOs are approved?", "34 TLOs are approved.") is None


def test_why_without_cause_vetoes_a_change_without_its_reason() -> None:
    text = "The number of startups was on the decrease for a period."
    assert vetoed_by("Why did the number of startups decrease?", text) == "why_without_cause"


def test_why_without_cause_passes_a_cause() -> None:
    text = "The number of startups decreased because of the financial crisis."
    assert vetoed_by("Why did the number of startups decrease?", text) is None


def test_outcome_not_stated_vetoes_a_hoped_for_result() -> None:
    text = "The program was implemented to create jobs."
    assert vetoed_by("What results has the program achieved?", text) == "outcome_not_stated"


def test_outcome_not_stated_passes_a_reported_result() -> None:
    assert vetoed_by("What results has the program achieved?", "The program created 500 jobs.") is None


def test_no_comparison_vetoes_a_figure_alone() -> None:
    question = "How does Japan's startup rate compare with the US rate?"
    assert vetoed_by(question, "Japan's startup rate was 5%.") == "no_comparison"


def test_no_comparison_passes_a_comparison() -> None:
    question = "How does Japan's startup rate compare with the US rate?"
    assert vetoed_by(question, "Japan's startup rate of 5% is lower than the US rate of 9%.") is None


def test_no_rank_vetoes_a_sentence_without_a_rank() -> None:
    assert vetoed_by("Where does Japan rank in patent filings?", "Japan files many patents.") == "no_rank"


def test_no_rank_passes_a_rank() -> None:
    assert vetoed_by("Where does Japan rank in patent filings?", "Japan ranks third in patent filings.") is None


STAFF = "The number of employees was at the lowest level of 167 in 2014 and increased to a high of 323 in 2023."


def test_the_highest_or_the_lowest_is_the_number_said_to_be_it() -> None:
    assert pick_span(analyse("What was the highest number of employees?"), STAFF)[2] == "323"
    assert pick_span(analyse("What was the lowest number of employees?"), STAFF)[2] == "167"


def test_year_not_bound_passes_a_year_inside_the_period_asked() -> None:
    assert vetoed_by("What was the highest number of employees between 2012 and 2025?", STAFF) is None
    assert vetoed_by("What was the highest number of employees between 2015 and 2020?", STAFF) == "year_not_bound"


def test_list_too_short_vetoes_a_count_without_its_items() -> None:
    assert vetoed_by("Which six regions were selected?", "The government has adopted six regions.") == "list_too_short"


def test_list_too_short_passes_an_enumeration() -> None:
    text = "Six regions were selected: Hokkaido, Tohoku, Kanto, Chubu, Kinki and Kyushu."
    assert vetoed_by("Which six regions were selected?", text) is None


def test_year_not_bound_vetoes_a_running_total() -> None:
    text = "From FY2008 through FY2020, 156 projects were adopted."
    assert vetoed_by("How many projects were adopted in FY2020?", text) == "year_not_bound"


def test_year_not_bound_passes_a_total_asked_as_one() -> None:
    text = "From FY2008 through FY2020, 156 projects were adopted."
    assert vetoed_by("How many projects were adopted from FY2008 through FY2020?", text) is None


def test_counts_unasked_thing_vetoes_a_count_of_something_else() -> None:
    assert vetoed_by("How many researchers were hired?", "The program hired 12 staff.") == "counts_unasked_thing"


def test_counts_unasked_thing_wants_the_counted_noun_not_only_its_modifier() -> None:
    text = "In FY2019, the number of collaborative research activities between universities and firms was 29,255."
    assert vetoed_by("How many university spin-offs were created in FY2019?", text) == "counts_unasked_thing"
    assert vetoed_by("How many collaborative research activities were there in FY2019?", text) is None


def test_counts_unasked_thing_passes_a_close_paraphrase() -> None:
    assert vetoed_by("How many researchers were hired?", "The program hired 12 staff.", similarity=0.7) is None


def test_counts_unasked_thing_wants_a_paraphrase_to_restate_the_question() -> None:
    """Near in meaning is not enough: a paraphrase holds most of the question's other words."""
    question = "How many teachers were affected by school closures in the pandemic?"
    text = "As a result of the pandemic, the education of over 1.6 billion students was interrupted."
    assert vetoed_by(question, text, similarity=0.7) == "counts_unasked_thing"
    restated = "As a result of the pandemic, school closures affected over 1.6 billion students."
    assert vetoed_by(question, restated, similarity=0.7) is None


def test_counts_other_noun_vetoes_a_number_of_another_noun() -> None:
    text = "Five regional offices across the country, working closely with universities, produced reports."
    assert vetoed_by("How many reports were produced?", text) == "counts_other_noun"


def test_counts_other_noun_passes_the_counted_noun_leading_up_to_the_number() -> None:
    text = "The number of reports produced by the regional offices was 300 cases."
    assert vetoed_by("How many reports were produced?", text) is None


def test_counts_other_noun_reads_a_count_up_to_the_next_comma() -> None:
    question = "How many public comments did NIST receive on the drafts?"
    listed = "It held three widely attended workshops, public comments on the drafts and many meetings."
    assert vetoed_by(question, listed) == "counts_other_noun"
    assert vetoed_by(question, "NIST received 300 public comments on the drafts, from many sectors.") is None


def test_subset_not_named_vetoes_the_whole_count() -> None:
    question = "How many foreign firms joined the program?"
    assert vetoed_by(question, "120 firms joined the program.") == "subset_not_named"


def test_subset_not_named_passes_the_named_subset() -> None:
    assert vetoed_by("How many foreign firms joined the program?", "120 foreign firms joined the program.") is None


def test_group_figure_vetoes_a_groups_figure_for_one_member() -> None:
    question = "How many subsidies did the health ministry designate?"
    text = "In FY2020, seven ministries (MIC, MEXT, MHLW, METI) designated 86 subsidies."
    assert vetoed_by(question, text) == "group_figure"


def test_group_figure_passes_one_bodys_figure() -> None:
    question = "How many subsidies did the health ministry designate?"
    assert vetoed_by(question, "The health ministry designated 12 subsidies.") is None


# Lead rules: they never abstain; the sentence leads when the span's binding is unsure


def lead(name: str, question: str, text: str) -> str | None:
    from qa.extract import pick_span

    q = analyse(question)
    return RULES[name].check(Case(q, TABLE, sentence=text, span=pick_span(q, text)))


def test_figure_unbound_demotes_one_share_of_several() -> None:
    question = "What percentage of taxpayers claimed the standard deduction in 2023?"
    text = "In 2023, 9.4% of taxpayers itemized and 89.2% claimed the standard deduction."
    assert lead("figure_unbound", question, text) is not None
    reply = draft(analyse(question), text, TABLE)
    assert reply.text is not None and reply.reason is None and "89.2%" in reply.text
    assert LEAD_SEPARATOR not in reply.text


def test_figure_unbound_passes_the_count_of_the_asked_noun_or_the_only_figure() -> None:
    text = "By 2021, 34 TLOs and 12 offices were approved."
    assert lead("figure_unbound", "How many TLOs were approved?", text) is None
    assert lead("figure_unbound", "How much did EDA receive?", "EDA received $468 million for 6 offices.") is None


def test_figure_unbound_passes_the_cell_of_the_asked_year() -> None:
    text = "Technical Assistance — FY2016: 10.5; FY2017: 9.0; FY2018: 9.5"
    assert lead("figure_unbound", "What was technical assistance funding in FY2017?", text) is None


def test_name_unbound_demotes_one_name_of_several() -> None:
    question = "Which ISO technical committee covers sludge recovery?"
    text = "Japan leads Water Reuse, Smart Community and the sludge recovery work in ISO."
    assert lead("name_unbound", question, text) is not None


def test_name_unbound_passes_the_one_body_named() -> None:
    question = "Which agency selected the proposal?"
    text = "The Office of Management and Budget selected the proposal in Chicago."
    assert lead("name_unbound", question, text) is None


def test_measure_missing_reads_how_much_of_a_named_thing() -> None:
    question = "How much revenue did EPA estimate the methane charge would raise in 2034?"
    rate = "The first charge is scheduled to be $1,500 per metric ton in 2034."
    assert sentence("measure_missing", question, rate) == "asks how much revenue; the sentence names no revenue"
    assert sentence("measure_missing", question, "EPA estimated the charge would raise revenue of $1 billion.") is None
    # money and time themselves are answered by any amount or length
    assert sentence("measure_missing", "How much funding did Congress provide in FY2024?", "It got $5 million.") is None


def test_interval_missing_vetoes_another_length_of_time() -> None:
    question = "what reduction in species richness was seen one year after the 2022 test"
    later = "Two months after the test, the study found a 32% reduction in species richness."
    assert passage("interval_missing", question, later) == "asks about one year; the passage does not state it"


def test_interval_missing_passes_the_length_in_digits_or_words_and_an_asked_length() -> None:
    question = "what reduction in species richness was seen one year after the 2022 test"
    assert passage("interval_missing", question, "A 1-year survey after the test found a 10% loss.") is None
    assert passage("interval_missing", question, "One year after the test, richness was down 12%.") is None
    assert passage("interval_missing", "Within how many days must NOAA act?", "NOAA acts in 60 days.") is None


def test_how_long_is_answered_by_a_length_of_time_not_a_date() -> None:
    question = "How long a contract extension did Germany request from the ISA?"
    expiring = "The ISA received extension requests for contracts that expire in 2026."
    assert vetoed_by(question, expiring) == "span_missing"
    assert vetoed_by("how long could it take for new refining plants to operate",
                     "It could take 10 to 20 years for new plants to become operational.") is None


def test_change_not_level_vetoes_a_cut_for_a_level() -> None:
    question = "How much FY2026 funding did the ShakeAlert system receive?"
    cut = "The program accounts for the decrease, mostly by reducing ShakeAlert funding by $25.2 million in FY2026."
    assert vetoed_by(question, cut) == "change_not_level"
    assert vetoed_by("How much did the USGS budget request ask for?",
                     "The request is $527.8 million less than the enacted appropriation.") == "change_not_level"


def test_change_not_level_passes_a_level_and_a_question_about_the_change() -> None:
    assert vetoed_by("How much FY2026 funding did the ShakeAlert system receive?",
                     "ShakeAlert received $31.0 million in FY2026.") is None
    assert vetoed_by("By how much would the request cut ShakeAlert funding in FY2026?",
                     "The request would reduce ShakeAlert funding by $25.2 million in FY2026.") is None


def test_counted_name_missing_vetoes_the_other_programmes_items() -> None:
    question = "How many Community Project Funding items did the House include?"
    other = "The statement included three congressionally directed spending items for the USGS."
    assert vetoed_by(question, other) == "counted_name_missing"


def test_counted_name_missing_passes_the_named_items() -> None:
    question = "How many Community Project Funding items did the House include?"
    assert vetoed_by(question, "The House included five Community Project Funding items for the USGS.") is None


def test_a_count_of_grants_is_not_answered_by_an_amount_of_money() -> None:
    awarded = "DOE and EPA had awarded, in aggregate, $1.36 billion of the Section 136 funds to 40 entities."
    grants = "how many individual grants did doe and epa award from the funds"
    assert pick_span(analyse(grants), awarded)[2] == "40 entities"
    assert vetoed_by(grants,
                     "DOE and EPA had awarded, in aggregate, $1.36 billion of the Section 136 funds.") == "span_missing"
    assert pick_span(analyse("how many million dollars did doe award"), awarded)[2].startswith("$1.36 billion")


def test_counts_other_noun_reads_a_number_after_a_preposition_as_its_own_phrase() -> None:
    question = "how many exploration contracts has the ISA issued for polymetallic sulfides"
    types = "The ISA issues exploration contracts for three types of seabed deposits: nodules, crusts and sulfides."
    assert vetoed_by(question, types) == "counts_other_noun"


def test_a_counted_phrase_keeps_an_ampersand_word() -> None:
    q = analyse("How many R&D tasks has the consortium supported?")
    assert q.counted_head == ["task"] and "r&d" in q.counted
    assert vetoed_by("How many R&D tasks has the consortium supported?",
                     "The consortium has supported R&D of 87 tasks through projects.") is None


def test_dimension_missing_vetoes_a_sentence_without_the_asked_measure() -> None:
    question = "what water depths does the seabed deposit table give for polymetallic sulfides?"
    machinery = "Proposed mining machinery for polymetallic sulfides deposits at hydrothermal vents."
    assert vetoed_by(question, machinery) == "dimension_missing"
    area = "What is the maximum area an ISA exploration contract for polymetallic nodules may cover?"
    assert vetoed_by(area, "The ISA has issued 17 exploration contracts for polymetallic nodules.") == "span_missing"


def test_dimension_missing_passes_a_figure_in_the_asked_units() -> None:
    area = "What is the maximum area an ISA exploration contract for polymetallic nodules may cover?"
    text = "An ISA exploration contract may not exceed 75,000 square kilometers (km2) for polymetallic nodules."
    assert vetoed_by(area, text) is None
    assert pick_span(analyse(area), text)[2].startswith("75,000 square kilometers")
    assert vetoed_by("How far offshore does the boundary of coastal states extend?",
                     "The seaward boundary of coastal states is generally 3 nautical miles offshore.") is None


def test_rate_unit_missing_vetoes_a_passage_without_the_rate() -> None:
    question = "what waste emissions charge rate per metric ton of methane did the ira set for 2023"
    count = "In 2023, approximately 2,300 petroleum and natural gas facilities reported their emissions."
    assert passage("rate_unit_missing", question, count) == "asks for a rate per ton; the passage states none"


def test_rate_unit_missing_passes_the_rate_and_per_meaning_according_to() -> None:
    question = "what waste emissions charge rate per metric ton of methane did the ira set for 2024"
    assert passage("rate_unit_missing", question, "The charge is $900 per metric ton of methane in 2024.") is None
    according = "How much revenue would the tax raise, per CBO?"
    assert passage("rate_unit_missing", according, "CBO projects $5 billion.") is None


def test_one_of_several_demotes_a_lead_naming_one_of_the_asked_things() -> None:
    question = "Which Clean Air Act sections did EPA cite as broad authority?"
    sentence = "In its 2009 rulemaking, EPA also cited CAA Sections 114 and 208 as providing broad authority."
    reply = draft(analyse(question), sentence, TABLE)
    assert reply.text is not None and LEAD_SEPARATOR not in reply.text
    assert "one_of_several" in (reply.note or "")


def test_one_of_several_lets_an_enumerated_lead_and_a_single_asked_thing_lead() -> None:
    text = "The plan was drafted by the telecom and finance ministries, notably telecom and finance ministries."
    assert RULES["one_of_several"].check(Case(analyse("Which ministries drafted the plan?"), TABLE, sentence=text,
                                              span=(58, 88, "telecom and finance ministries"))) is None
    single = "The plan was drafted by the Cabinet Office, which also runs it."
    assert RULES["one_of_several"].check(Case(analyse("Which office drafted the plan?"), TABLE, sentence=single,
                                              span=(28, 42, "Cabinet Office"))) is None


def test_one_of_several_reads_a_plural_before_the_verb() -> None:
    question = "Which delivery channels should governments use for remote learning?"
    sentence = "Governments should leverage a range of delivery channels, including radio, TV, mobile and online."
    case = Case(analyse(question), TABLE, sentence=sentence, span=(67, 69, "TV"))
    assert RULES["one_of_several"].check(case) == "asks for several delivery; `TV` names one"

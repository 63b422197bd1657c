"""Span rules of the answer step, on single sentences: what the reply leads with, and when it abstains."""

from __future__ import annotations

import re

import pytest

from qa import config
from qa.answer import reads_previous
from qa.evals import lead as lead_of
from qa.extract import PURPOSE_WORDS, asked_extreme, has_kind, pick_span, states_extreme
from qa.question import analyse, clean
from qa.records import LEAD_SEPARATOR
from qa.reply import compose

TLO = (
    "As of January 1, 2021, 34 TLOs had been approved by MEXT and METI under the Act on the Promotion of "
    "Technology Transfer from Universities to Private Business Operators (Act No. 52 of 1998)."
)


def lead(question: str, sentence: str) -> str | None:
    reply = compose(analyse(question), sentence)
    return lead_of(reply)


def test_a_count_leads_with_the_number_and_its_noun() -> None:
    assert lead("How many TLOs had been approved?", TLO) == "34 TLOs"


def test_the_questions_own_numbers_are_not_the_answer() -> None:
    sentence = "Grants of over 10 million yen went to 12 firms."
    assert lead("How many firms got grants of over 10 million yen?", sentence) == "12 firms"


def test_a_count_is_never_an_amount_of_money_or_a_percentage() -> None:
    sentence = "In FY2019, the number of joint research activities was 29,255 (a 6.8% rise), worth 79.6 billion yen."

    def span(question: str) -> str:
        return pick_span(analyse(clean(question)), sentence)[2]

    assert span("How many joint research activities were there in FY2019?") == "29,255"
    assert "yen" in span("How much funding did joint research receive in FY2019?")


def test_a_date_in_brackets_answers_for_the_name_before_them() -> None:
    """`(Act No. 52 of 1998)` dates the act named just before the bracket."""
    assert "1998" in lead("In what year was the law on technology transfer from universities enacted?", TLO)


def test_a_date_in_brackets_does_not_date_the_main_clause() -> None:
    sentence = "In March 2021 the council adopted the plan (revised in June 2020) for all regions."
    assert "March 2021" in lead("When did the council adopt the plan?", sentence)


def test_a_number_question_without_a_number_abstains() -> None:
    assert compose(analyse("How many TLOs are approved?"), "TLOs license university patents.") is None


def test_a_single_year_count_is_not_a_running_total() -> None:
    sentence = "From FY2008 through FY2020, 156 projects were adopted."
    assert compose(analyse("How many projects were adopted in FY2020?"), sentence) is None
    assert lead("How many projects were adopted from FY2008 through FY2020?", sentence) == "156 projects"


def test_a_purpose_question_leads_with_the_purpose_clause() -> None:
    sentence = "The program supports young researchers in order to build new industries."
    assert lead("What is the aim of the program?", sentence) == "in order to build new industries"


def test_the_reply_keeps_to_the_word_limit() -> None:
    sentence = " ".join(["word"] * 40) + " with 34 TLOs approved " + " ".join(["more"] * 40) + "."
    reply = compose(analyse("How many TLOs are approved?"), sentence)
    assert reply.startswith("34 TLOs")
    assert len(reply.split()) <= config.MAX_ANSWER_WORDS
    assert "34 TLOs approved" in reply.split(LEAD_SEPARATOR, 1)[1]


def test_which_cities_wants_a_place() -> None:
    sentence = "The Super City Initiative promotes data linkage across services."
    assert compose(analyse("Which cities were designated?"), sentence) is None


def test_entity_span_prefers_the_asked_noun() -> None:
    sentence = "MEXT launched the OPERA program with JST in FY2016."
    assert pick_span(analyse("Which program did MEXT launch with JST?"), sentence)[2] == "OPERA"


def test_who_is_answered_by_the_passive_agent() -> None:
    assert lead("Who realizes most innovations?", "Innovations are realized mostly by private businesses.") == (
        "private businesses"
    )
    sentence = "J-PlatPat is operated by the National Center for Industrial Property Information and Training (INPIT)."
    assert lead("Who operates J-PlatPat?", sentence).startswith("National Center for Industrial Property")


def test_a_close_paraphrase_may_count_other_words() -> None:
    """`young firms` ↔ `startups`: the lexical check abstains, a close sentence (cosine ≥ 0.6) answers."""
    q = analyse("How many young firms were spun out of universities in FY2019?")
    sentence = "The number of university-launched startups reached 204 in FY2019."
    assert compose(q, sentence) is None
    assert compose(q, sentence, similarity=0.64).startswith("204")


def test_a_post_or_a_long_acronym_is_not_a_place() -> None:
    sentence = ("In May 2025, the Secretary of Commerce announced that the six awards would not go ahead and that "
                "awardees could resubmit under a revised NOFO.")
    assert compose(analyse("Which regions received the six awards?"), sentence) is None
    assert "PRC" in lead("Which regions received awards?", "Awards went to the US and the PRC in 2024.")


def test_a_law_is_not_a_place() -> None:
    sentence = (
        "Based on the Act to Partially Amend the Act on National Strategic Special Zones (act No.34 on June 3, 2020) "
        "the government is promoting the Super City Initiative."
    )
    assert compose(analyse("Which municipalities have been designated as Super Cities?"), sentence) is None


def test_which_things_prefers_the_sentence_that_lists_them() -> None:
    from qa.extract import lists_asked_noun

    q = analyse("Which groups of rights does the collective examination cover?")
    assert lists_asked_noun(q, "It applies to groups of rights (i.e., patents, design rights and trademarks).")
    assert not lists_asked_noun(q, "It examines applications and grants rights according to business timing.")


def test_the_questions_own_year_is_not_the_date_but_a_month_in_it_is() -> None:
    sentence = "The Fact Book 2020 was compiled in July 2020 with updated contents."
    assert lead("When was the Fact Book 2020 compiled?", sentence) == "in July 2020"
    assert compose(analyse("When was the Plan 2019 decided?"), "The Plan 2019 was decided in 2019.") is None


def test_who_chaired_wants_a_person_not_the_host() -> None:
    sentence = "At the Council held jointly with METI, MEXT formulated the Guidelines in November 2016."
    assert compose(analyse("Who chaired the Council?"), sentence) is None
    assert lead("Who chaired the Council?", "The Council was chaired by Prime Minister Suga.") == "Prime Minister Suga"


def test_which_university_needs_a_name() -> None:
    sentence = "The number of university-launched startups reached 204 in FY2019."
    assert compose(analyse("Which university launched the most startups in FY2019?"), sentence) is None
    assert lead("Which university runs it?", "The University of Tokyo runs the center.") == "University of Tokyo"


def test_a_peoples_adjective_is_not_a_place() -> None:
    sentence = "In FY2020 bilateral meetings were held with standardizing organizations of Asian countries."
    assert compose(analyse("In which city were the meetings held?"), sentence) is None


def test_how_much_spending_rises_is_a_rate_not_money() -> None:
    sentence = "For SMEs, when the increase of research expenses exceeds 8%, an extra 10% is applied."
    assert lead("By how much must a small firm's research spending rise to get an extra 10%?", sentence) == "8%"
    assert compose(analyse("What was the research spending of SMEs?"), sentence) is None


def test_a_list_of_bodies_is_not_cut_to_the_first_acronym() -> None:
    from qa.acronyms import Acronym, AcronymTable

    table = AcronymTable(
        [Acronym("MEXT", "Ministry of Education", "d:1"), Acronym("METI", "Ministry of Economy", "d:1")]
    )
    sentence = "34 TLOs were approved by the Ministry of Education (MEXT) and the Ministry of Economy (METI)."
    reply = compose(analyse("Who approved the TLOs?"), sentence, table)
    assert reply.startswith("Ministry of Education (MEXT) and the Ministry of Economy (METI)")


def test_how_many_counts_things_even_near_a_money_word() -> None:
    sentence = "Under the COI Program, R&D is promoted in 18 bases."
    assert lead("At how many bases does the funding agency's COI Program run R&D?", sentence) == "18 bases"


def test_a_count_of_another_noun_does_not_answer() -> None:
    """The sentence speaks of reports, but its number counts offices."""
    sentence = "Under the pilot, five offices in Japan and EU collaborated to produce international search reports."
    assert compose(analyse("How many international search reports were produced under the pilot?"), sentence) is None
    assert lead("How many offices collaborated under the pilot?", sentence) == "five offices"


def test_the_counted_noun_may_lead_up_to_the_number_or_follow_its_adjectives() -> None:
    assert lead("How many reports were filed?", "The number of reports filed last year was 300 cases.") == "300 cases"
    sentence = "The prize honoured 14 pioneering or original initiatives across the country."
    assert lead("How many initiatives did the prize honour?", sentence).startswith("14")


def test_a_counted_list_needs_that_many_items() -> None:
    sentence = "In FY2019 MEXT launched the DESIGN–i program and has adopted six regions."
    assert compose(analyse("Which six regions has the DESIGN-i program adopted?"), sentence) is None
    listed = "Seven ministries (MIC, MEXT, MHLW, MAFF, METI, MLIT and MOE) designated subsidies."
    assert compose(analyse("Which seven ministries designated subsidies?"), listed) is not None


def test_an_acronym_is_spelled_out_only_by_a_defining_sentence() -> None:
    from qa.acronyms import defines

    assert defines("JST runs the Newly extended TEchnology transfer Program (NexTEP).", "NexTEP")
    assert not defines("Seven ministries (MIC, MEXT and MOE) designated subsidies.", "MOE")


def test_an_end_date_question_needs_an_end_date() -> None:
    held = "The two offices conducted the collaborative search pilot on August 1, 2015."
    assert compose(analyse("When did the collaborative search pilot come to an end?"), held) is None
    ran = "The two offices ran the collaborative search pilot until June 30, 2020."
    assert "June 30, 2020" in lead("When did the collaborative search pilot end?", ran)


def test_an_organisation_question_is_not_answered_by_a_law() -> None:
    sentence = "The revised Act on Strengthening Industrial Competitiveness established a certification system."
    assert compose(analyse("Which organisations are authorized as certification bodies?"), sentence) is None


def test_a_person_question_is_not_answered_by_an_institute() -> None:
    sentence = "The National Institute of Science and Technology Policy (NISTEP) conducted the 11th survey."
    assert compose(analyse("Which expert chaired the 11th survey?"), sentence) is None


def test_the_doer_of_a_nominalised_verb_answers_who() -> None:
    sentence = "Support measures, including the provision of special loans by the Japan Finance Corp., were taken."
    assert lead("Under the SBIR system, who provides the special loans?", sentence) == "Japan Finance Corp"


def test_a_name_is_cut_before_the_questions_own_name() -> None:
    sentence = "METI runs a project at the Sub-Committee on Standards of the Asia-Pacific Economic Cooperation (APEC)."
    assert lead("Under which APEC body is METI running a project?", sentence) == "Sub-Committee on Standards"


def test_a_count_of_a_subset_needs_the_subset_named() -> None:
    sentence = "120 organizations from around the nation took part in the fair."
    assert compose(analyse("How many foreign organizations took part in the fair?"), sentence) is None
    assert lead("How many organizations took part in the fair?", sentence) == "120 organizations"


def test_a_groups_figure_is_not_one_members_share() -> None:
    sentence = "In FY 2020, seven ministries (MIC, MEXT, MHLW, MAFF and MOE) designated 86 special subsidies in all."
    assert compose(analyse("How many special subsidies did the health ministry designate?"), sentence) is None
    assert compose(analyse("How many special subsidies did MAFF designate?"), sentence) is None
    assert lead("How many special subsidies were designated in FY2020?", sentence) == "86 special subsidies"


def test_a_count_for_a_subset_named_after_by_needs_that_subset() -> None:
    sentence = "In FY 2019, joint research between universities and private corporations numbered 29,255."
    question = "How many joint research activities were conducted by private universities?"
    assert compose(analyse(question), sentence) is None
    assert lead("How many joint research activities with private companies were there?", sentence) == "29,255"


def test_why_a_change_happened_needs_a_cause() -> None:
    sentence = "The number of startups was on the decrease for a period, but has been increasing, reaching 204."
    assert compose(analyse("Why did the number of startups decrease for a period?"), sentence) is None
    caused = "The number of startups fell because venture funding dried up."
    assert compose(analyse("Why did the number of startups fall?"), caused) is not None


def test_a_start_date_question_is_not_answered_by_an_end_date() -> None:
    sentence = "The collaborative search and examination was implemented up to June 30, 2020."
    assert compose(analyse("When did the collaborative search and examination start?"), sentence) is None


def test_why_something_ended_needs_a_reason() -> None:
    sentence = "The collaborative search and examination was implemented up to June 30, 2020."
    assert compose(analyse("Why did the collaborative search and examination end in June 2020?"), sentence) is None


def test_how_many_are_counts_the_noun_after_are() -> None:
    sentence = "The council had 3,667 members including companies, with 166 R&D platforms set up."
    assert compose(analyse("Of the 3,667 council members, how many are universities?"), sentence) is None


def test_a_place_name_qualifying_another_kind_of_place_is_not_that_place() -> None:
    sentence = "METI met standardizing organizations of 24 countries and regions in the Pacific area."
    assert compose(analyse("Which countries did METI meet standardizing organizations of?"), sentence) is None
    named = "The program supported a rapid test in the Kanagawa region."
    assert lead("For which region did the program support a rapid test?", named) == "Kanagawa"


def test_a_results_question_needs_a_reported_outcome() -> None:
    started = "To support startups, the Cabinet Office implemented the Open Innovation Challenge."
    assert compose(analyse("What results has the Open Innovation Challenge achieved so far?"), started) is None
    hoped = "The challenge is expected to contribute to commercialization of new technologies."
    assert compose(analyse("What results has the challenge achieved?"), hoped) is None
    done = "The challenge resulted in 40 contracts with startups."
    assert compose(analyse("What results has the challenge achieved?"), done) is not None


def test_a_rank_question_needs_a_rank() -> None:
    sentence = "Currently Japan is playing active and leading roles in the working groups on water reuse."
    assert compose(analyse("Where does Japan currently rank in water reuse?"), sentence) is None


def test_since_when_needs_a_sentence_that_tells_a_start() -> None:
    sentence = "In FY 2020, seven ministries designated 86 special subsidies under the SBIR system."
    assert compose(analyse("Since when has Japan had the SBIR system?"), sentence) is None
    started = "Since FY2013 JST has been implementing the Center of Innovation Program."
    assert "FY2013" in lead("Since when has JST run the Center of Innovation Program?", started)


def test_a_comparison_question_needs_a_comparing_sentence() -> None:
    sentence = "The R&D tax system lets companies deduct part of their research costs from corporation tax."
    question = "How does Japan's R&D tax credit compare with the rate in the United States?"
    assert compose(analyse(question), sentence) is None


def test_how_much_money_is_answered_by_money_not_a_count() -> None:
    sentence = "From FY 2008 through FY 2020, 156 SATREPS projects in 52 countries were adopted."
    question = "How much development aid money goes into SATREPS from FY2008 through FY2020?"
    assert compose(analyse(question), sentence) is None


def test_a_name_with_its_own_acronym_is_not_cut_to_one_word() -> None:
    sentence = "Since FY2013 JST has been implementing the Center of Innovation (COI) Program."
    reply = compose(analyse("Who runs the COI program?"), sentence)
    assert reply is not None and not lead_of(reply).startswith("Center")


def test_a_count_is_not_a_length_of_time() -> None:
    sentence = "The total number of page views of the site open for about one month reached 98,140."
    assert lead("How many page views did the site get?", sentence) == "98,140"


DISPATCH = (
    "In FY2020, 17 IP Strategy Designers were dispatched to 20 universities, 22 IP producers were dispatched "
    "to 6 projects and 10 IP Advisors were sent to 29 universities."
)


def test_the_unit_is_the_words_right_after_the_number() -> None:
    from qa.spans import quantities

    assert [q[2] for q in quantities("[Maximum amount of tax credit: 10%] Tax credit")] == ["10%"]
    assert "20 universities" in [q[2] for q in quantities(DISPATCH)]


def test_a_version_number_is_no_quantity_but_a_figure_of_the_same_shape_is() -> None:
    from qa.spans import quantities

    found = [q[2] for q in quantities("It informed the AI RMF 1.0 and version 2.1 of the plan, after three workshops.")]
    assert found == ["three workshops"]
    figures = quantities("GDP grew 1.0% and Tokyo gained 1.0 million residents.")
    assert [q[2] for q in figures] == ["1.0%", "1.0 million residents"]


def test_which_ministries_is_answered_by_kinds_named_in_lower_case() -> None:
    from qa.extract import pick_span

    q = analyse("which ministries should ministries of education engage")
    text = "Ministries of education should engage other ministries, notably telecom and finance ministries."
    assert pick_span(q, text)[2] == "telecom and finance ministries"
    assert pick_span(q, "Ministries of education and science ministries should engage.") is None
    assert pick_span(analyse("which ministry leads it"), "The telecom and finance ministries lead it.") is None


def test_a_count_is_bound_to_the_subject_named_just_before_it() -> None:
    assert lead("In FY2020, to how many universities were IP Strategy Designers dispatched?", DISPATCH) == (
        "20 universities"
    )
    assert lead("How many IP Strategy Designers were dispatched in FY2020?", DISPATCH).startswith("17")


def test_a_change_question_picks_the_end_or_the_start_it_asks_for() -> None:
    """`rise to what` is answered by where the change ends, `from what` by where it began."""
    from qa.extract import pick_span
    from qa.question import analyse, clean

    sentence = "Enrolment in the programme rose from 41% of eligible pupils to 53% of them."
    end = pick_span(analyse(clean("what share did enrolment in the programme rise to")), sentence)
    start = pick_span(analyse(clean("From what share did enrolment in the programme rise?")), sentence)
    assert end is not None and end[2] == "53%"
    assert start is not None and start[2] == "41%"


ROW = "Technical Assistance — FY2012: 12.0; FY2013a: 11.8; FY2017: 9.0; FY2018 (P.L. 115-123): 9.5"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("What was technical assistance funding in FY2017?", "9.0"),
        ("how much technical assistance funding was there in fy2018", "9.5"),
        ("What was technical assistance funding in FY2019?", None),  # no such column
        ("What was technical assistance funding between FY2012 and FY2017?", None),  # two columns asked
    ],
)
def test_a_table_record_answers_a_number_question_by_the_asked_column(question: str, value) -> None:
    from qa.extract import table_cell

    cell = table_cell(analyse(clean(question)), ROW)
    assert (cell[2] if cell else None) == value
    assert table_cell(analyse(clean(question)), "In FY2017 the office spent 9.0 million on it.") is None


FMCSA = "FMCSA — HTF Contract Authority: 4,456.5; %: 87%; Advance Multiyear Appropriations: 672.5; Total: 5,129.0"
TRANSFER = "P.L. 111-147 — Effective Date: Mar. 18, 2010; Highway Account: 14.700; Mass Transit Account: 4.800"
BRACKET = "over $307,050 — Then, tax is:: $89,281 + 38.6% of the amount over $307,050"


@pytest.mark.parametrize(
    ("question", "row", "value"),
    [
        ("Under the IIJA, how much HTF contract authority went to FMCSA?", FMCSA, "4,456.5"),
        ("how much did the IIJA give FMCSA in advance appropriations", FMCSA, "672.5"),
        ("how much did p.l. 111-147 put into the mass transit account", TRANSFER, "4.800"),
        ("how much did p.l. 111-147 put into the highway account", TRANSFER, "14.700"),
        ("how much did p.l. 111-147 transfer", TRANSFER, None),  # no header is named
        ("What was FMCSA funding in FY2024?", FMCSA, None),  # years asked of a table without year columns
        ("what tax applied to taxable income over $307,050", BRACKET, "$89,281 + 38.6% of the amount over $307,050"),
    ],
)
def test_a_table_record_answers_by_the_column_its_header_words_name(question, row, value) -> None:
    """The header the question's words cover best (share of the header's words, then how many);
    a compound cell is returned whole for the number rules to cut."""
    from qa.extract import table_cell

    cell = table_cell(analyse(clean(question)), row)
    assert (cell[2] if cell else None) == value


@pytest.mark.parametrize(("sentence", "bare"), [("7.", True), ("(iii)", True), ("b)", True),
                                                ("Joint — $29,200", False), ("Over 150.", False)])
def test_a_list_items_number_split_off_is_no_candidate_sentence(sentence, bare) -> None:
    from qa.answer import _LIST_NUMBER

    assert bool(_LIST_NUMBER.fullmatch(sentence)) is bare


@pytest.mark.parametrize(("sentence", "title"), [
    ("TECHNOLOGY AND INNOVATION IN EDUCATION AT THE WORLD BANK", True),
    ("EXECUTIVE SUMMARY OF THE REPORT.", True),
    ("FY2019: 23.5", False), ("NIST AI RMF", True), ("GOVERN 1.1: Legal requirements are understood.", False),
    ("The EDA was created in 1965.", False),
])
def test_a_line_in_capitals_is_no_candidate_sentence(sentence, title) -> None:
    from qa.answer import _title_line

    assert _title_line(sentence) is title


def test_a_question_for_the_month_wants_a_sentence_that_gives_one() -> None:
    from qa.extract import has_kind

    q = analyse(clean("in what month and year was the economic development act enacted"))
    assert not has_kind(q, "The agency was established under the Economic Development Act of 1965.")
    assert has_kind(q, "In August 1965, the act (P.L. 89-136) was enacted.")


@pytest.mark.parametrize(
    "sentence",
    ["This will strengthen regional hubs.", "It is the only federal agency with that mission.",
     "It is able to fund projects.", "They were adopted in 2019.", "It is a program to train staff."],
)
def test_a_pronoun_reads_the_sentence_before(sentence: str) -> None:
    assert reads_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["It is important to build a system of support.", "It was decided that the fund would close.",
     "It is also necessary that firms report.", "It has been difficult to recruit staff.",
     "Entrepreneurial startups are better suited to innovation."],
)
def test_an_it_that_stands_for_the_clause_after_it_reads_nothing_before(sentence: str) -> None:
    assert not reads_previous(sentence)


@pytest.mark.parametrize(
    ("sentence", "states"),
    [("The EDA’s mission is to lead the federal agenda.", True), ("Its goals are to widen access.", True),
     ("It is the only agency with development as its mission.", False)],
)
def test_a_sentence_that_states_an_aim_or_a_mission(sentence: str, states: bool) -> None:
    assert bool(re.search(PURPOSE_WORDS, sentence, re.IGNORECASE)) is states


def test_a_span_of_years_is_a_time_not_a_quantity() -> None:
    q = analyse("How many employees did the agency have?")
    assert not has_kind(q, "Figure 2 presents the number of employees for 2012 to 2025.")
    assert has_kind(q, "The agency had 198 employees in 2025.")


def test_a_sentence_states_the_top_or_the_bottom_asked_for() -> None:
    assert asked_extreme(analyse("what was the highest number of staff")) == "high"
    assert asked_extreme(analyse("Which university launched the most startups?")) is None
    assert states_extreme("high", "It increased to a high of 323 in 2023.")
    assert states_extreme("low", "It was at the lowest level of 167 in 2014.")
    assert not states_extreme("high", "In September 2025, EDA had approximately 198 employees.")


def test_a_reply_led_by_a_table_record_has_no_false_lead() -> None:
    """Without a sure cell the record leads, its own ` — ` turned into ` – `: `Salaries and Expenses —`
    would read as the short answer."""
    row = "Salaries and Expenses — FY2012: 37.5; FY2013: 36.2"
    reply = compose(analyse("What does the table say about EDA salaries and expenses?"), row)
    assert LEAD_SEPARATOR not in reply and reply.startswith("Salaries and Expenses – FY2012: 37.5")


def test_a_descriptive_question_on_a_table_record_is_answered_by_its_cell() -> None:
    row = "over $403,550 to $512,450 — Then, tax is:: $82,048 + 32% of the amount over $403,550"
    question = "under the 2026 brackets for joint returns, what is the base tax for income over $403,550"
    reply = compose(analyse(question), row)
    assert lead_of(reply) == "$82,048 + 32% of the amount over $403,550"
    assert lead_of(compose(analyse("eda salaries and expenses amount for fy2022"),
                           "Salaries and Expenses — FY2021: 40.5; FY2022: 43.5")) == "43.5"


@pytest.mark.parametrize(
    ("sentence", "figure", "bound"),
    [
        # a later clause's year dates its own figure, not the one asked
        ("The budget requests $227.1 million for the mission area, a reduction from its FY2026 funding of "
         "$288.8 million.", "$227.1 million", True),
        ("The budget requests $227.1 million for the mission area, a reduction from its FY2026 funding of "
         "$288.8 million.", "$288.8 million", False),
        # a bracketed date dates the figure before it
        ("The JPO runs the highway with 45 nations (as of January 2021).", "45 nations", False),
        ("In 2025, EVs were about 22% of sales, up from about 5% in 2020.", "about 5%", False),
    ],
)
def test_a_year_binds_the_figures_of_its_own_clause(sentence: str, figure: str, bound: bool) -> None:
    from qa.extract import bound_to_year

    assert bound_to_year(analyse("How much was it in FY2027?" if "$" in sentence else "How many in 2015?"),
                         sentence, sentence.index(figure)) is bound


def test_a_rate_of_payments_may_be_a_share_of_them() -> None:
    sentence = "Beginning in 2014, Australia had a policy of making 15% incentive payments to states."
    question = "What rate of incentive payments did Australia offer states beginning in 2014?"
    assert pick_span(analyse(question), sentence)[2].startswith("15%")
    assert pick_span(analyse("What incentive payments did Australia offer states in 2014?"), sentence) is None


def test_a_date_the_question_gives_is_not_its_answer() -> None:
    question = analyse("Until what date did EPA propose in September 2025 to suspend reporting for oil and gas?")
    restating = "In September 2025, EPA proposed to eliminate reporting from all facilities except oil and gas."
    assert pick_span(question, restating) is None and not has_kind(question, restating)
    answering = "For oil and gas sources, EPA proposed to suspend the requirements until January 1, 2034."
    assert pick_span(question, answering)[2] == "until January 1, 2034"


def test_a_number_question_with_years_picks_the_figure_of_the_asked_year() -> None:
    sentence = ("Rises in inflation led to a 7.0% increase in the income ranges for each tax bracket in 2023 "
                "(relative to 2022) and a 5.5% increase in 2024 (relative to 2023).")
    for verb in ("increase", "rise"):
        question = f"by how much did the income ranges of each tax bracket {verb} in 2023 compared with 2022"
        assert pick_span(analyse(question), sentence)[2].startswith("7.0%")


def test_a_name_keeps_its_foreign_particles() -> None:
    from qa.spans import names

    found = [n[2] for n in names("They occur at the Red Sea, Galapagos Rift, and Juan de Fuca and Gorda Ridges.")]
    assert "Juan de Fuca and Gorda Ridges" in found
    met = [n[2] for n in names("She met Ursula von der Leyen, then flew to Rio de Janeiro.")]
    assert met[1:] == ["Ursula von der Leyen", "Rio de Janeiro"]

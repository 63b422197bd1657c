"""Extractive answers: choose the sentence that answers, cut the span the question asks for, or abstain.

This module chooses the paragraph and the sentence; `qa.extract` cuts the span from it.

Steps: (1) retrieve 20 paragraphs, re-order them by retrieval score plus how much of the question
they hold, and put first those holding every constraint of the question (years, ordinals, numbers,
names — or their acronym twins); (2) of the top 5, keep those with every constraint; (3) score their
sentences by idf-weighted overlap with the question and by MiniLM similarity (sentence vectors are
stored with the index); (4) cut the answer span by the question's type (a number with its unit, a
date, an organisation, an expansion, a purpose clause); (5) reply with the span first, then the
sentence around it, clipped to 50 words.
When no paragraph passes (2), coverage is too low, or the type's span is missing: abstain. Every
check that can make it abstain is a named rule of `qa.rules`; the abstention carries the rule that
decided it, and `explain` records every rule's verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from qa import compound, config
from qa.acronyms import Acronym, asked_acronym
from qa.chunk import FIGURE_PARTS
from qa.extract import (
    PURPOSE_WORDS,
    asked_extreme,
    has_kind,
    lists_asked_noun,
    passive_agent,
    states_extreme,
    term_present,
)
from qa.lexicon import DOCUMENT_NOUNS, ORGANISATION_NOUNS, REFERRING_COMPLEMENTS, alternation
from qa.question import Question, analyse, clean
from qa.records import Answer, Check, Citation, PassageTrace, Reason, SentenceTrace, Trace
from qa.reply import draft
from qa.retrieve import Hit, Retriever, structure_kinds
from qa.rules import NO_SENTENCE, NOTHING_RETRIEVED, PART_MISSING, SIDE_UNNAMED, Case, first_veto, judge
from qa.rules.passage import MIN_COVERAGE, satisfies
from qa.sentences import is_reference, paragraph_sentences
from qa.text import stem, terms
from qa.text import words as surface_words

CANNOT_ANSWER = "The documents do not answer this."
SENTENCE_DENSE_WEIGHT = 0.5
# Candidate sentences (best lexical scores first) that the question vector re-scores.
SENTENCES_RERANKED = 8
# Words that make an acronym's full name a body (an actor that runs, implements, sets up).
BODY_WORDS = rf"\b({alternation(ORGANISATION_NOUNS)})\b"
PARAGRAPHS_READ = 5
# A name whose every word has at most this IDF over its document's chunks (it is in about a fifth of them
# or more) names what the whole document is about.
PERVASIVE_IDF = 1.0
# A word of the source a question cites (`according to the World Bank EdTech paper`) names the focused
# document when the document uses it this commonly (in about a tenth of its chunks or more) or its title holds it.
SOURCE_IDF = 2.5
# A run of this many question words found in the focused document's title names the document.
TITLE_RUN = 3
# A list item's number split off as a sentence (`7.`, `(iii)`) is no candidate.
_LIST_NUMBER = re.compile(r"\W*(?:\d{1,3}|[ivxIVX]{1,5}|[a-zA-Z])\W*")

# Retrieval hits checked against the question's constraints before the top ones are read.
RERANK_POOL = 20
# … when their retrieval score is at least this share of the best one (a far-down hit that happens to
# hold the names is more often a near miss than the answer).
RERANK_FLOOR = 0.5
# Weight of question coverage against the normalised retrieval score when re-ordering the pool.
COVERAGE_WEIGHT = 0.5
LABEL_DISCOUNT = 0.7
_ANAPHOR = re.compile(
    r"(This|These|It|They|Such|Among (them|these|those)|Of (them|these|those|which)"
    r"|The (new |same |said |former |latter )?(program|programme|system|project|center|centre|initiative|aim|purpose"
    r"|objective|goal))\b"
)
# `It is important to …`, `It was decided that …`: an `It` that stands for the clause after it, not an anaphor.
_EXPLETIVE = re.compile(
    r"It (?:is|was|will be|would be|has been|had been|remains|seems|appears|becomes|became) "
    r"(?:(?:also|therefore|thus|still|now|not|very|more|most|less|[a-z]+ly) )?"
    rf"(?:(?!(?:{alternation(REFERRING_COMPLEMENTS)})\b)[a-z]+ to|[a-z]+ that)\b"
)
_CONTINUATION = re.compile(r"(Among|Of) (them|these|those)\b")
LABEL_KINDS = ("url", "footnote", "caption")
# A question about a publication (`when was the paper published`, `which working paper is the source`)
# may be answered by a reference list's entry; any other is answered by what the text states.
PUBLICATION_QUESTION = re.compile(
    rf"\b(published|publication|cited?|citation|source|{alternation(DOCUMENT_NOUNS)})\b", re.IGNORECASE
)
# Sentence score credit per year or number of the question found in the sentence, and per name.
CONSTRAINT_HIT_WEIGHT = 0.3
# A sentence that names the doer of the question's verb (`provision of loans by X`) answers `who provides …`.
AGENT_WEIGHT = 0.6
NAME_HIT_WEIGHT = 0.1
ASKED_NOUN_WEIGHT = 0.3
PURPOSE_WEIGHT = 0.3
# `the highest number of staff` is answered by the sentence that says `a high of 323`, not the latest figure.
EXTREME_WEIGHT = 0.6


def reads_previous(sentence: str) -> bool:
    """`This will strengthen …`, `It is the only agency …` speak of what the sentence before named;
    `It is important to …` does not (its `It` is the clause after it)."""
    return bool(_ANAPHOR.match(sentence)) and not _EXPLETIVE.match(sentence)


def _title_line(sentence: str) -> bool:
    """`TECHNOLOGY AND INNOVATION IN EDUCATION AT THE WORLD BANK`: three or more words and no lower-case
    letter is a cover's or a heading's line set in capitals, not a statement (`FY2019: 23.5` has too few words)."""
    return not re.search(r"[a-z]", sentence) and len(re.findall(r"[A-Z]{2,}", sentence)) >= 3


@dataclass
class Candidate:
    hit: Hit
    sentence: str
    score: float
    coverage: float
    number: int = 0
    similarity: float = 0.0  # MiniLM cosine of the sentence with the question (the top few only)


def _prefix(hit: Hit) -> str:
    """What the chunk adds before the paragraph's text (a figure's caption, for its notes and source)."""
    return hit.chunk.embed_text[: len(hit.chunk.embed_text) - len(hit.chunk.text)]


def _headings(hit: Hit) -> str:
    """What is said of every sentence of a hit's paragraph: its headings and its chunk's prefix."""
    return " ".join([*hit.paragraph.section, _prefix(hit)])


def _context(hit: Hit) -> str:
    """A hit's paragraph with its headings and its chunk's prefix."""
    return f"{_headings(hit)} {hit.paragraph.text}"


def _cite(p, score: float = 1.0) -> Citation:
    """A citation of a paragraph (score 1.0 when the answer step chose it itself, not retrieval)."""
    return Citation(p.ref, p.doc, p.section_path, p.number, p.page, p.text, score, p.display)


def _unnamed(question: str, naming: set[str]) -> str:
    """The question without the words that name its document (`according to the World Bank
    EdTech paper` → `according to the paper`), as the focused search embeds it: inside that
    document they match its headings, not the paragraph that answers."""

    def drop(match: re.Match) -> str:
        own = set(terms(match.group()))
        return "" if own and own <= naming else match.group()

    kept = re.sub(r"\s+", " ", re.sub(r"[A-Za-z][\w&'’.-]*", drop, question)).strip()
    return kept if len(terms(kept)) >= 2 else question


def citation(hit: Hit) -> Citation:
    return _cite(hit.paragraph, hit.score)


class Answerer:
    """Answers questions from one index; holds the retriever so models load once per process."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.bm25 = retriever.snapshot.bm25
        self.acronyms = retriever.snapshot.acronyms

    def embed(self, questions: list[str]) -> np.ndarray:
        """Question vectors as `ask` computes them: of each question as the pipeline reads it (`clean`),
        so a batch, an eval run and a single `ask` embed the same text for the same question."""
        return self.retriever.embed([clean(q) for q in questions])

    def ask(
        self,
        question: str,
        k: int = config.DEFAULT_TOP_K,
        doc: str | None = None,
        section: str | None = None,
        vector: np.ndarray | None = None,
        explain: bool = False,
    ) -> Answer:
        """The answer, or an abstention with its reason; `explain` also records a trace of every rule's verdict."""
        split = compound.parts(clean(question))
        if split:
            return self._compound(question, split, k, doc, section, explain)
        asked, question = question, clean(question)
        q = self._analyse(question)
        if vector is None:
            vector = self.retriever.embed([question])[0]
        wanted = max(k, PARAGRAPHS_READ)
        pool = max(wanted, RERANK_POOL)
        hits = self.retriever.search(question, pool, doc=doc, section=section, vector=vector)
        focus = self._focus(hits) if not doc and not section else None
        lighter = self._without_pervasive_names(q, focus)
        # The words of the names that say which document is asked about weigh no more than a pervasive word.
        naming = self._naming_terms(q, lighter, focus) if focus is not None else set()
        if focus is not None:
            scale = self._scale(question, focus, naming)
            asking = _unnamed(question, self._source_terms(q, focus))
            if asking != question:
                vector = self.retriever.embed([asking])[0]
            hits = self.retriever.search(question, pool, vector=vector, focus=focus, scale=scale)
        weights = self._term_weights(q, focus)
        if naming:
            local = self.retriever.local_idf(focus, list(naming & set(weights)))
            weights = {t: min(local[t], PERVASIVE_IDF) if t in local else w for t, w in weights.items()}
        q = lighter
        hits = self._constraints_first(q, self._by_coverage(weights, hits))[:wanted]
        retrieved = [citation(h) for h in hits]
        citations = retrieved[:k]
        trace = Trace() if explain else None
        answer = self._answer(q, weights, hits, k, vector, trace)
        if isinstance(answer, Reason):
            answer = Answer(question, None, True, citations, reason=answer)
        answer.question = asked
        answer.focus = focus
        answer.retrieved = retrieved
        answer.trace = trace
        return answer

    def _analyse(self, question: str) -> Question:
        """The question's analysis, with the names the corpus defines (an acronym's capitalised
        expansion) that it types in any case."""
        q = analyse(question)
        have = {n.lower() for n in q.names}
        extra = [n for n in self.acronyms.names_in(question) if n.lower() not in have]
        return replace(q, names=[*q.names, *extra]) if extra else q

    def _compound(
        self, question: str, split: list[str], k: int, doc: str | None, section: str | None, explain: bool
    ) -> Answer:
        """Each part answered on its own: one cited sentence per part, or an abstention naming the
        part that found no answer. Explaining, each part keeps its own trace."""
        replies = [self.ask(part, k, doc, section, explain=explain) for part in split]
        if compound.is_comparison(clean(question)):
            replies = [_side_named(r, own) for r, own in zip(replies, compound.own_terms(split))]
        answer = self._joined(question, replies, k)
        answer.parts = replies
        answer.trace = Trace(note=f"asked as {len(replies)} parts, each explained below") if explain else None
        return answer

    def _joined(self, question: str, replies: list[Answer], k: int) -> Answer:
        """One reply for the parts: their answers numbered and their citations, or the missing part."""
        firsts = [r.citations[0] for r in replies if not r.abstained and r.citations]
        rest = [c for r in replies for c in r.citations]
        citations = list({c.ref: c for c in [*firsts, *rest]}.values())[: max(k, len(firsts))]
        retrieved = [c for r in replies for c in r.retrieved]
        missing = next((r for r in replies if r.abstained), None)
        if missing is not None:
            why = f"no answer for `{missing.question}`"
            if missing.reason is not None:
                why += f" ({missing.reason.rule}: {missing.reason.detail})"
            return Answer(question, None, True, citations, reason=Reason(PART_MISSING, why), retrieved=retrieved)
        text = " ".join(f"({n}) {r.answer}" for n, r in enumerate(replies, 1))
        quote = " … ".join(r.quote for r in replies if r.quote)
        return Answer(question, text, False, citations, quote=quote, retrieved=retrieved, focus=replies[0].focus)

    def _focus(self, hits: list[Hit]) -> str | None:
        """The document a question is about, when the index holds several: the best hit's. (Summing
        each document's hits instead chose the wrong report more often on the library sets.)

        Its paragraphs are then searched again alone, with each word weighted by how rare it is in
        that document: a question about one report is never answered from another's paragraph
        that merely shares words, and the words that name the report (`according to the World
        Bank EdTech paper`) no longer outweigh the words that ask something of it.
        """
        if not hits or self.retriever.searched_docs < 2:
            return None
        return hits[0].paragraph.doc

    def _without_pervasive_names(self, q: Question, focus: str | None) -> Question:
        """The question without the names that say which document it asks about: those the document
        uses throughout (`EDA` in the EDA overview, `World Bank` in the World Bank's paper), and those
        its title spells (`the NIST AI Risk Management Framework` in that framework). A paragraph of
        the document need not restate them to hold the answer."""
        title = set(terms(self.retriever.opening(focus))) if focus else set()
        source = self._source_terms(q, focus)
        pervasive = []
        for name in q.names:
            words = terms(name)
            idf = self.retriever.local_idf(focus, words) if focus else {w: self.bm25.idf(w) for w in words}
            if words and (max(idf.values()) <= PERVASIVE_IDF or set(words) <= title | source):
                pervasive.append(name)
        return replace(q, names=[n for n in q.names if n not in pervasive]) if pervasive else q

    def _source_terms(self, q: Question, focus: str | None) -> set[str]:
        """The words of the source the question cites that name the focused document: those its
        title holds or it uses commonly (`world`, `bank`, `edtech` of `according to the World Bank
        EdTech paper`, in that paper), not a word it hardly uses (a report it cites itself)."""
        words = terms(q.source)
        if not words or focus is None:
            return set()
        title = set(terms(self.retriever.opening(focus)))
        local = self.retriever.local_idf(focus, words)
        return {w for w in words if w in title or local[w] <= SOURCE_IDF}

    def _naming_terms(self, q: Question, lighter: Question, focus: str) -> set[str]:
        """The words that say which document is asked about: of the names dropped from `q` for it, and
        of any run of TITLE_RUN or more question words its title holds, however typed
        (`reimagining human connections`)."""
        found = {t for n in q.names if n not in lighter.names for t in terms(n)} | self._source_terms(q, focus)
        title = " ".join(w.lower() for w in surface_words(self.retriever.opening(focus)))
        typed = [w.lower() for w in surface_words(q.text)]
        i = 0
        while i <= len(typed) - TITLE_RUN:
            j = i + TITLE_RUN
            if f" {' '.join(typed[i:j])} " not in f" {title} ":
                i += 1
                continue
            while j < len(typed) and f" {' '.join(typed[i:j + 1])} " in f" {title} ":
                j += 1
            found |= set(terms(" ".join(typed[i:j])))
            i = j
        return found

    def _scale(self, question: str, focus: str, naming: set[str] = frozenset()) -> dict[str, float]:
        """Per-word factors that turn BM25's corpus-wide IDF into the focused document's own; the
        words in `naming` (of the names that say which document is asked about) count as pervasive."""
        words = terms(question) + self.acronyms.expand_terms(question)
        local = self.retriever.local_idf(focus, words)
        for w in naming & set(local):
            local[w] = min(local[w], PERVASIVE_IDF)
        return {w: local[w] / (self.bm25.idf(w) or 1.0) for w in local}

    def _by_coverage(self, weights: dict[str, float], hits: list[Hit]) -> list[Hit]:
        """Re-order hits by retrieval score plus how much of the question (IDF-weighted) they hold."""
        if not COVERAGE_WEIGHT or len(hits) < 2:
            return hits
        top = hits[0].score or 1.0

        def score(h: Hit) -> float:
            return h.score / top + COVERAGE_WEIGHT * self._covered(weights, _context(h))

        return sorted(hits, key=score, reverse=True)

    def _term_weights(self, q: Question, focus: str | None = None) -> dict[str, float]:
        """The question's words and their IDF: over the focused document's chunks when there is one."""
        known = [t for t in dict.fromkeys(q.terms) if t in self.bm25.vocab or len(t) <= 2]
        if focus is not None:
            local = self.retriever.local_idf(focus, known)
            return {t: (local[t] * self.bm25.idf(t)) ** 0.5 for t in known}
        return {t: self.bm25.idf(t) for t in known}

    @cached_property
    def _bodies(self) -> set[str]:
        """Acronyms whose full name is a body (a ministry, agency, office …): the actors of the corpus."""
        return {e.short for e in self.acronyms.entries if re.search(BODY_WORDS, e.long, re.IGNORECASE)}

    def _covered(self, weights: dict[str, float], text: str) -> float:
        """Share of the question's IDF weight that `text` holds (acronym twins count)."""
        have = set(terms(text))
        held = sum(w for t, w in weights.items() if term_present(t, have, self.acronyms))
        return held / (sum(weights.values()) or 1.0)

    def _constraints_first(self, q: Question, hits: list[Hit]) -> list[Hit]:
        """Paragraphs that hold every year, ordinal, number and name the question names go first.

        Many paragraphs read alike (a yearly series, a sister programme); the question's own
        constraints tell them apart where similarity scores cannot.
        """
        if not (q.years or q.ordinals or q.numbers or q.names) or not RERANK_POOL:
            return hits
        floor = RERANK_FLOOR * hits[0].score if hits else 0.0
        ok = [h.score >= floor and satisfies(q, _context(h), self.acronyms, h.paragraph.doc) for h in hits]
        return [h for h, good in zip(hits, ok) if good] + [h for h, good in zip(hits, ok) if not good]

    def _answer(
        self, q: Question, weights: dict[str, float], hits: list[Hit], k: int, vector: np.ndarray, trace: Trace | None
    ) -> Answer | Reason:
        """The answer, or the reason to abstain: the first rule that vetoes, in the declared order."""
        if not hits:
            return Reason(NOTHING_RETRIEVED, "the index returned no passage for the question")
        if q.kind == "acronym" or asked_acronym(q.text, self.acronyms.knows):
            found = self._acronym(q, hits, k)
            if found:
                if trace is not None:
                    trace.note = "answered from the acronym table (no sentence judged)"
                return found
        read = hits[:PARAGRAPHS_READ]
        best = self._best_sentence(q, weights, read, vector, trace)
        if best is None:
            return self._no_candidate(q, weights, read)
        paraphrased = self.acronyms.bodies(q.text)
        case = Case(
            q,
            self.acronyms,
            passage=_context(best.hit),
            headings=_headings(best.hit),
            doc=best.hit.paragraph.doc,
            sentence=best.sentence,
            bodies=frozenset(self._bodies),
            paraphrased=tuple(paraphrased),
        )
        every = trace is not None
        checks = judge("sentence", case, every=every)
        reason = first_veto(checks)
        earlier = _before(best.hit.paragraph.text, best.sentence)
        if reason is not None and not every:
            return reason
        reply = draft(q, best.sentence, self.acronyms, earlier, best.similarity, every=every)
        if trace is not None:
            trace.checks = checks + reply.checks
            trace.note = reply.note
        if reason is not None:
            return reason
        if reply.text is None:
            return reply.reason
        text = reply.text
        citations = [citation(h) for h in hits[:k]]
        ordered = [citation(best.hit)] + [c for c in citations if c.ref != best.hit.paragraph.ref]
        return Answer(q.text, text, False, ordered[: max(k, 1)], quote=best.sentence)

    def _acronym(self, q: Question, hits: list[Hit], k: int) -> Answer | None:
        target = asked_acronym(q.text, self.acronyms.knows)
        phrase = next((e.short for e in self.acronyms.entries if _names_short_form(q.text, e.short)), None)
        if phrase is not None:  # `Nanotech CU PAL`, or its acronym part `CU PAL`
            ranked = [(0, phrase)]
        elif target is not None:
            # `What does PERI stand for in AIST's …?` asks for PERI: never answer with AIST instead.
            ranked = [(0, target)]
        else:
            tokens = re.findall(r"[A-Za-z][\w&\-–]*(?:’s|'s)?", q.text)
            ranked = sorted(enumerate(tokens), key=lambda it: (it[1].endswith(("’s", "'s")), -it[0]))
        for _, token in ranked:
            token = re.sub(r"(’s|'s)$", "", token)
            entries = self.acronyms.lookup(token) or (self.acronyms.lookup(token[:-1]) if token.endswith("s") else [])
            if not entries:
                continue
            snapshot = self.retriever.snapshot
            entry = self._focused(entries, hits)
            defining = snapshot.by_ref.get(entry.ref)
            if defining is None or defining.kind == "heading":
                defining = next(
                    (
                        p
                        for p in snapshot.paragraphs
                        if p.kind != "heading" and entry.short in p.text and entry.long in p.text
                    ),
                    defining,
                )
            if defining is None:
                continue
            # A footnote spells out an acronym the body uses: cite the footnote first, then the body.
            spelled = defining
            if entry.long.lower() not in defining.text.lower():
                spelled = next(
                    (p for p in snapshot.paragraphs if p.kind != "heading" and entry.long.lower() in p.text.lower()),
                    defining,
                )
            first = [_cite(p) for p in dict.fromkeys([spelled, defining])]
            rest = [citation(h) for h in hits if h.paragraph.ref not in {spelled.ref, defining.ref}]
            text = f"{entry.short} stands for {entry.long}."
            return Answer(q.text, text, False, [*first, *rest][: max(k, 1)], quote=f"{entry.long} ({entry.short})")
        return None

    def _focused(self, entries: list[Acronym], hits: list[Hit]) -> Acronym:
        """Of the expansions several documents give one acronym (`SME`: enterprises in a trade report,
        subject matter expert in the AI RMF), the one defined in the document the question retrieves first."""
        docs = list(dict.fromkeys(h.paragraph.doc for h in hits))
        by_ref = self.retriever.snapshot.by_ref

        def rank(entry: Acronym) -> int:
            defining = by_ref.get(entry.ref)
            return docs.index(defining.doc) if defining is not None and defining.doc in docs else len(docs)

        return min(entries, key=rank)

    def _no_candidate(self, q: Question, weights: dict[str, float], read: list[Hit]) -> Reason:
        """Why no sentence was left: the best passage's first veto, or no sentence in the passages that passed."""
        best = read[0]
        context = _context(best)
        case = Case(q, self.acronyms, passage=context, doc=best.paragraph.doc,
                    coverage=self._covered(weights, context), subject="the best passage")
        reason = first_veto(judge("passage", case))
        if reason is not None and all(self._vetoed(q, weights, h) for h in read[1:]):
            # A name nothing mentions is the reason to give whichever rule vetoed first: no passage can meet it.
            unknown = self._unmentioned(q)
            if unknown is not None:
                name, word = unknown
                detail = f"names {name}; no document mentions {'it' if word == name else word}"
                return Reason("name_missing", detail)
            return reason
        return Reason(NO_SENTENCE, f"no sentence of the {len(read)} passages read was left to answer")

    def _unmentioned(self, q: Question) -> tuple[str, str] | None:
        """A name of the question with a word that no document of the index uses (nor its acronym
        table): a constraint nothing can meet (`Kenya` of a library without Kenya). The name, the word."""
        for name in q.names:
            for word in surface_words(name):
                stems = terms(word)
                if stems and not any(t in self.bm25.vocab for t in stems) and not self.acronyms.knows(word):
                    return name, word
        return None

    def _vetoed(self, q: Question, weights: dict[str, float], hit: Hit) -> bool:
        context = _context(hit)
        case = Case(q, self.acronyms, passage=context, doc=hit.paragraph.doc, coverage=self._covered(weights, context))
        return first_veto(judge("passage", case)) is not None

    def _passage_checks(self, q: Question, hit: Hit, coverage: float, every: bool) -> list[Check]:
        context = _context(hit)
        case = Case(q, self.acronyms, passage=context, doc=hit.paragraph.doc, coverage=coverage)
        return judge("passage", case, every=every)

    def _best_sentence(
        self, q: Question, weights: dict[str, float], hits: list[Hit], vector: np.ndarray, trace: Trace | None = None
    ) -> Candidate | None:
        candidates: list[Candidate] = []
        labels = LABEL_KINDS if not re.search(r"\b(title|titled|caption|called|named)\b", q.text.lower()) else ("url",)
        pointed = structure_kinds(q.text)
        extreme = asked_extreme(q)
        references_answer = bool(PUBLICATION_QUESTION.search(q.text))
        for rank, hit in enumerate(hits):
            p = hit.paragraph
            context = _context(hit)
            # A figure's notes and source lines are read with its caption, which says what they are about.
            caption = _prefix(hit) if p.kind in FIGURE_PARTS else ""
            coverage = self._covered(weights, context)
            checks = self._passage_checks(q, hit, coverage, every=trace is not None)
            if trace is not None:
                trace.passages.append(PassageTrace(citation(hit), coverage, checks))
            if first_veto(checks) is not None:
                continue
            previous = ""
            for number, sentence in enumerate(paragraph_sentences(p.text)):
                if _LIST_NUMBER.fullmatch(sentence) or _title_line(sentence):
                    continue  # `7.`, a list's number split off as a sentence, says nothing; a title states nothing
                # `This will strengthen …` speaks of what the sentence before named: read them together.
                scope = f"{previous} {sentence}" if reads_previous(sentence) else sentence
                previous = sentence
                # `Among them …` also inherits the year and names of the sentence before.
                framed = scope if _CONTINUATION.match(sentence) else sentence
                overlap = self._covered(weights, f"{caption} {scope}") + constraint_hits(q, framed)
                if p.kind in pointed:  # `the chart's source`, `the figure notes`
                    overlap += CONSTRAINT_HIT_WEIGHT
                if q.kind == "entity" and passive_agent(q, sentence):  # `who realizes …` ← `… realized by X`
                    overlap += AGENT_WEIGHT
                if q.kind in ("entity", "list") and lists_asked_noun(q, sentence):
                    overlap += ASKED_NOUN_WEIGHT
                if q.kind == "purpose" and re.search(PURPOSE_WORDS, sentence, re.IGNORECASE):
                    overlap += PURPOSE_WEIGHT  # `The aim is to …` states the aim the question asks for
                if extreme and states_extreme(extreme, sentence):
                    overlap += EXTREME_WEIGHT
                if not has_kind(q, sentence):
                    overlap *= 0.3
                score = overlap + 0.15 * coverage - 0.05 * rank
                if p.kind in labels or (is_reference(sentence) and not references_answer):
                    # Link boxes, footnotes, figure titles and references restate names; the statement is in the body.
                    score *= LABEL_DISCOUNT
                candidates.append(Candidate(hit, sentence, score, coverage, number))
        if not candidates:
            return None
        candidates.sort(key=lambda c: -c.score)
        top = candidates[:SENTENCES_RERANKED]
        stored = self.retriever.snapshot.sentence_vector
        sims = np.stack([stored(c.hit.paragraph.ref, c.number) for c in top]) @ vector
        for c, sim in zip(top, sims):
            c.similarity = float(sim)
            c.score += SENTENCE_DENSE_WEIGHT * c.similarity
        top.sort(key=lambda c: -c.score)
        if trace is not None:
            scored = top + candidates[SENTENCES_RERANKED:]
            trace.sentences = [_sentence_trace(c, n < len(top)) for n, c in enumerate(scored)]
            trace.chosen = trace.sentences[0]
        return top[0]

    def relevant(self, question: str, paragraph) -> bool:
        """Does `paragraph` pass the cut an answer's own paragraph passes (every constraint, enough coverage)?"""
        q = self._analyse(question)
        context = " ".join([*paragraph.section, paragraph.text])
        focus = paragraph.doc if self.retriever.searched_docs > 1 else None
        covered = self._covered(self._term_weights(q, focus), context)
        return satisfies(q, context, self.acronyms, paragraph.doc) and covered >= MIN_COVERAGE


def _names_short_form(question: str, short: str) -> bool:
    """A question names a short form of several words (`Nanotech CU PAL`) in full or by its acronym part."""
    tokens = short.split()
    if len(tokens) < 2:
        return False
    low = f" {question.lower()} "
    return any(f" {' '.join(tokens[i:]).lower()} " in re.sub(r"[^\w&\-–]+", " ", low) for i in range(len(tokens) - 1))


def _sentence_trace(c: Candidate, reranked: bool) -> SentenceTrace:
    return SentenceTrace(c.hit.paragraph.ref, c.sentence, c.score, c.similarity if reranked else None)


def constraint_hits(q: Question, sentence: str) -> float:
    """Credit for the question's years, numbers and names that the sentence itself contains.

    Names count less: the sentence that answers often calls a name the question gives `the system`.
    """
    low = sentence.lower()
    found = sum(1 for y in q.years if y in sentence)
    plain = sentence.replace(",", "")
    found += sum(1 for n in q.numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?!\d|\.\d)", plain))
    return CONSTRAINT_HIT_WEIGHT * found + NAME_HIT_WEIGHT * sum(1 for name in q.names if name.lower() in low)


def _before(text: str, sentence: str) -> str:
    at = text.find(sentence)
    return text[:at] if at > 0 else ""


def _side_named(reply: Answer, own: set[str]) -> Answer:
    """One side of a comparison is answered only by a sentence that names that side: at least half
    of the words that tell it from the other side. `… compare with the rate in the united states`
    is not answered by a sentence giving Japan's rate."""
    if reply.abstained or not own:
        return reply
    held = own & set(terms(reply.quote))
    if 2 * len(held) >= len(own):
        return reply
    unnamed = [w for w in surface_words(reply.question) if stem(w) in own - held]
    detail = f"the sentence found does not name {' '.join(dict.fromkeys(unnamed))}"
    return replace(reply, answer=None, abstained=True, reason=Reason(SIDE_UNNAMED, detail))

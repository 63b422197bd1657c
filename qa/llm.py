"""Optional generative answers from a local OpenAI-compatible server (Ollama, llama.cpp server, vLLM …).

The model sees only the paragraphs retrieval found, each under its ref, and must cite the refs it
uses. Its reply is then checked before anyone sees it:
  * every ref it cites must be one of the paragraphs it was given, and it must cite at least one;
  * every number, month and organisation name in it must occur in a paragraph it cites
    (an acronym counts for its expansion and the reverse, as the corpus defines them).
A reply that fails a check is dropped for the extractive answer, with the reason. Nothing here is
imported unless `ask --llm` is used; llama-index's OpenAILike class (the `qa[llm]` extra) does the
HTTP call.
"""

from __future__ import annotations

import importlib.util
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from qa.errors import QAError
from qa.records import Answer, Citation
from qa.sentences import split_sentences
from qa.spans import is_org, names
from qa.text import terms

DEFAULT_URL = "http://localhost:11434/v1"
ENV_LLM_URL = "QA_LLM_URL"
ENV_LLM_API_KEY = "QA_LLM_API_KEY"
DEFAULT_TIMEOUT = 120.0
NO_ANSWER = "NOT IN DOCUMENTS"
INSTALL_HINT = "pip install 'qa[llm]'"

SYSTEM_PROMPT = f"""You answer questions about policy documents using only the passages you are given.
Rules:
- Use only facts stated in the passages. Never add outside knowledge.
- After every sentence, cite the passage it comes from by its id in square brackets, e.g. [s1.2.p3].
- Copy numbers, dates and names exactly as the passages write them.
- Answer in one to three short sentences; put the direct answer first.
- If the passages do not answer the question, reply exactly: {NO_ANSWER}"""

# A paragraph ref, with or without its document: `s1.1.1.b.p1`, `intro.p2`, `my-doc:2.1.p3-2`.
_REF_TOKEN = re.compile(
    r"(?<![\w.:-])(?:[a-z0-9][a-z0-9-]*:)?(?:[a-z0-9]+\.)*(?:intro|[a-z0-9]+)\.p\d+(?:-\d+)?(?![\w-])", re.I
)
# Bracketed items that are meant as refs even when malformed: `p3`, `s1.h`, `doc:s2.p1`.
_REF_LIKE = re.compile(r"(?:[\w-]+:)?(?:[\w]+\.)*(?:p\d+(?:-\d+)?|h)", re.I)
_BRACKET = re.compile(r"\[([^\[\]\n]{1,300})\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,7}(?:s|’s|'s)?\b")
_SPLIT_NAME = re.compile(r",\s*|\s+(?:and|or|in|by|with|under|at|to)\s+|\s*[()]\s*")


class LLMError(QAError):
    """--llm cannot work at all (extra missing, server unreachable)."""


@dataclass
class Verdict:
    """The checked reply: `answer` is the text to show (refs as [1], [2] …), `cited` the refs in order."""

    ok: bool
    reason: str = ""
    answer: str = ""
    cited: tuple[str, ...] = ()
    abstained: bool = False


@dataclass
class Outcome:
    """What `ask --llm` shows: the final answer, whether the model's reply was used, and why not."""

    answer: Answer
    used: bool
    note: str
    reply: str


def require_extra() -> None:
    """Fail with one line naming the extra when llama-index's OpenAI-compatible LLM is missing
    (without importing it: that alone takes seconds)."""
    try:
        spec = importlib.util.find_spec("llama_index.llms.openai_like")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise LLMError(f"--llm needs the optional LLM support: {INSTALL_HINT}")


def normalize_url(url: str) -> str:
    """`localhost:11434` or `http://host:8080` → `http://host:8080/v1` (the OpenAI-compatible root)."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    parsed = urlparse(url)
    if not parsed.hostname:
        raise LLMError(f"not an LLM server URL: {url}")
    if parsed.path in ("", "/"):
        url = f"{url}/v1"
    return url


def list_models(url: str, timeout: float = 10.0) -> list[str]:
    """The models the server offers (GET /models); LLMError when it does not answer."""
    request = urllib.request.Request(f"{url}/models", headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return []  # some servers do not list models; the chat call will tell
        raise LLMError(f"the LLM server at {url} answered {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise LLMError(
            f"cannot reach the LLM server at {url} ({reason}); start it (e.g. `ollama serve`) or pass --llm-url"
        ) from None
    except ValueError:
        return []
    rows = data.get("data", []) if isinstance(data, dict) else []
    return [str(row.get("id")) for row in rows if isinstance(row, dict) and row.get("id")]


def labels_for(citations: list[Citation]) -> dict[str, Citation]:
    """Short labels the model cites: the ref without its document when that is unambiguous."""
    local = [c.ref.split(":", 1)[-1] for c in citations]
    return {
        (short if local.count(short) == 1 else c.ref): c for short, c in zip(local, citations, strict=True)
    }


def build_prompt(question: str, labelled: dict[str, Citation]) -> str:
    blocks = [f"[{label}] ({_place(c)}, page {c.page})\n{c.text}" for label, c in labelled.items()]
    ask = f"Question: {question}\nAnswer (cite passage ids in square brackets):"
    return "Passages:\n\n" + "\n\n".join(blocks) + "\n\n" + ask


def _place(c: Citation) -> str:
    return re.sub(r" [(]p[.] \d+[)]$", "", c.display) or c.section or c.doc


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _resolve(token: str, labelled: dict[str, Citation]) -> str | None:
    token = token.strip().strip("`'\"").rstrip(".")
    for label, c in labelled.items():
        if token.lower() in (label.lower(), c.ref.lower()):
            return label
    return None


def organisations(text: str) -> list[str]:
    """Organisation names in `text`: acronyms (`MEXT`) and name parts with an organisation word."""
    found: list[str] = []
    for _, _, name in names(text):
        for part in _SPLIT_NAME.split(name):
            part = re.sub(r"^(?:the|The)\s+", "", part.strip(" ,.;:"))
            if len(part) > 1 and " " in part and is_org(part):
                found.append(part)
    for m in _ACRONYM.finditer(text):
        token = re.sub(r"(s|’s|'s)$", "", m.group(0))
        if len(token) >= 2 and token.isupper():
            found.append(token)
    return list(dict.fromkeys(found))


def _shorten(text: str, cited: str, acronyms) -> str:
    """Write expansions the cited paragraphs know by their acronym as that acronym, so
    `Ministry of Education, Culture, …` counts as `MEXT` when a cited paragraph says MEXT."""
    if acronyms is None:
        return text
    for entry in sorted(acronyms.entries, key=lambda e: -len(e.long)):
        if re.search(rf"\b{re.escape(entry.short)}\b", cited) or _squash(entry.long) in _squash(cited):
            text = re.sub(re.escape(entry.long).replace(r"\ ", r"\s+"), entry.short, text, flags=re.I)
    return text


def _org_present(name: str, cited: str, acronyms) -> bool:
    if _squash(name) in _squash(cited):
        return True
    if acronyms is None:
        return False
    for entry in acronyms.lookup(name):
        if _squash(entry.long) in _squash(cited):
            return True
    low = _squash(name)
    return any(_squash(e.long) == low and re.search(rf"\b{re.escape(e.short)}\b", cited) for e in acronyms.entries)


def check_reply(reply: str, labelled: dict[str, Citation], acronyms=None) -> Verdict:
    """Accept the reply only if its refs were retrieved and its facts are in the paragraphs it cites."""
    text = reply.strip()
    if not text:
        return Verdict(False, "the model sent an empty reply")
    if text.rstrip(".").upper() == NO_ANSWER or (NO_ANSWER in text.upper() and not _REF_TOKEN.search(text)):
        return Verdict(False, "the model found no answer in the retrieved paragraphs", abstained=True)
    order: list[str] = []
    for token in _REF_TOKEN.findall(text):
        label = _resolve(token, labelled)
        if label is None:
            return Verdict(False, f"the model cited {token}, which is not one of the retrieved paragraphs")
        if label not in order:
            order.append(label)
    for group in _BRACKET.findall(text):
        for item in re.split(r"[,;]\s*|\s+and\s+", group):
            item = item.strip()
            if _REF_LIKE.fullmatch(item) and _resolve(item, labelled) is None:
                return Verdict(False, f"the model cited [{item}], which is not one of the retrieved paragraphs")
    if not order:
        return Verdict(False, "the model's reply cites no paragraph")
    cited_text = "\n".join(labelled[label].text for label in order)
    shown = f" ({', '.join(order)})"
    body = _REF_TOKEN.sub(" ", text)
    have_numbers = {n.replace(",", "") for n in _NUMBER.findall(cited_text)}
    for number in _NUMBER.findall(body):
        value = number.replace(",", "")
        if value not in have_numbers and not ("." in value and value.rstrip("0").rstrip(".") in have_numbers):
            return Verdict(False, f"the model's reply states {number}, which is not in the paragraphs it cites{shown}")
    cited_low = cited_text.lower()
    for month in _MONTH.findall(body):
        if month.lower() not in cited_low:
            return Verdict(False, f"the model's reply names {month}, which is not in the paragraphs it cites{shown}")
    for org in organisations(_shorten(body, cited_text, acronyms)):
        if not _org_present(org, cited_text, acronyms):
            return Verdict(False, f"the model's reply names '{org}', which is not in the paragraphs it cites{shown}")
    numbered = renumber(text, labelled, order)
    return Verdict(True, answer=numbered, cited=tuple(labelled[label].ref for label in order))


def renumber(text: str, labelled: dict[str, Citation], order: list[str]) -> str:
    """`… [s1.1.p2, s3.p1]` → `… [1, 2]`, numbered in the order the answer's citations are listed."""

    def bracket(match: re.Match) -> str:
        items = [i.strip() for i in re.split(r"[,;]\s*|\s+and\s+", match.group(1))]
        labels = [_resolve(i, labelled) for i in items]
        if not all(labels):
            return match.group(0)
        numbers = list(dict.fromkeys(str(order.index(label) + 1) for label in labels if label in order))
        return f"[{', '.join(numbers)}]"

    text = _BRACKET.sub(bracket, text)
    text = _REF_TOKEN.sub(lambda m: f"[{order.index(_resolve(m.group(0), labelled)) + 1}]", text)
    return re.sub(r"\s+([.,;])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()


def best_sentence(paragraph: str, answer: str) -> str:
    """The sentence of the cited paragraph that shares most words with the answer (for highlighting)."""
    want = set(terms(answer))
    sentences = split_sentences(paragraph) or [paragraph]
    return max(sentences, key=lambda s: len(want & set(terms(s))))


class Generator:
    """Asks one model on one server; `answer` turns an extractive Answer into a checked generated one."""

    def __init__(
        self, model: str, url: str, timeout: float = DEFAULT_TIMEOUT, api_key: str | None = None, acronyms=None
    ) -> None:
        require_extra()
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ImportError as err:
            raise LLMError(f"--llm cannot load llama-index's OpenAI-compatible LLM ({err}); {INSTALL_HINT}") from None

        self.model = model
        self.url = normalize_url(url)
        self.acronyms = acronyms
        self.llm = OpenAILike(
            model=model, api_base=self.url, api_key=api_key or "not-needed", is_chat_model=True,
            is_function_calling_model=False, temperature=0.0, max_tokens=400, max_retries=0, timeout=timeout,
            context_window=8192,
        )

    def available(self) -> list[str]:
        return list_models(self.url)

    def reply(self, question: str, labelled: dict[str, Citation]) -> str:
        from llama_index.core.llms import ChatMessage

        messages = [
            ChatMessage(role="system", content=SYSTEM_PROMPT),
            ChatMessage(role="user", content=build_prompt(question, labelled)),
        ]
        response = self.llm.chat(messages)
        return str(response.message.content or "")

    def answer(self, extractive: Answer, k: int) -> Outcome:
        passages = extractive.retrieved or extractive.citations
        if not passages:
            return Outcome(extractive, False, "no paragraph was retrieved, so the model was not asked", "")
        labelled = labels_for(passages)
        try:
            reply = self.reply(extractive.question, labelled)
        except Exception as err:  # openai/httpx raise many kinds: timeouts, refused, 4xx/5xx
            detail = str(err).strip().splitlines()[0][:160] if str(err).strip() else ""
            why = f"the LLM server failed ({type(err).__name__}{': ' + detail if detail else ''})"
            return Outcome(extractive, False, f"{why}; showing the extractive answer", "")
        verdict = check_reply(reply, labelled, self.acronyms)
        if not verdict.ok:
            note = f"LLM answer not used: {verdict.reason}; showing the extractive answer"
            return Outcome(extractive, False, note, reply)
        by_ref = {c.ref: c for c in passages}
        cited = [by_ref[ref] for ref in verdict.cited]
        rest = [c for c in extractive.citations if c.ref not in verdict.cited]
        citations = (cited + rest)[: max(k, len(cited))]
        answer = Answer(
            extractive.question, verdict.answer, False, citations,
            quote=best_sentence(cited[0].text, verdict.answer), retrieved=extractive.retrieved,
        )
        return Outcome(answer, True, "", reply)

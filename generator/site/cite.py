"""BibTeX for papers: citation keys unique across the list, escaped entries, and whole .bib files.

Only what the store knows is cited (title, authors, year, DOI, arXiv id, URL); nothing is guessed.
Text is escaped for BibTeX/LaTeX (braces, ``%``, ``&``, ``#``, ``_``, ``$``, ``\\``, ``~``, ``^``) while
well-formed inline math ``$...$`` is kept as LaTeX. Every value is brace-delimited and brace-balanced,
so one odd title can never break the rest of a .bib file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from generator.core.model import Paper
from generator.core.text import control_table
from generator.sources.normalize import split_math

# LaTeX-safe spellings of characters that BibTeX or LaTeX would read as syntax. Braces and backslash
# become text commands (not "\{"), because BibTeX counts every brace, escaped or not.
_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_TABLE = str.maketrans(_TEX_ESCAPES)
# Control characters and lone surrogates are dropped ("\x02...\x03" is Python-Markdown's placeholder syntax,
# and the Cite block is Markdown); whitespace controls become spaces.
_CONTROLS = control_table()
# Words skipped when picking a title word for the citation key ("On the ..." -> the next word).
_SKIP_WORDS = frozenset(
    ("a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "by", "at", "is", "are", "we")
    + ("our", "this", "towards", "toward", "via", "when", "what", "how", "why", "do", "does")
)
_SPACES = re.compile(r"(\s+)")
# An ASCII word with a capital after its first character: in ASCII text only such a word can need braces
# from _protect; every other word is escaped as is, and escaping the text between such words at once
# gives the same as escaping it word by word (whitespace is never escaped).
_INNER_CAPITAL_WORD = re.compile(r"(?<!\S)\S*\S[A-Z]\S*")
_URL_UNSAFE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})


def tex_escape(text: str) -> str:
    """Plain text as LaTeX text (no math handling)."""
    return text.translate(_TEX_TABLE)


def _balanced(latex: str) -> bool:
    depth = 0
    for char in latex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bib_text(text: str, protect_case: bool = False) -> str:
    """Text for a BibTeX field value: escaped, ``$math$`` kept when its braces balance.

    With ``protect_case``, words with capitals after their first letter (acronyms such as "GPs",
    "ImageNet") are wrapped in braces so bibliography styles do not lowercase them.
    """
    out = []
    for is_math, piece in split_math(" ".join(text.translate(_CONTROLS).split())):
        if is_math and _balanced(piece) and "\n" not in piece:
            out.append(piece)
            continue
        if not protect_case:
            out.append(tex_escape(piece))
        elif piece.isascii():
            out.append(_protect_ascii(piece))
        else:
            out.append("".join(_protect(word) for word in _SPACES.split(piece)))
    return "".join(out)


def _protect_ascii(text: str) -> str:
    """``_protect`` applied to every whitespace-separated word of an ASCII text, fast."""
    out, done = [], 0
    for match in _INNER_CAPITAL_WORD.finditer(text):
        out.append(tex_escape(text[done : match.start()]))
        out.append(_protect(match.group()))
        done = match.end()
    out.append(tex_escape(text[done:]))
    return "".join(out)


def _protect(word: str) -> str:
    """Brace a word with capitals after its first letter ("GPs:" -> "{GPs}:"), punctuation left outside."""
    lead, core, trail = re.match(r"^(\W*)(.*?)(\W*)$", word, re.DOTALL).groups()
    if not any(c.isupper() for c in core[1:]):
        return tex_escape(word)
    return tex_escape(lead) + "{" + tex_escape(core) + "}" + tex_escape(trail)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def last_name(author: str) -> str:
    """The family name of "Last, First" or "First Last"."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    return parts[-1] if parts else ""


def base_key(paper: Paper) -> str:
    """First author's family name + year + first significant title word, or the paper id without authors."""
    name = _ascii_word(last_name(paper.authors[0])) if paper.authors else ""
    if not name:
        return paper.id
    words = [_ascii_word(w) for w in re.split(r"[\s\-/:]+", paper.title)]
    word = next((w for w in words if w and w not in _SKIP_WORDS), "")
    return f"{name}{paper.year or ''}{word}"


def citation_keys(papers: Sequence[Paper]) -> dict[str, str]:
    """A key per paper id, unique across ``papers``: the first holder of a key keeps it, later papers
    (in the given order, normally store order) get a letter suffix (b, c, ...)."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    bases = {p.id: base_key(p) for p in papers}
    taken_bases = set(bases.values())
    for paper in papers:
        key = bases[paper.id]
        if key in used:
            key = next(
                candidate
                for candidate in _suffixed(key)
                if candidate not in used and candidate not in taken_bases
            )
        used.add(key)
        keys[paper.id] = key
    return keys


def _suffixed(key: str) -> Iterable[str]:
    letters = "bcdefghijklmnopqrstuvwxyz"
    for letter in letters:
        yield key + letter
    n = 2
    while True:
        yield f"{key}-{n}"
        n += 1


# A venue that names a conference, workshop or proceedings is cited as @inproceedings (booktitle);
# any other venue as a journal (@article); no venue (a preprint) as @misc.
_PROCEEDINGS_RE = re.compile(
    r"\b(?:conference|proceedings|workshop|symposium|congress|meeting|neural information processing"
    r"|NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|AAAI|IJCAI|ACL|EMNLP|NAACL|KDD|UAI|AISTATS|COLT|ICASSP)\b",
    re.IGNORECASE,
)


def entry_type(paper: Paper) -> tuple[str, str | None]:
    """``("inproceedings", "booktitle")``, ``("article", "journal")`` or ``("misc", None)``."""
    if not paper.venue:
        return "misc", None
    if _PROCEEDINGS_RE.search(paper.venue):
        return "inproceedings", "booktitle"
    return "article", "journal"


def bibtex_entry(paper: Paper, key: str, fallback_url: str = "") -> str:
    """One entry (one field per line, no blank lines): ``@article``/``@inproceedings`` when the paper
    has a venue (see :func:`entry_type`), else ``@misc``. ``fallback_url`` (e.g. the paper's
    entry on the site) is cited when the paper has no URL, DOI or arXiv id of its own."""
    fields: list[tuple[str, str]] = [("title", bib_text(paper.title, protect_case=True))]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    kind, venue_field = entry_type(paper)
    if venue_field:
        fields.append((venue_field, bib_text(paper.venue, protect_case=True)))
    if paper.year is not None:
        fields.append(("year", str(int(paper.year))))
    if paper.doi:
        fields.append(("doi", paper.doi.translate(_URL_UNSAFE)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv.translate(_URL_UNSAFE)), ("archiveprefix", "arXiv")]
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else "")
    if not url and not paper.doi:
        url = fallback_url
    if url:
        fields.append(("url", url.translate(_URL_UNSAFE)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def _author(name: str) -> str:
    escaped = bib_text(name)
    # A name containing the word "and" would be split into two authors; braces keep it whole.
    return "{" + escaped + "}" if re.search(r"\sand\s", escaped, re.IGNORECASE) else escaped


def bib_file(entries: Iterable[str], title: str) -> str:
    """A .bib file: a comment line naming the list, then the entries separated by blank lines."""
    name = " ".join(title.replace("@", " ").split())  # an "@" outside an entry would start one
    header = f"% {name}\n% Generated by readinglist from data/papers.yaml.\n"
    return header + "\n" + "\n".join(entries)

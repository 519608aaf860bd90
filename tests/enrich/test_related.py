"""Related papers with strong evidence (generator/enrich/related.py, the build's related step)."""

from __future__ import annotations

import random

import numpy as np
from conftest import REPO

from generator.core.model import Paper
from generator.enrich import related
from generator.enrich.evidence import FEATURES, LinkModel
from generator.store import load_store


def paper(pid: str, title: str, abstract: str) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added="2024-01-01")


def seeds() -> list[Paper]:
    return [p for p in load_store(REPO / "data" / "papers.yaml")[0] if not p.hidden]


def test_at_most_five_links_each_with_a_reason_both_papers_use() -> None:
    papers = seeds()
    result = related.related_papers(papers)
    assert set(result) == {p.id for p in papers}
    text = {p.id: f"{p.title} {p.abstract}".lower() for p in papers}
    shown = [(pid, link) for pid, links in result.items() for link in links]
    assert shown, "the seeds have related papers"
    assert any(not links for links in result.values()), "some papers have none"
    for pid, links in result.items():
        assert len(links) <= related.TOP_K
        assert pid not in {link.target for link in links}
        assert [(-link.score, link.target) for link in links] == sorted(
            (-link.score, link.target) for link in links
        )
    for pid, link in shown:
        assert link.terms, (pid, link.target)
        for phrase in link.terms:
            first = phrase.split()[0][:4]
            assert first in text[pid] and first in text[link.target], (pid, link.target, phrase)


def test_one_shared_generic_word_is_never_enough() -> None:
    papers = [
        paper("a", "Popularity bias in recommendation", "we study bias of recommender systems"),
        paper("b", "Simplicity bias of neural networks", "we study bias in gradient descent"),
        paper("c", "Signal leak bias in diffusion", "we study bias of image generators"),
    ]
    # A model that would accept anything: the phrase requirement still holds the link back.
    eager = LinkModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), 10.0, 0.5)
    assert related.related_papers(papers, model=eager) == {"a": (), "b": (), "c": ()}


def test_a_shared_informative_phrase_can_make_a_link() -> None:
    text = "dataset distillation compresses a training set into synthetic training images"
    papers = [
        paper("a", "Dataset distillation by matching", text),
        paper("b", "Dataset distillation with priors", text + " using priors"),
        paper("c", "Bandits", "regret of exploration in multi armed bandits"),
        paper("d", "Graphs", "message passing over graph neural networks"),
    ]
    eager = LinkModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), 10.0, 0.5)
    result = related.related_papers(papers, model=eager)
    assert [link.target for link in result["a"]] == ["b"]
    assert any("dataset distillation" in phrase for phrase in result["a"][0].terms)
    assert result["c"] == () and result["d"] == ()


def test_deterministic_whatever_the_input_order() -> None:
    papers = seeds()[:150]
    first = related.related_papers(papers)
    shuffled = papers[:]
    random.Random(3).shuffle(shuffled)
    assert related.related_papers(shuffled) == first
    assert list(first) == sorted(first)


def test_tiny_lists_have_no_links() -> None:
    assert related.related_papers([]) == {}
    assert related.related_papers([paper("only", "A title", "an abstract")]) == {"only": ()}


def test_without_a_shared_phrase_the_reason_is_the_specific_words_both_use() -> None:
    papers = [
        paper("a", "Folding of proteins", "proteins, then contacts, then folding"),
        paper("b", "Contacts in proteins", "folding; contacts; proteins"),
        paper("c", "Bandits", "regret of exploration in multi armed bandits"),
        paper("d", "Graphs", "message passing over graph neural networks"),
    ]
    eager = LinkModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), 10.0, 0.5)
    result = related.related_papers(papers, model=eager)
    (link,) = result["a"]
    assert link.target == "b"
    assert len(link.terms) >= 2 and set(link.terms) <= {"proteins", "contacts", "folding"}


def test_a_model_that_accepts_nothing_shows_nothing() -> None:
    strict = LinkModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), -10.0, 0.5)
    result = related.related_papers(seeds()[:100], model=strict)
    assert result and all(links == () for links in result.values())


def test_explain_shows_the_evidence_of_every_link_and_the_empty_state() -> None:
    from generator.enrich.explain import explain_related

    papers = seeds()
    result = related.related_papers(papers)
    linked = next(pid for pid in sorted(result) if len(result[pid]) >= 2)
    byid = {p.id: p for p in papers}
    text = explain_related(byid[linked], papers)
    for link in result[linked]:
        block = text.split(f"[shown] {link.target}: ", 1)
        assert len(block) == 2, (linked, link.target)
        entry = block[1].split("\n  [", 1)[0]
        assert f"probability {link.score:.2f}" in entry
        assert f"both: {', '.join(link.terms)}" in entry
    assert text.count("[shown]") == len(result[linked])
    alone = next(pid for pid in sorted(result) if not result[pid])
    assert "No closely related paper in the list yet." in explain_related(byid[alone], papers)


def test_the_vectorized_reason_check_agrees_with_the_reasons_shown() -> None:
    from generator.enrich.evidence import has_reason

    found = related.candidates(seeds())
    fast = has_reason(found.rows, found.cols, found.phrases, found.words)
    named = [bool(why) for why in related.link_reasons(found, found.rows, found.cols)]
    assert fast.tolist() == named
    assert 0 < fast.sum() < len(fast)


def test_links_are_each_papers_most_probable_candidates_that_have_a_reason() -> None:
    from generator.enrich.evidence import has_reason

    found = related.candidates(seeds())
    eager = LinkModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), 10.0, 0.5)
    model = related.link_model()
    for chosen in (eager, model):
        result = related.select_links(found, related.TOP_K, chosen)
        probability = np.round(chosen.probability(found.features), 4)
        ok = has_reason(found.rows, found.cols, found.phrases, found.words) & (
            probability >= chosen.threshold
        )
        expected: dict[str, list[tuple[float, str]]] = {pid: [] for pid in found.ids}
        for i in np.flatnonzero(ok).tolist():
            expected[found.ids[found.rows[i]]].append((-probability[i], found.ids[found.cols[i]]))
        for pid, pairs in expected.items():
            assert [link.target for link in result[pid]] == [t for _, t in sorted(pairs)[: related.TOP_K]]

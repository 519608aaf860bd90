"""explain (generator/enrich/explain.py), topic and tag part: what it prints is the evidence the build
used. (The related-papers part is tested with related.py.)"""

from __future__ import annotations

import re

from generator.core.model import Paper, Rule, TagDef, Taxonomy, Topic
from generator.enrich.classify import assign_all, assign_all_rules
from generator.enrich.explain import explain_assignment, explain_topic_model
from generator.enrich.topic_model import SIMILARITY_WEIGHT, topic_evidence

TAXONOMY = Taxonomy(
    (
        Topic("opt", "Optimization", rules=(Rule("gradient descent"), Rule("learning rate*"))),
        Topic("bayes", "Bayes", rules=(Rule("posterior*"), Rule("bayesian"))),
    ),
    (
        TagDef("sgd", "SGD", ("gradient descent",)),
        TagDef("lr", "Learning rate", ("learning rate*", "warmup")),
        TagDef("mcmc", "MCMC", ("markov chain*",)),
        TagDef("uq", "Uncertainty", ("uncertainty quantification",)),
    ),
)
FILLER = ("data", "experiments", "benchmarks", "networks", "training", "results", "analysis", "datasets")


def paper(pid: str, title: str, abstract: str, **curator) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added="2024-01-01", **curator)


def corpus() -> list[Paper]:
    papers = []
    for i in range(15):
        extra = " ".join(FILLER[j % len(FILLER)] for j in range(i, i + 3))
        papers.append(
            paper(
                f"o{i:02d}",
                "Gradient descent",
                f"gradient descent: gradient descent and its learning rate, warmup; {extra}",
            )
        )
        papers.append(
            paper(
                f"b{i:02d}",
                "Bayesian posteriors",
                f"bayesian posterior sampling with priors, likelihood, markov chains; {extra}",
            )
        )
    # The rules barely speak (one abstract mention of 'learning rate'); the words are Bayesian.
    papers.append(
        paper("z", "Uncertainty of predictions", "priors, likelihood and markov chains; a learning rate")
    )
    return papers


def test_topic_model_lines_are_the_evidence_and_name_the_primary_the_site_uses() -> None:
    papers = corpus()
    text = explain_topic_model(papers[-1], papers, TAXONOMY)
    evidence = topic_evidence(papers, assign_all_rules(papers, TAXONOMY), TAXONOMY)["z"]
    final = assign_all(papers, TAXONOMY)["z"].topics
    assert final[0] == evidence.primary == "bayes"
    for i, tid in enumerate(evidence.topics):
        line = re.search(rf"^  {tid}: rules ([\d.]+) \+ ([\d.]+) x ([\d.]+) sd -> ([\d.]+)$", text, re.M)
        assert line, (tid, text)
        rules, weight, sd, blend = map(float, line.groups())
        assert (rules, weight) == (round(evidence.rules[i], 2), SIMILARITY_WEIGHT)
        assert abs(sd - evidence.centroid[i]) < 0.01 and abs(blend - evidence.blend[i]) < 0.01
        assert abs(blend - (rules + weight * sd)) < 0.02  # the printed sum adds up
    assert "primary: bayes" in text and "trained the classifier" not in text
    # The rules-and-tags part says the classifier, not the best rule, chose the primary topic.
    full = explain_assignment(papers[-1], TAXONOMY, final=final)
    assert "primary bayes chosen by the classifier's blend" in full


def test_each_tag_has_its_reason_and_a_paper_short_of_two_says_why() -> None:
    strong = explain_assignment(
        paper("s", "Gradient descent", "gradient descent with a learning rate warmup, learning rates"),
        TAXONOMY,
    )
    assert "Tags: sgd, lr" in strong
    assert re.search(r"^  sgd: score [\d.]+ >= 2$", strong, re.M)
    assert re.search(r"^  lr: score [\d.]+ >= 2$", strong, re.M)
    assert "only" not in strong.split("Tags:")[1]
    filled = explain_assignment(
        paper("f", "Gradient descent", "gradient descent, again; markov chains once"), TAXONOMY
    )
    assert "Tags: sgd, mcmc" in filled
    assert "  mcmc: score 1: a single mention, filled in" in filled
    short = explain_assignment(paper("o", "Gradient descent", "gradient descent"), TAXONOMY)
    assert "Tags: sgd (" in short
    assert "only 1 tag(s): no other tag phrase of data/tags.yaml occurs" in short
    pinned = explain_assignment(paper("p", "Gradient descent", "x", tags=("uq", "ghost")), TAXONOMY)
    assert "  uq: pinned by the curator" in pinned
    assert "ignored unknown pinned tags: ghost" in pinned


def test_explain_is_deterministic() -> None:
    papers = corpus()
    assert explain_topic_model(papers[-1], papers, TAXONOMY) == explain_topic_model(
        papers[-1], list(reversed(papers)), TAXONOMY
    )

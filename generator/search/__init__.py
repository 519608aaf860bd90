"""Paper-level search: one Pagefind record per paper (title, authors, year, topic, tags, abstract), with
topic, tag and year facets; the bundle is written into the built site by the Pagefind binary."""

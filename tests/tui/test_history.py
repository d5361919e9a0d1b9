"""Query history and saved searches: kept between runs, robust to bad files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from nato_browse.index.api import Filters
from nato_browse.tui.state.history import HISTORY_FILE, QueryHistory
from nato_browse.tui.state.saved_searches import SAVED_SEARCHES_FILE, SavedSearch, SavedSearches


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("NATO_BROWSE_CONFIG_DIR", str(folder))
    return folder


# --- history ------------------------------------------------------------------------------------


def test_history_add_dedupes_consecutive_and_caps() -> None:
    history = QueryHistory(cap=3)
    for query in ["nato", "  nato ", "", "ukraine", "nato", "drones", "energy"]:
        history.add(query)
    assert history.entries == ["ukraine", "nato", "drones", "energy"][-3:]
    assert len(history) == 3


def test_history_is_kept_between_runs(config: Path) -> None:
    history = QueryHistory.load()
    assert history.entries == [] and history.warning == ""
    history.add("stoltenberg")
    history.add("speaker:putin")
    assert (config / HISTORY_FILE).is_file()
    again = QueryHistory.load()
    assert again.entries == ["stoltenberg", "speaker:putin"]
    assert not [p for p in config.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_history_cap_applies_to_what_is_loaded(config: Path) -> None:
    config.mkdir()
    queries = [f"q{i}" for i in range(10)]
    (config / HISTORY_FILE).write_text(json.dumps({"queries": queries}), encoding="utf-8")
    assert QueryHistory.load(cap=4).entries == queries[-4:]


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"queries": "nato"}', "[1, 2]", "\udcff".encode("utf-8", "surrogatepass")],
)
def test_a_corrupt_history_file_starts_empty_with_a_warning(
    config: Path, content: str | bytes, caplog: pytest.LogCaptureFixture
) -> None:
    config.mkdir()
    path = config / HISTORY_FILE
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        history = QueryHistory.load()
    assert history.entries == []
    assert str(path) in history.warning and "\n" not in history.warning
    assert history.warning in caplog.text
    history.add("nato")
    assert QueryHistory.load().entries == ["nato"]
    # what could not be read is kept aside, not overwritten
    kept = (config / (HISTORY_FILE + ".corrupt")).read_bytes()
    assert kept == (content if isinstance(content, bytes) else content.encode("utf-8"))


def test_history_non_text_entries_are_skipped(config: Path) -> None:
    config.mkdir()
    (config / HISTORY_FILE).write_text('{"queries": ["a", 3, null, "b"]}', encoding="utf-8")
    assert QueryHistory.load().entries == ["a", "b"]


def test_history_that_cannot_be_saved_warns_and_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    history = QueryHistory.load(blocker / HISTORY_FILE)  # its folder is a file
    history.add("nato")
    assert history.entries == ["nato"]
    assert "cannot save history" in history.warning
    assert not history.save()


def test_history_navigation() -> None:
    history = QueryHistory(["one", "two", "three"])
    nav = history.navigator()
    assert nav.newer() is None  # not navigating yet
    assert nav.older("draft") == "three"
    assert nav.older("three") == "two"
    assert nav.older("two") == "one"
    assert nav.older("one") is None  # the oldest
    assert nav.newer() == "two"
    assert nav.newer() == "three"
    assert nav.newer() == "draft"  # back to what was being typed
    assert nav.newer() is None
    nav.older("x")
    nav.reset()
    assert nav.older("y") == "three"
    assert QueryHistory().navigator().older("typed") is None


# --- saved searches -----------------------------------------------------------------------------


def test_saved_searches_round_trip(config: Path) -> None:
    saved = SavedSearches.load()
    assert len(saved) == 0 and saved.warning == ""
    filters = Filters(speakers=("Jens Stoltenberg",), regions=("Baltic",), date_from="2022-02-24")
    saved.put(SavedSearch("Baltic air policing", "air policing", filters, "oldest"))
    saved.put(SavedSearch("drones", "drone*"))
    again = SavedSearches.load()
    assert again.names() == ["Baltic air policing", "drones"]
    search = again.get("baltic AIR policing ")
    assert search == SavedSearch("Baltic air policing", "air policing", filters, "oldest")
    assert "DRONES" in again
    assert [s.name for s in again] == ["Baltic air policing", "drones"]
    assert again.remove("Drones") and not again.remove("drones")
    assert SavedSearches.load().names() == ["Baltic air policing"]


def test_saving_under_an_existing_name_replaces_it(config: Path) -> None:
    saved = SavedSearches.load()
    saved.put(SavedSearch("x", "first"))
    saved.put(SavedSearch("X", "second"))
    assert [s.query for s in SavedSearches.load()] == ["second"]


def test_bad_saved_entries_are_skipped_and_kept_aside(config: Path) -> None:
    config.mkdir()
    path = config / SAVED_SEARCHES_FILE
    content = json.dumps(
        {
            "searches": [
                {"name": "good", "query": "nato", "filters": {"topics": ["energy"]}},
                {"name": "bad sort", "query": "x", "sort": "random"},
                {"query": "no name"},
                {"name": "bad filter", "query": "x", "filters": {"colour": ["red"]}},
                {"name": "bad list", "query": "x", "filters": {"speakers": "Putin"}},
                "not an object",
            ]
        }
    )
    path.write_text(content, encoding="utf-8")
    saved = SavedSearches.load()
    assert saved.names() == ["good"]
    assert saved.get("good") == SavedSearch("good", "nato", Filters(topics=("energy",)))
    assert "5 bad entries" in saved.warning and "skipped them" in saved.warning
    saved.put(SavedSearch("new", "q"))
    assert (config / (SAVED_SEARCHES_FILE + ".corrupt")).read_text(encoding="utf-8") == content
    assert SavedSearches.load().names() == ["good", "new"]


def test_a_corrupt_saved_searches_file(config: Path) -> None:
    config.mkdir()
    (config / SAVED_SEARCHES_FILE).write_text("]]", encoding="utf-8")
    saved = SavedSearches.load()
    assert len(saved) == 0 and "not valid JSON" in saved.warning


def test_saved_search_json_leaves_out_empty_filters() -> None:
    assert SavedSearch("n", "q").to_json() == {"name": "n", "query": "q", "sort": "relevance"}
    with pytest.raises(ValueError, match="no name"):
        SavedSearch.from_json({"name": "  ", "query": "q"})


def test_a_search_saved_sorted_by_date_comes_back_newest_first() -> None:
    # Saved before the orders were relevance, newest, oldest and speaker A-Z.
    old = SavedSearch.from_json({"name": "n", "query": "q", "sort": "date"})
    assert old.sort == "newest"
    assert SavedSearch.from_json({"name": "n", "query": "q", "sort": "speaker"}).sort == "speaker"

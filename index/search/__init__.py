"""Search over the index: `QuoteIndex`, the one long-lived searcher the CLI and the app use.

`quote_index.py` is the facade (search, facets, months, stats); `parse.py` turns what the user
typed into a Whoosh query tree, `evaluate.py` runs it over cached posting lists (with Whoosh's
scoring: tests/index/test_oracle.py holds it to Whoosh's own hits); `speaker_profile.py` sums up
one speaker.
"""

from .quote_index import QuoteIndex
from .speaker_profile import SpeakerProfile, TopicComparison, compare_on_topic, speaker_profile

__all__ = ["QuoteIndex", "SpeakerProfile", "TopicComparison", "compare_on_topic", "speaker_profile"]

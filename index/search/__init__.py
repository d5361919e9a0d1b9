"""Search over the index: `QuoteIndex`, the one long-lived searcher the CLI and the app use.

`quote_index.py` is the facade (search, facets, months, stats); `query.py` parses what the user
typed and evaluates it over cached posting lists; `speaker_profile.py` sums up one speaker.
"""

from .quote_index import QuoteIndex
from .speaker_profile import SpeakerProfile, TopicComparison, compare_on_topic, speaker_profile

__all__ = ["QuoteIndex", "SpeakerProfile", "TopicComparison", "compare_on_topic", "speaker_profile"]

"""Documents -> Quotes: every quotation in a document, who said it, and where it stands.

`pipeline.py` runs the steps, each in its own module: `transcripts.py` (labelled turns),
`quote_marks.py` (spans between quotation marks), `sentences.py`, `attribution.py` (reporting
verbs and the mention of who speaks), `speakers.py` (a mention -> the document's person);
`lexicon.py` holds the word lists they share.
"""

from .pipeline import extract_quotes

__all__ = ["extract_quotes"]

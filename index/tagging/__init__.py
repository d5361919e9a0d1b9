"""Topics, countries and regions for a quote, from the editable taxonomies in `data/*.toml`."""

from .tagger import Tagger, Tags
from .taxonomy import TaxonomyError

__all__ = ["Tagger", "Tags", "TaxonomyError"]

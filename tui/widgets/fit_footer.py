"""A footer that shows the bindings that fit, whole, and drops the rest.

Textual's `Footer` lays its keys out in a row and lets the last ones run under the command
palette's key, docked at the right: on a narrow terminal a binding is cut into a stray letter
("^p Palettei"). This one measures each key and hides, from the right, those that do not fit
whole beside the palette's key; Help goes last, so F1 stays in sight.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Dropped last: how to find everything else.
KEEP_ACTIONS = frozenset({"app.help", "help"})


class FitFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the keys that fit whole, dropping from the right (Help last)."""
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        palette = [key for key in self.query(FooterKey) if key.has_class("-command-palette")]
        room = self.size.width - sum(_width(key) + 1 for key in palette)
        # The order they go in: from the right, Help last.
        drop = sorted(range(len(keys)), key=lambda i: (keys[i].action in KEEP_ACTIONS, -i))
        shown = set(range(len(keys)))
        used = sum(_width(key) for key in keys)
        for i in drop:
            if used <= room:
                break
            shown.discard(i)
            used -= _width(keys[i])
        for i, key in enumerate(keys):
            key.display = i in shown


def _width(key: FooterKey) -> int:
    """Cells the key takes in the row: its text, padding and margins."""
    text = cell_len(key.key_display)
    if key.description:
        text += 1 + cell_len(key.description) + (0 if key.has_class("-compact") else 2)
    return text + key.styles.margin.width + key.styles.padding.width

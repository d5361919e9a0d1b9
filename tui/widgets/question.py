"""Above an answer in the detail pane: the question it answers, and who asked it.

A question is its asker's words; the index hides questions from search unless they are asked
for, so an answer fetches its own (`Quote.reply_to`) by id, on the search thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from nato_browse.index import Hit, NatoBrowseError, Quote
from textual import work
from textual.content import Content
from textual.widgets import Static

from ..citation import who

if TYPE_CHECKING:
    from ..app import NatoBrowseApp

ASKED = "italic $text-warning"


def question_content(question: Quote) -> Content:
    """ "Asked by Reuters:" and the question's words."""
    asker = who(question) if question.named else "a journalist"
    if question.role:
        asker += f" ({question.role})"
    return Content.assemble(
        (f"Asked by {asker}:", ASKED), "\n", (f"“{question.text.strip()}”", "italic")
    )


class QuestionBlock(Static):
    """Empty and hidden unless the shown quote answers a question."""

    DEFAULT_CSS = """
    QuestionBlock {
        height: auto;
        margin-bottom: 1;
        padding-left: 1;
        border-left: outer $warning;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.hit: Hit | None = None
        self.question: Quote | None = None
        self.display = False

    def show(self, hit: Hit | None) -> None:
        if hit is not None and self.hit is not None and hit.quote == self.hit.quote:
            return
        self.hit, self.question = hit, None
        self.update("")
        self.display = False
        if hit is not None and hit.quote.reply_to:
            self._load(hit)

    @work(exclusive=True, group="question", exit_on_error=False)
    async def _load(self, hit: Hit) -> None:
        app = cast("NatoBrowseApp", self.app)
        index = app.index
        if index is None:
            return
        try:
            question = await app.in_search_thread(index.get, hit.quote.reply_to)
        except NatoBrowseError:
            return
        if self.hit is hit and question is not None:
            self.question = question
            self.update(question_content(question))
            self.display = True

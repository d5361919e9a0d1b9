"""`python -m nato_browse.tui.cli`: the same as the `nato-browse` command."""

import sys

from . import main

sys.exit(main())

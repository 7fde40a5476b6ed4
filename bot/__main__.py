"""``python -m bot`` is the ``trimtab`` command."""

import sys

from bot.cli import main

sys.exit(main())

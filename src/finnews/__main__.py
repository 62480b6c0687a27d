"""`python -m finnews`: the `finnews` command, for environments whose scripts folder is not on PATH."""

import sys

from finnews.cli import main

sys.exit(main())

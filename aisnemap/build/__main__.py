"""``python -m aisnemap.build``: build a département's files (see :mod:`.pipeline`)."""

import sys

from aisnemap.build.pipeline import main

sys.exit(main())

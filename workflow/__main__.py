"""``python -m workflow`` — see ``workflow.cli``."""

import sys

from workflow.cli import main

sys.exit(main())

"""``python -m verify.cli``: the same command as ``counterclaim``."""

import sys

from verify.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

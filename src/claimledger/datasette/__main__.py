"""python -m claimledger.datasette LEDGER.db: print Datasette metadata named for that ledger file."""
from __future__ import annotations

import json
import sys

from claimledger.datasette import metadata_for


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m claimledger.datasette LEDGER.db > metadata.json", file=sys.stderr)
        return 2
    json.dump(metadata_for(argv[0]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

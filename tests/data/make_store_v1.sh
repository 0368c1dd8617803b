#!/bin/sh
# How tests/data/store_v1.db was made: the seeds run by the last unversioned engine (commit
# 2931066, schema "version 1": meta.schema_version = 1, PRAGMA user_version 0, no application id),
# then analysts' work of every kind through the CLI. Frozen: never rebuild it with newer code
# (tests/test_migrations.py opens a copy with today's engine and checks every record survives).
#   git worktree add /tmp/v1 2931066 && cd /tmp/v1 && sh /path/to/tests/data/make_store_v1.sh OUT.db
set -eu
DB=$1
cc() { python -m verify.cli "$@" --db "$DB"; }
python -m verify.cli run seeds/ --db "$DB"
cc tag 52 contradiction --analyst ana --note "checked the footage"
cc tag 52 agreement --analyst ben --note "same event, read again"
cc tag 203 contradiction --analyst ana
cc tag 47 neutral --analyst ben --note ""
cc correct 40 --speaker "Christo Grozev (Bellingcat)" --analyst ana
cc correct 6 --side Russia --analyst ben
cc correct 12 --not-a-claim --analyst ana
cc propose "the troop withdrawal from the Ukrainian border has begun" --topic 1 --analyst ana --no-score
cc propose --claim 35 --analyst ben --no-score
cc stance 3 28 supports --analyst ana --note "Moscow's own statement"
cc stance 3 35 refutes --analyst ben
cc unpropose 4 --analyst ana
python - "$DB" <<'PY'
import sys
from verify.session import AnalystSession
s = AnalystSession(sys.argv[1])
s.settle(52, "contradiction", "rita", ("rita",), "settles: footage is from Feb 16")
s.tag(335, "unrelated", "ana", "wrong pairing")
s.undo("ana")  # retracts the tag on 335
s.tag_stance(3, 40, "discusses", "ben", "")
s.undo_stance("ben")
s.close()
PY
python -m verify.cli run seeds/ --db "$DB"  # scores the analysts' propositions
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null

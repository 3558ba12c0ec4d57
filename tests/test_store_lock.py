"""The comparison-store lock: a second writer stops at once, or waits when the folder is a shared cache."""
import threading

import pytest

from fentflow.ensemble.lock import store_lock
from fentflow.errors import InputError


def _hold(folder, taken: threading.Event, release: threading.Event) -> None:
    with store_lock(folder):
        taken.set()
        release.wait(10)


def test_a_second_writer_stops_at_once_or_waits_its_turn(tmp_path):
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(tmp_path, taken, release))
    holder.start()
    assert taken.wait(10)
    with pytest.raises(InputError, match="another fentflow process"):
        with store_lock(tmp_path):
            pass
    threading.Timer(0.2, release.set).start()
    with store_lock(tmp_path, wait=True):      # blocks until the holder lets go, then holds it
        assert not holder.is_alive() or release.is_set()
    holder.join(10)

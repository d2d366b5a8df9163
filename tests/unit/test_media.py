"""A generated download survives other sessions' runs until it is fetched."""

from __future__ import annotations

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from aisnemap.ui import media


def _generated_file(manager: MediaFileManager) -> str:
    deferred = manager.add_deferred(lambda: b"\x89PNG...", "image/png", "carte.png", "1.2.3")
    url = manager.execute_deferred(deferred)
    return url.rsplit("/", 1)[-1].split(".")[0]


def test_a_generated_download_outlives_two_sweeps_then_goes(monkeypatch):
    media.keep_generated_downloads()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    file_id = _generated_file(manager)
    # Two other sessions' runs end before the browser fetches the file.
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert manager.read_file(file_id) is not None
    # Past the grace period, the sweep takes it as Streamlit would.
    monkeypatch.setattr(media, "GRACE_S", -1.0)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert file_id not in manager._file_metadata

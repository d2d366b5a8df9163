"""Generated downloads kept long enough to be fetched, whatever other sessions do.

A deferred download (``st.download_button(data=callable)``: the PNG, the PDF, the fiche…)
is made when the visitor asks, then fetched by the browser from the URL it was given.
Streamlit 1.67 maps that generated file to no session: every script run that ends, in
any session, sweeps the files no session refers to; a downloadable file is marked at
the first sweep and deleted at the second. Under load two runs of other sessions ended
between the answer and the fetch: 3 of 50 protocol-level sessions got a 404 for their
PNG on one replica (``bench/load_protocol.py``, 2026-12-03). Here a downloadable file is
never swept in the ``GRACE_S`` seconds after it was stored; then as before.
"""

from __future__ import annotations

import time

#: How long a stored downloadable file is safe from the sweep (seconds).
GRACE_S = 120.0


def keep_generated_downloads() -> None:
    """Install the grace period on Streamlit's media file manager (once per process)."""
    from streamlit.runtime import media_file_manager as mfm

    manager = mfm.MediaFileManager
    if getattr(manager, "_aisne_grace", False):
        return
    metadata_init = mfm.MediaFileMetadata.__init__
    inactive = manager._get_inactive_file_ids

    def init(self, kind=mfm.MediaFileKind.MEDIA) -> None:
        metadata_init(self, kind)
        self._aisne_stored = time.monotonic()

    def inactive_file_ids(self) -> set[str]:
        now = time.monotonic()
        return {
            file_id
            for file_id in inactive(self)
            if not (
                self._file_metadata[file_id].kind == mfm.MediaFileKind.DOWNLOADABLE
                and now - getattr(self._file_metadata[file_id], "_aisne_stored", 0.0) < GRACE_S
            )
        }

    mfm.MediaFileMetadata.__init__ = init
    manager._get_inactive_file_ids = inactive_file_ids
    manager._aisne_grace = True

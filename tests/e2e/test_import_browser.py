"""Wave-2 import in a real browser: sign in, upload, read the problems, confirm, see the map."""

from __future__ import annotations

import shutil

import pytest

from aisnemap import config
from aisnemap.french import texts
from tests.conftest import FIXTURES
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, wait_for_map
from tests.support.server import StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SECRET = "un secret de test"


@pytest.fixture
def import_server(tmp_path, built_data_dir):
    served = tmp_path / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, served)
    env = {
        "AISNEMAP_STRUCTURES": str(served),
        "AISNEMAP_BACKUP_DIR": str(tmp_path / "b"),
        "AISNEMAP_ADMIN_SECRET": SECRET,
        "AISNEMAP_STATE_DIR": str(tmp_path),
    }
    with StreamlitServer(env=env) as server:
        yield server, served
    assert "Traceback" not in server.log_text()


def _sign_in(page, url: str, secret: str) -> None:
    # As a person would: open the app, then the import page from the navigation menu.
    page.goto(url)
    page.get_by_role("link", name=texts.IMPORT_TITLE).click()
    page.get_by_label(texts.IMPORT_SECRET).fill(secret)
    page.get_by_role("button", name=texts.IMPORT_LOGIN).click()


def test_wrong_secret_then_bad_file_then_good_file(import_server, page_factory):
    server, served = import_server
    before = served.read_bytes()
    page, recorder = page_factory()
    _sign_in(page, server.url, "pas le bon")
    page.get_by_text(texts.IMPORT_REFUSED).wait_for()
    _sign_in(page, server.url, SECRET)
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    upload.set_input_files(str(FIXTURES / "corpus" / "coordonnees_inversees.csv"))
    page.get_by_text(texts.IMPORT_PROBLEMS).wait_for(timeout=60_000)
    assert page.get_by_role("button", name=texts.IMPORT_CONFIRM).count() == 0
    assert served.read_bytes() == before

    upload.set_input_files(str(FIXTURES / "corpus" / "excel_cp1252_point_virgule.csv"))
    confirm = page.get_by_role("button", name=texts.IMPORT_CONFIRM)
    confirm.wait_for(timeout=60_000)
    assert page.get_by_text("Ajoutés (1) : W01").count() == 1
    assert page.get_by_text("Modifiés (0) : —").count() == 1
    wait_for_map(page, sites=1)  # the preview map shows the one new site
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-apercu.png"), full_page=True)
    preview_map = page.locator(MAP_IFRAME)
    preview_map.scroll_into_view_if_needed()
    preview_map.screenshot(path=str(ARTIFACTS / "import-apercu-carte.png"))
    confirm.click()
    page.get_by_text("Import enregistré").wait_for(timeout=60_000)
    assert served.read_bytes() != before

    page.goto(server.url)
    wait_for_map(page, sites=26)
    assert recorder.external() == [] and recorder.errors == []


def _signed_in_with_upload(page, url: str, upload) -> None:
    _sign_in(page, url, SECRET)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_role("button", name=texts.IMPORT_CONFIRM).wait_for(timeout=60_000)


def test_two_officials_confirm_at_once_and_nothing_is_lost(import_server, page_factory, tmp_path):
    """Defect: both saw "Import enregistré" and one import was gone."""
    server, served = import_server
    header = served.read_text(encoding="utf-8").splitlines()[0]
    uploads = []
    for ident in ("V2A", "V2B"):
        path = tmp_path / f"{ident}.csv"
        row = f"{ident},2,,Site {ident},1,,,Commune de Ribemont,,commune,Mairie,,02648,,,,commune,essai,"
        path.write_text(f"{header}\n{row}\n", encoding="utf-8")
        uploads.append(path)
    first, first_recorder = page_factory()
    second, second_recorder = page_factory()
    _signed_in_with_upload(first, server.url, uploads[0])
    _signed_in_with_upload(second, server.url, uploads[1])
    first.get_by_role("button", name=texts.IMPORT_CONFIRM).click()
    first.get_by_text("Import enregistré").wait_for(timeout=60_000)
    second.get_by_role("button", name=texts.IMPORT_CONFIRM).click()
    second.get_by_text("modifié par un autre import").wait_for(timeout=60_000)
    assert second.get_by_text("Import enregistré").count() == 0
    text = served.read_text(encoding="utf-8")
    assert "V2A" in text and "V2B" not in text
    second.get_by_role("button", name=texts.IMPORT_RELOAD).click()
    # The reloaded preview compares against the new file: 27 sites after, not 26.
    second.get_by_text("modifié par un autre import").wait_for(state="detached", timeout=60_000)
    second.locator('[data-testid="stMetricValue"]', has_text="27").wait_for(timeout=60_000)
    second.get_by_role("button", name=texts.IMPORT_CONFIRM).click()
    second.get_by_text("Import enregistré").wait_for(timeout=60_000)
    text = served.read_text(encoding="utf-8")
    assert "V2A" in text and "V2B" in text
    assert first_recorder.errors == [] and second_recorder.errors == []

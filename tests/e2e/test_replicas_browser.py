"""Production mode: two replicas behind Debian's nginx (make serve-cluster), one data folder.

Through nginx: the map, an import signed in and confirmed (upload, websocket and XSRF
cookie on one replica), then shown by each replica asked directly; a replica killed under
an open page: the page goes on through the other one.
"""

from __future__ import annotations

import os
import shutil
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from aisnemap import cluster, config
from aisnemap.french import texts
from tests.conftest import FIXTURES
from tests.e2e.helpers import choose_in_selectbox, wait_for_map
from tests.support.server import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SECRET = "secret de la grappe"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def grappe(tmp_path_factory, built_data_dir):
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx manque : .ci/run installe nginx-light")
        pytest.skip("nginx absent de cette machine (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("grappe")
    served = folder / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, served)
    env = {
        "AISNEMAP_STRUCTURES": str(served),
        "AISNEMAP_BACKUP_DIR": str(folder / "sauvegardes"),
        "AISNEMAP_ADMIN_SECRET": SECRET,
        "AISNEMAP_STATE_DIR": str(folder),
        "AISNEMAP_DATA_DIR": str(built_data_dir),
    }
    run = cluster.Cluster(2, free_port(), folder / "run", env)
    run.start()
    try:
        yield run, served
    finally:
        run.stop()
    for replica in run.members:
        assert "Traceback" not in replica.log.read_text(encoding="utf-8", errors="replace")


def test_the_map_and_an_import_through_nginx_are_served_by_every_replica(grappe, page_factory):
    run, served = grappe
    page, recorder = page_factory()
    page.goto(run.url + "/")
    wait_for_map(page, sites=25)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("aisnemap_replique")  # the affinity nginx gave this browser
    # Sign in and import through nginx: upload, XSRF cookie and websocket on one replica.
    page.get_by_role("link", name=texts.IMPORT_TITLE).click()
    page.get_by_label(texts.IMPORT_SECRET).fill(SECRET)
    page.get_by_role("button", name=texts.IMPORT_LOGIN).click()
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    upload.set_input_files(str(FIXTURES / "corpus" / "excel_cp1252_point_virgule.csv"))
    confirm = page.get_by_role("button", name=texts.IMPORT_CONFIRM)
    confirm.wait_for(timeout=60_000)
    confirm.click()
    page.get_by_text("Import enregistré").wait_for(timeout=60_000)
    assert "W01" in served.read_text(encoding="utf-8")
    # Each replica, asked directly by a new visitor, serves the new file.
    for replica in run.members:
        other, _ = page_factory()
        other.goto(replica.url + "/")
        wait_for_map(other, sites=26)
    assert recorder.external() == [] and recorder.errors == []


def test_a_replica_killed_under_an_open_page_the_page_goes_on_through_the_other(
    grappe, page_factory
):
    """The page's replica dies: its websocket reconnects through nginx to the other one,
    and a filter change still redraws the map (the view is in the URL)."""
    run, _ = grappe
    page, _ = page_factory()
    page.goto(run.url + "/?arrondissement=023")
    wait_for_map(page)  # 7 sites, 8 once the other test's import is in
    # Kill each replica in turn (one of them held this page's session), restart it after.
    for victim, choice in zip(run.members, ("Vervins", "Saint-Quentin"), strict=True):
        victim.process.kill()
        victim.process.wait()
        with urllib.request.urlopen(f"{run.url}/_stcore/health", timeout=5) as answer:
            assert answer.status == 200  # nginx answers through the replica left
        # A choice made while the front end reconnects is lost, as for a person, who
        # chooses again: up to four tries.
        heading = page.get_by_role("heading", name=f"arrondissement de {choice}", exact=False)
        for _ in range(4):
            choose_in_selectbox(page, texts.LABEL_ARRONDISSEMENT, choice)
            try:
                heading.wait_for(timeout=15_000)
                break
            except PlaywrightTimeout:
                continue
        heading.wait_for(timeout=1_000)
        wait_for_map(page)
        assert run.restart_dead() == [victim.port]
        deadline = time.monotonic() + 90
        while not cluster.healthy(victim.url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert cluster.healthy(victim.url)

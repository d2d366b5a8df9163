"""The built national list for the Aisne against the file's own figures (README of
../shared/sources/programme) and the announcement reconciled with it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from aisnemap import config
from aisnemap.domain import programme
from aisnemap.domain import schema as s
from aisnemap.domain.departements import files_for
from tests.support.departements import AISNE

AISNE_FILES = files_for(AISNE.code)


@pytest.fixture(scope="module")
def posts(built_data_dir):
    return programme.load_posts(built_data_dir / AISNE_FILES.posts)


def test_31_structures_and_49_posts(posts):
    assert len(posts) == 31 and posts[programme.P_SIRET].is_unique
    assert int(posts[programme.P_POSTS].sum()) == 49


def test_posts_per_committee(posts):
    per_date = posts.groupby(programme.P_DATE)[programme.P_POSTS].sum()
    assert {d.isoformat(): int(n) for d, n in per_date.items()} == {
        "2021-03-24": 30,
        "2021-04-07": 1,
        "2021-06-09": 4,
        "2021-06-16": 5,
        "2021-07-28": 1,
        "2022-02-17": 2,
        "2022-03-02": 1,
        "2022-04-13": 1,
        "2022-05-11": 1,
        "2022-06-08": 2,
        "2022-11-02": 1,
    }
    assert len(posts.loc[posts[programme.P_DATE] == dt.date(2021, 3, 24)]) == 14


def test_the_national_structure_is_counted_but_not_placed(posts):
    outside = posts.loc[posts[programme.P_PLACE] == programme.PLACE_OUTSIDE]
    assert outside[[programme.P_SIRET, programme.P_POSTS, programme.P_INSEE]].values.tolist() == [
        ["79227291600034", 3, "75119"]
    ]


def test_the_build_report_names_the_rows_outside_the_101_departments(built_data_dir):
    report = (built_data_dir / config.REPORT_FILE).read_text(encoding="utf-8")
    assert report.count("hors des 101 départements (INSEE 97801)") == 3
    assert "31 structures du département gardées (49 postes), 0 ligne(s) ignorée(s)" in report


def test_every_curated_siret_is_in_the_list(structures, posts):
    """16 structures of the announcement carry a SIRET; 14 are in the list of 05/04/2023,
    the two others (L02, L08) only in the one published on 25/06/2021."""
    curated = set(structures.frame[s.SIRET]) - {""}
    assert len(curated) == 16
    assert len(curated & set(posts[programme.P_SIRET])) == 14
    assert curated - set(posts[programme.P_SIRET]) == {"20007178500014", "21020160400019"}


def test_the_story_of_the_announcement(structures, posts, territory, built_data_dir):
    """Announced 18/03/2021 (32) → 24/03/2021 in the list of 25/06/2021 (16 structures,
    32 posts) → 05/04/2023 (two gone) → 13/09/2023 (posts attributed, recruited): the
    June 2021 figures recomputed from the geocoded file itself."""
    import json

    from aisnemap.domain import followup

    raw = json.loads((config.PROGRAMME_DIR / programme.GEOCODED_FILE).read_text())
    first = [
        e
        for e in raw
        if str(e.get("code_département")) == "2"
        and e["date_de_validation_en_comité_de_sélection"] == "2021-03-24"
    ]
    assert (len(first), sum(e["nb_cnfs"] for e in first)) == (16, 32)
    june = pd.read_csv(built_data_dir / AISNE_FILES.june, dtype={"siret": str})
    recruitment = followup.load_recruitment(built_data_dir / AISNE_FILES.recruitment)
    table = programme.reconcile(structures.frame, posts, territory.communes, june, recruitment)
    announced = table.loc[table["sites_annonce"] != ""]
    assert int(announced["conseillers_annonce"].sum()) == 32
    assert int(announced["postes_juin_2021"].sum()) == 32
    gone = announced.loc[announced[programme.R_STATUS] == programme.ABSENT]
    assert gone["siret"].tolist() == ["20007178500014", "21020160400019"]
    assert gone["ecarts"].str.contains("absente de la liste du 05/04/2023").all()
    department = announced.loc[announced["sites_annonce"].str.startswith("D01")].iloc[0]
    assert (department["postes_attribues_2023_09"], department["recrutes_2023_09"]) == (16, 10)


def test_reconciliation_lists_exactly_the_two_absent_structures(structures, posts, territory):
    table = programme.reconcile(structures.frame, posts, territory.communes)
    absent = table.loc[table[programme.R_STATUS] == programme.ABSENT, "sites_annonce"]
    assert absent.tolist() == ["L02", "L08"]
    matched = table.loc[table[programme.R_STATUS] == programme.MATCHED]
    assert len(matched) == 14 and int(matched["postes_liste"].sum()) == 30
    gaps = dict(zip(matched["sites_annonce"], matched["ecarts"], strict=True))
    assert gaps["L05"].startswith("commune : Ribemont (02648) dans l'annonce, Mézières-sur-Oise")
    # L09 is placed at the CC's seat in Craonne, where the list registers it (no gap).
    assert not gaps["L09"].startswith("commune :")
    assert "Commune de Vervins" in gaps["L16"]
    later = table.loc[table[programme.R_STATUS] == programme.LATER]
    assert len(later) == 16 and int(later["postes_liste"].sum()) == 16
    assert (table[programme.R_STATUS] == programme.NO_PLACE).sum() == 1

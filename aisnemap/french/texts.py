"""User-facing French wording, in one place (read by the pages and the browser tests)."""

from __future__ import annotations

import datetime as dt
import re

from aisnemap.domain.followup import (
    ACTIVITY_DATE,
    ACTIVITY_PERIOD,
    RECRUITMENT_DATE,
    RECRUITMENT_LABEL,
)
from aisnemap.domain.fragility import FRANCE_SERVICES_2022_DATE, FRANCE_SERVICES_DATE
from aisnemap.domain.programme import LIST_DATE
from aisnemap.french.formatting import (
    fmt_date,
    fmt_date_long,
    fmt_decimal,
    fmt_eur,
    fmt_int,
    plural,
)

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~^=:&])")


def literal(value: object) -> str:
    """Text from the data shown by a Markdown-rendering widget, as literal text.

    Every Markdown, HTML and math (``$``) character is backslash-escaped, and line breaks
    become spaces, so a name can never become a link, an image, a heading or a formula.
    """
    text = " ".join(str(value).splitlines())
    return _MARKDOWN.sub(r"\\\1", text)


def sentence(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower "COSELEC")."""
    return text[:1].upper() + text[1:]


#: Dates of the national sources, written once (their constants live with their readers).
LIST_DAY = fmt_date(LIST_DATE)
RECRUITMENT_DAY = fmt_date(RECRUITMENT_DATE)
FRANCE_SERVICES_DAY = fmt_date(FRANCE_SERVICES_DATE)


def app_title(department) -> str:
    """« Conseillers numériques dans le Nord » (``department``: departements.Department)."""
    return f"Conseillers numériques {department.in_name}"


def view_heading(department, territory: str | None) -> str:
    """The page heading of a view: « Conseillers numériques dans l'Aisne — arrondissement
    de Vervins » (``territory``: filters.territory_phrase, None for the département)."""
    title = app_title(department)
    return f"{title} — {territory}" if territory else title


def view_summary(department, territory: str | None, reading: str) -> str:
    """What the figures below count: « Arrondissement de Vervins (Aisne) : postes validés
    au 05/04/2023 (liste nationale COSELEC) »."""
    where = (
        f"{sentence(territory)} ({department.name})" if territory else department_whole(department)
    )
    return f"{where} : {reading}"


def department_whole(department) -> str:
    """« Tout le département de l'Aisne »."""
    return f"Tout le département {department.of_name}"


def tab_title(page: str, department, territory: str | None = None) -> str:
    """A browser tab's title: the page, then the territory and the département."""
    where = f"{territory} ({department.name})" if territory else department.name
    return f"{page} — {where} · Conseillers numériques"


def print_creator(department) -> str:
    return f"Tableau de bord des conseillers numériques {department.of_name}"


def release(context) -> str:
    """« préfecture de l'Aisne, communiqué du 18/03/2021 » (``context``: a
    DepartmentContext with an announcement)."""
    return (
        f"préfecture {context.department.of_name}, communiqué du "
        f"{fmt_date(context.announcement.date)}"
    )


def sources_footer(context) -> str:
    """The sources line of every page: the prefecture's release only where it is read."""
    quoted = f"{release(context)}, " if context.announcement else ""
    return (
        "Sources : IGN ADMIN EXPRESS (contours 2018, Licence Ouverte), INSEE COG 2021 via "
        f"Etalab découpage administratif (Licence Ouverte), {quoted}ANCT (liste nationale "
        f"des structures validées en comité de sélection, situation du {LIST_DAY})."
    )


def print_sources(context) -> str:
    """The sources line of a printed page."""
    quoted = f", {release(context)}" if context.announcement else ""
    return f"Sources : IGN ADMIN EXPRESS, INSEE COG 2021, ANCT (liste nationale){quoted}"


def print_definitions(context) -> tuple[str, ...]:
    """The definitions page of a print (the announcement's lines only where it is read)."""
    if context.announcement is None:
        return (*_DEFINITIONS_COMMON, "", *_SOURCES_NATIONAL)
    return (
        *_DEFINITIONS_ANNOUNCEMENT,
        funding_definition(context.announcement),
        *_DEFINITIONS_COMMON,
        "",
        "Sources : IGN ADMIN EXPRESS (contours 2018, Licence Ouverte) ; INSEE COG 2021 via Etalab",
        f"découpage administratif (Licence Ouverte) ; {release(context)} ;",
        "ANCT, liste nationale des structures conseillers numériques validées en COSELEC",
        f"({LIST_DAY}) ; table des sites data/structures.csv (sources ligne à ligne).",
    )


def mediation_source(context, national: bool) -> str:
    """Who publishes the « lieux de médiation numérique » file, and from what."""
    origin = (
        f"ANCT, liste nationale des structures validées ({LIST_DAY})"
        if national or context.announcement is None
        else release(context)
    )
    return f"Tableau de bord des conseillers numériques {context.department.of_name} — {origin}"


def funding_terms(announcement) -> str:
    """The State's funding terms as the release words them (two schemes)."""
    return (
        f"{fmt_eur(announcement.funding_per_post_eur)} par conseiller sur "
        f"{announcement.funding_years} ans, ou {announcement.funding_alternative}"
    )


def funding_definition(announcement) -> str:
    return (
        f"{FIG_FUNDING} : {funding_terms(announcement)} par poste, premier terme appliqué aux "
        f"postes comptés (communiqué du {fmt_date(announcement.date)})."
    )


def building(department) -> str:
    return (
        f"Première ouverture {department.of_name} : construction de ses données (contours, "
        "territoires, postes, fragilité), quelques secondes…"
    )


def built(department, seconds: float) -> str:
    return f"Données {department.of_name} construites en {fmt_decimal(seconds)} s."


def build_failed(department) -> str:
    return (
        f"Les données {department.of_name} n'ont pas pu être construites sur ce serveur. "
        "L'incident est consigné dans le journal du serveur ; les fichiers existants sont "
        "conservés. L'administrateur peut lancer « make data-all »."
    )


def build_busy(department) -> str:
    return (
        f"Les données {department.of_name} ne sont pas encore prêtes, et ce serveur prépare "
        "déjà un autre département (une préparation à la fois). Réessayez dans une minute."
    )


def building_for_another(department) -> str:
    return (
        f"Les données {department.of_name} sont en cours de préparation pour un autre "
        "visiteur : la carte s'affiche dès qu'elles sont prêtes…"
    )


def not_built(department) -> str:
    return (
        f"Les données {department.of_name} ne sont pas construites sur ce serveur. "
        "L'administrateur peut les préparer avec « make data-all »."
    )


BUILD_BUSY_SHORT = "Un autre département est en cours de préparation."
BUILD_FAILED_SHORT = "Préparation impossible."


def no_announcement(department) -> str:
    return (
        f"Pas d'annonce préfectorale saisie {department.in_name} : seule la liste nationale "
        "des postes validés y est lue (page « Carte »)."
    )


def recruitment_day(day: dt.date) -> str:
    """The slider's last stop: « 13/09/2023 (recrutement) »."""
    return f"{fmt_date(day)} (recrutement)"


def before_first_committee(department, first: dt.date) -> str:
    return (
        f"Aucun poste validé à cette date {department.in_name} : son premier comité de "
        f"sélection date du {fmt_date(first)}."
    )


def no_posts(department) -> str:
    return (
        f"Aucun poste de conseiller numérique validé {department.in_name} dans la liste "
        f"nationale (situation du {LIST_DAY}) : la carte montre le département sans site."
    )


APP_SUBTITLE = (
    "Plan de relance — volet inclusion numérique : où sont les {n} conseillers numériques "
    "des {sites} sites de la table des structures (annonce de la préfecture du {day}"
    "{later})"
)
APP_SUBTITLE_LATER = " et vagues suivantes importées"


APP_SUBTITLE_NATIONAL = (
    "Plan de relance — volet inclusion numérique : postes de conseillers numériques validés "
    f"par les comités de sélection (liste nationale ANCT, situation du {LIST_DAY})"
)


APP_SUBTITLE_RECRUITMENT = (
    "Plan de relance — volet inclusion numérique : postes attribués aux structures et "
    f"conseillers recrutés ({RECRUITMENT_LABEL}, situation du {RECRUITMENT_DAY})"
)


def subtitle(
    advisors: int,
    sites: int,
    waves: tuple[int, ...],
    announcement=None,
    national: bool = False,
    recruitment: bool = False,
) -> str:
    """The home subtitle, its numbers read from the data (the announcement's table)."""
    if recruitment:
        return APP_SUBTITLE_RECRUITMENT
    if national or announcement is None:
        return APP_SUBTITLE_NATIONAL
    later = APP_SUBTITLE_LATER if any(w > 1 for w in waves) else ""
    day = fmt_date_long(announcement.date)
    return APP_SUBTITLE.format(n=advisors, sites=sites, day=day, later=later)


def reading_announcement(announcement) -> str:
    """« Annonce du 18 mars 2021 » (the reading of a curated announcement)."""
    return f"Annonce du {fmt_date_long(announcement.date)}"


NAV_MAP = "Carte"
# Page URLs: the names Streamlit infers from pages/N_Name.py (see dashboard.py).
URL_TERRITORIES = "Territoires"
URL_COVERAGE = "Couverture"
URL_FIND = "Trouver_un_lieu"
URL_IMPORT = "Import"

# Sidebar
SIDEBAR_FILTERS = "Filtres"
SIDEBAR_TERRITORY = "Territoire"
LABEL_READING = "Données affichées"
READING_NATIONAL = "Postes validés (liste nationale)"
LABEL_AU = "Situation au"
AU_HELP = (
    "Les postes validés par les comités de sélection (COSELEC) jusqu'à cette date. "
    f"Source : ANCT, liste nationale des structures validées, situation du {LIST_DAY}."
)
LABEL_WAVE = "Vague de sélection"
LABEL_OPERATOR_TYPE = "Type d'opérateur"
LABEL_SERVICE_TYPE = "Type de service"
LABEL_ITINERANT = "Itinérance"
LABEL_STRUCTURE = "Structure (opérateur)"
LABEL_SEARCH = "Rechercher un site"
ALL_WAVES = "Toutes les vagues"
ALL_OPERATOR_TYPES = "Tous les types d'opérateur"
ALL_SERVICE_TYPES = "Tous les types de service"
ALL_STRUCTURES = "Toutes les structures"
SEARCH_PLACEHOLDER = "Nom du site, de la structure ou de la commune"
ITINERANT_ALL = "Tous les sites"
ITINERANT_YES = "Itinérants seulement"
ITINERANT_NO = "Fixes seulement"
ITINERANT_CHOICES = (ITINERANT_ALL, ITINERANT_YES, ITINERANT_NO)
LABEL_ARRONDISSEMENT = "Arrondissement"
LABEL_EPCI = "EPCI (intercommunalité)"
LABEL_COMMUNE = "Commune (tapez un nom)"
ALL_ARRONDISSEMENTS = "Tous les arrondissements"
ALL_EPCI = "Tous les EPCI"
ALL_COMMUNES = "Toutes les communes"
RESET = "Réinitialiser les filtres"
SHARE_HINT = "L'adresse de la page garde les filtres : copiez-la pour partager cette vue."

# Key figures: (label, help text shown on hover)
FIG_ADVISORS = "Postes annoncés"
FIG_ADVISORS_HELP = (
    "Postes de conseillers numériques annoncés pour les sites affichés (des postes, pas des "
    "conseillers recrutés : voir la lecture « recrutement »). Sur tout le département, chaque "
    "groupe de postes (celui du Conseil départemental par exemple) est compté une fois ; sur "
    "un territoire plus petit, seuls les postes des structures qui y sont implantées sont "
    "comptés (le groupe départemental sert tout le département, sa répartition entre sites "
    "n'est pas publiée). Source : communiqué de la préfecture du {day}."
)
FIG_SITES = "Sites"
FIG_SITES_HELP = "Lieux d'accueil affichés (structures lauréates et sites du Département)."
FIG_COMMUNES = "Communes avec un site"
FIG_COMMUNES_HELP = "Communes (COG 2021) où se trouve au moins un site affiché."
FIG_POSTS = "Postes validés"
FIG_POSTS_HELP = (
    "Postes de conseillers numériques validés par les comités de sélection (COSELEC) "
    "jusqu'à la date choisie. Sur tout le département, les postes d'une structure sans lieu "
    "publié dans le département sont comptés (et nommés sous les chiffres) ; sur un "
    "territoire plus petit, seuls ceux des structures qui y sont implantées. Source : ANCT, "
    f"liste nationale, situation du {LIST_DAY}."
)
FIG_ATTRIBUTED = "Postes attribués"
FIG_ATTRIBUTED_HELP = (
    "Postes de conseillers numériques attribués aux structures comptées, situation du "
    f"{RECRUITMENT_DAY} (ANCT, suivi du recrutement). Un poste attribué n'est pas un "
    "conseiller en poste : voir « Conseillers recrutés »."
)
FIG_RECRUITED = "Conseillers recrutés"
FIG_RECRUITED_HELP = (
    f"Recrutements déclarés au {RECRUITMENT_DAY} par les structures comptées (ANCT, suivi "
    "du recrutement). Un remplacement après un départ compte comme un recrutement de plus : "
    "ce n'est pas le nombre de conseillers en poste aujourd'hui."
)
FIG_FILLED = "Postes pourvus"
FIG_FILLED_HELP = (
    "Conseillers recrutés rapportés aux postes attribués (peut dépasser 100 % après des "
    "remplacements)."
)
FIG_NO_RECRUIT = "Structures sans recrue"
FIG_NO_RECRUIT_HELP = (
    "Structures comptées (SIRET distincts) ayant des postes attribués et aucun conseiller "
    f"recruté au {RECRUITMENT_DAY}."
)
FIG_PER_ATTRIBUTED = "Habitants par poste attribué"
ACT_USAGERS = "Usagers accompagnés (déclarés)"
ACT_ACCOMPANIMENTS = "Accompagnements (déclarés)"
ACT_PER_10000 = "Usagers pour 10 000 habitants"
ACT_PER_POST = f"Usagers par poste attribué ({RECRUITMENT_DAY})"
ACT_THEME = "Thème le plus déclaré"
ACT_AGE = "Âge"
ACT_SUPPORT = "Accompagnement"
ACT_COLUMNS = ("Rubrique", "Valeur", "Nombre déclaré")
ACT_TOTAL_COLUMNS = ("Activité déclarée", "Nombre")
ACTIVITY_NOTE = (
    "Ce que les conseillers ont déclaré dans leurs comptes rendus d'activité, cumulé de "
    f"{ACTIVITY_PERIOD} (ANCT, export du {fmt_date(ACTIVITY_DATE)}) : des usagers accompagnés "
    "déclarés (dédoublonnés selon la méthode de la source), pas des habitants ; aucun détail "
    "par commune ni par structure n'est publié."
)


def activity_title(department) -> str:
    return f"Activité déclarée des conseillers {department.in_name} ({ACTIVITY_PERIOD})"


FIG_STRUCTURES = "Structures"
FIG_STRUCTURES_HELP = "Structures (SIRET) dont les postes sont comptés."
FIG_PER_POST = "Habitants par poste"
FIG_INVESTMENT = "Investissement État estimé"
FIG_INVESTMENT_HELP = (
    "Somme de l'« investissement financier estimatif total de l'État » de la liste nationale "
    "pour les structures comptées."
)
FIG_POPULATION = "Population du territoire"
FIG_POPULATION_HELP = (
    "Population municipale des communes du territoire sélectionné (INSEE, référentiel "
    "COG 2021, Etalab découpage administratif)."
)
FIG_PER_ADVISOR = "Habitants par poste"
FIG_PER_ADVISOR_HELP = "Population du territoire divisée par le nombre de postes compté."
FIG_FUNDING = "Aide de l'État (termes du communiqué)"
FIG_INVESTMENT_ANNOUNCED = (
    " À comparer aux termes du communiqué du {day} : {terms}, soit {ceiling} pour {n} postes."
)
FIG_FUNDING_HELP = (
    "Le communiqué du {day} finance chaque poste dans la limite de {terms} : ce chiffre "
    "applique le premier terme aux postes comptés ; ce n'est ni un plafond du programme ni "
    "une dépense constatée (la liste nationale estime l'investissement de l'État par "
    "structure : lecture « postes validés »)."
)
POOL_NOTE_ONE = "groupe « {name} » : {n} conseiller{s}"
POOL_NOTE = (
    "Conseillers en groupe au service de tout le département, leur répartition entre sites "
    "n'est pas publiée : {groups}."
)
POOL_NOT_COUNTED = (
    "Territoire partiel : les {n} conseillers en groupe ne sont pas comptés ici ; {k} {sites} "
    "de ces groupes {verb}."
)
UNKNOWN_COUNT_NOTE = (
    "{k} {sites} à effectif non publié : {pronoun} conseillers ne sont pas comptés (jamais "
    "inventés)."
)


def pool_note(groups: dict[str, int], names: dict[str, str] | None = None) -> str:
    """The pool note, each group counted on its own (plain text: pass it through
    :func:`literal` before a Markdown widget)."""
    names = names or {}
    parts = [
        POOL_NOTE_ONE.format(name=names.get(g, g), n=n, s=plural(n, "", "s"))
        for g, n in groups.items()
    ]
    return POOL_NOTE.format(groups=" ; ".join(parts))


def pool_not_counted(n: int, k: int) -> str:
    """Note for a partial territory: the pools are not counted, k of their sites are here."""
    return POOL_NOT_COUNTED.format(
        n=n,
        k=k,
        sites=plural(k, "site", "sites"),
        verb=plural(k, "s'y trouve", "s'y trouvent"),
    )


UNPLACED_NOTE = (
    "{n} {posts} d'une structure nationale sans lieu publié dans le département ({names}) : "
    "{verb} dans le total du département, pas sur la carte."
)
CHART_TITLE = "Postes validés dans le département, cumulés par date de comité"
CHART_NOTE = (
    "Chaque marche est un comité de sélection : le total ne change qu'à ses dates "
    "(liste nationale ANCT). Survolez un point pour sa date et son total."
)


def chart_label(points, au) -> str:
    """The chart's text alternative: its span and its last total."""
    if not points:
        return CHART_TITLE
    first, last = points[0], points[-1]
    return (
        f"{CHART_TITLE} : de {fmt_date_long(first[0])} ({fmt_int(first[1])} postes) "
        f"au {fmt_date_long(au)} ({fmt_int(last[1])} postes, {len(points)} dates de comité)"
    )


def unplaced_note(n: int, names: str) -> str:
    """Note for posts counted in the department with no place in it."""
    return UNPLACED_NOTE.format(
        n=n,
        posts=plural(n, "poste", "postes"),
        names=names,
        verb=plural(n, "compté", "comptés"),
    )


def unknown_count_note(k: int) -> str:
    """Note for sites whose advisor count is not published."""
    return UNKNOWN_COUNT_NOTE.format(
        k=k, sites=plural(k, "site", "sites"), pronoun=plural(k, "ses", "leurs")
    )


POOL_LABEL = "répartition entre sites non publiée"
NO_SITE = "Aucun site ne correspond à ces filtres."

# Map
MAP_TITLE = "Carte des sites"
LAYER_NO_BASEMAP = "Sans fond de carte"
LAYER_OSM = "OpenStreetMap (en ligne)"
LAYER_IGN = "Plan IGN (en ligne)"
LAYER_DEPARTMENT = "Département"
LAYER_ARRONDISSEMENTS = "Arrondissements"
LAYER_EPCI = "EPCI"
LAYER_COMMUNES = "Communes"
LAYER_SITES = "Sites des conseillers"
LAYER_TERRITORY = "Territoire sélectionné"
LAYER_PLACES = "Noms de lieux"
DISTANCE_NOTE = "Distance à vol d'oiseau, pas un temps de trajet."
SUGGESTIONS_NOTE = (
    "Carrés bleus numérotés : communes suggérées par la planification ci-dessous, dans "
    "l'ordre du tableau."
)
LABEL_FRAGILITY_THRESHOLD = "Seuil de fragilité (IFN total)"
FRAGILITY_THRESHOLD_HELP = (
    "Une commune est dite fragile quand son indice total (score de 0 à 10) atteint ce "
    "seuil. La population fragile d'un territoire est celle de ses communes fragiles."
)
FRAGILITY_COVERAGE_TITLE = "Population par distance et par fragilité numérique"
LEAST_COVERED_FRAGILE_TITLE = "Communes fragiles les moins couvertes"
NO_FRAGILE_COMMUNE = "Aucune commune n'atteint ce seuil de fragilité sur ce territoire."
IFN_TOTAL_COLUMN = "IFN total (0 à 10)"
FS_WITHOUT_ADVISOR_TITLE = "France Services sans conseiller à proximité"
LABEL_FS_RADIUS = "Distance (km) au site de conseiller le plus proche, au moins"
FS_WITHOUT_ADVISOR_NOTE = (
    "{where} : {n} France Services sur {total} (liste ANCT du "
    + FRANCE_SERVICES_DAY
    + ") sont à {km} ou plus, à vol "
    "d'oiseau, du site de conseiller le plus proche parmi ceux affichés."
)
FS_COLUMNS = {
    "nom": "France Services",
    "commune": "Commune",
    "code_insee": "Code INSEE",
    "itinerant": "Itinérant",
    "distance_km": "Distance au site le plus proche (km)",
}
LABEL_OBJECTIVE = "Objectif de la planification"
OBJECTIVES = {
    "population": "Population à moins de 10 km",
    "fragile": "Population fragile à moins de 10 km",
}
OBJECTIVE_HELP = (
    "Population : chaque habitant compte autant. Population fragile : chaque habitant compte "
    "selon la fragilité numérique de sa commune (indice de La Mednum, de 0 à 10) ; une "
    "commune plus petite mais plus fragile peut ainsi passer devant."
)
LABEL_COLOUR_BY = "Colorer la carte selon"
LAYER_FRAGILITY = "Fragilité numérique (IFN)"
LAYER_FRANCE_SERVICES = f"France Services (liste ANCT du {FRANCE_SERVICES_DAY})"
LABEL_FRAGILITY = "Fragilité numérique (IFN, La Mednum)"
FRAGILITY_NONE = "Aucune"
LABEL_FRANCE_SERVICES = f"France Services (ANCT, {FRANCE_SERVICES_DAY})"
IFN_CAPTION = (
    "Fragilité numérique : Indice de fragilité numérique (IFN) de La Mednum "
    "(fragilite-numerique.fr, version d'août 2023), par commune. Ce sont des scores de 0 à 10 "
    "(10 = le plus fragile), pas des taux : absence de très haut débit, absence de 4G, "
    "pauvreté, part des plus de 65 ans, part des sans-diplôme de 15 ans et plus, et leur "
    "moyenne (indice total). Survolez une commune pour ses six scores."
)
IFN_LEGEND_NOTE = "Scores de 0 à 10 (La Mednum, 2023), pas des taux."
LABEL_FS_EDITION = "France Services (ANCT)"
FS_EDITIONS = {
    "": "Aucune",
    "2024": f"Liste du {FRANCE_SERVICES_DAY} (actuelle)",
    "2022": f"Liste du {fmt_date(FRANCE_SERVICES_2022_DATE)} (plus ancienne)",
}


def fs_caption(edition: str, n: int, itinerant: int, antennas: int) -> str:
    """What the France Services layer shows, and from which list."""
    day = FRANCE_SERVICES_DAY if edition == "2024" else fmt_date(FRANCE_SERVICES_2022_DATE)
    extra = f", {antennas} antennes" if antennas else ""
    return (
        f"France Services : liste ANCT du {day} ({n} lieux dans le département, dont "
        f"{itinerant} itinérants{extra} ; carré pointillé = itinérant ; cliquez un carré pour "
        "ses horaires et contacts)."
    )


FS_UNAVAILABLE = "Liste France Services non construite : relancez la construction des données."
IFN_UNAVAILABLE = "Indice de fragilité non construit : relancez la construction des données."
MEDIATION_EXPORT = "Lieux de médiation numérique (CSV, standard national 1.0.2)"
MEDIATION_SKIPPED = (
    "Export « lieux de médiation numérique » : {n} site(s) non exporté(s), une valeur "
    "obligatoire du standard étant inconnue (jamais inventée) : {details}"
)


FS_POPUP_FIELDS = (
    ("type", "Type"),
    ("format", "Format"),
    ("adresse", "Adresse"),
    ("h_lundi", "Lundi"),
    ("h_mardi", "Mardi"),
    ("h_mercredi", "Mercredi"),
    ("h_jeudi", "Jeudi"),
    ("h_vendredi", "Vendredi"),
    ("h_samedi", "Samedi"),
    ("telephone", "Téléphone"),
    ("courriel", "Courriel"),
    ("prise_rdv", "Prise de rendez-vous"),
)


def fs_label(name: object, labelled: object, itinerant: bool) -> str:
    """What a France Services marker says: name, label date, itinerancy."""
    date = str(labelled or "").replace("Espace labellisé", "labellisé le").strip()
    parts = [f"France Services : {name}"]
    if date and date.lower() != "nan":
        parts.append(date)
    parts.append("itinérant" if itinerant else "fixe")
    return " — ".join(parts)


LAYER_SUGGESTIONS = "Communes suggérées (planification)"
SUGGESTION_MARKER = "Suggestion {rank} : {name} (+{gain} habitants à moins de 10 km)"
CANDIDATES_PLACEHOLDER = "Choisissez une ou plusieurs communes"
LEGEND_TITLE = "Type de service"
LEGEND_SIZE = "Taille : nombre de conseillers"
LEGEND_ITINERANT = "Contour pointillé : itinérant"
LEGEND_POOL = "Cercle creux : site du groupe départemental (répartition non publiée)"
LEGEND_CENTROID = "Teinte claire : placé au centre de la commune (adresse non localisée)"
LEGEND_GROUP = "Disque blanc numéroté : sites proches regroupés (cliquez pour les écarter)"
MAP_HELP = (
    "Survolez un site pour son nom, cliquez pour sa fiche ; un disque numéroté regroupe des "
    "sites proches : cliquez dessus pour les écarter. Au clavier : Tab atteint chaque site ou "
    "groupe, Entrée ouvre, Échap ferme. Le fond de carte en ligne est facultatif : la carte "
    "se lit sans."
)
MAP_FRAME_TITLE = "Carte interactive des sites des conseillers numériques"
SKIP_TO_TABLE = "Aller au tableau des sites"
DEFINITIONS_TITLE = "Définition de chaque chiffre"
TABLE_ANCHOR = "tableau-des-sites"
#: Texts of the map's controls (see static/aisnemap/carte.js).
MAP_UI = {
    "cadre": MAP_FRAME_TITLE,
    "carte": "Carte : communes, territoires et sites des conseillers",
    "zoomPlus": "Zoom avant",
    "zoomMoins": "Zoom arrière",
    "fermer": "Fermer la fiche",
    "couches": "Couches de la carte",
    "sites": "sites",
    "groupeAide": "Entrée pour les afficher",
}


def site_accessible_name(site: object, commune: object) -> str:
    """What a screen reader says of a site marker: « site, commune »."""
    site, commune = str(site or "").strip(), str(commune or "").strip()
    return f"{site}, {commune}" if commune else site


# Exports
PRINT_TABLE_TITLE = "Sites affichés"
PRINT_DEFINITIONS_TITLE = "Définitions et sources"
_DEFINITIONS_ANNOUNCEMENT = (
    "Postes annoncés : nombre propre de chaque site affiché, plus chaque groupe compté une fois",
    "sur tout le département (le groupe du Conseil départemental : 16, répartition entre sites",
    "non publiée). Sur un territoire plus petit, seuls les postes des structures qui y sont",
    "implantées ; un site à effectif « non publié » ne compte pas (jamais inventé).",
)
_DEFINITIONS_COMMON = (
    "Postes validés (lecture « liste nationale ») : postes validés par les comités de sélection",
    "jusqu'à la date de situation ; une structure nationale sans lieu dans le département est",
    "comptée sur le département entier et nommée.",
    "Population : population municipale des communes du territoire (INSEE, COG 2021).",
    "Habitants par poste : population du territoire divisée par les postes comptés.",
    f"Investissement État estimé : colonne de la liste nationale ANCT (situation du {LIST_DAY}).",
    "Noms de lieux : préfecture et sous-préfectures (Etalab, chef-lieu), commune la plus",
    "peuplée de chaque EPCI, communes avec un site ; dans un territoire, ses plus grandes",
    "communes.",
)
_SOURCES_NATIONAL = (
    "Sources : IGN ADMIN EXPRESS (contours 2018, Licence Ouverte) ; INSEE COG 2021 via Etalab",
    "découpage administratif (Licence Ouverte) ; ANCT, liste nationale des structures",
    f"conseillers numériques validées en COSELEC ({LIST_DAY}).",
)
EXPORT_TITLE = "Exporter cette vue"
EXPORT_MENU_NOTE = "Chaque fichier reprend les filtres, la lecture et le territoire affichés."
EXPORT_PNG = "Carte en image PNG (diapositive)"
EXPORT_PDF = "Carte en PDF A4 paysage"
EXPORT_HTML = "Carte interactive HTML (hors ligne)"
EXPORT_SHEET = "Fiche territoire (PDF)"
SHEET_PICK = "Fiche territoire de"
EXPORT_FAILED = (
    "Échec de l'export « {what} » : l'erreur a été consignée dans le journal du serveur. "
    "Réessayez ou signalez-la à l'administrateur."
)
EXPORT_CSV = "Sites en tableau CSV (Excel)"
EXPORT_XLSX = "Sites en tableau XLSX"
#: The downloads under a table (the same rows, every column).
TABLE_CSV = "Ce tableau en CSV (Excel)"
TABLE_XLSX = "Ce tableau en XLSX"
EXPORT_GEOJSON = "Sites en GeoJSON (SIG)"
EXPORT_HELP = (
    "L'image et le PDF reprennent les filtres, la lecture et le territoire affichés, avec "
    "noms de lieux, chiffres clés, légende de ce qui est dessiné, échelle, flèche du nord, "
    "sources et date ; le PDF ajoute la liste des sites et les définitions. La fiche "
    "territoire (A4 portrait) ajoute la population par distance au site le plus proche. "
    "Les tableaux ont les mêmes lignes que la table ci-dessous."
)

# Popup field labels
POPUP_FIELDS = (
    ("laureat", "Lauréat"),
    ("site", "Site"),
    ("operateur", "Opérateur"),
    ("type_service", "Type de service"),
    ("conseillers_affiche", "Postes"),
    ("vague", "Vague ou comité"),
    ("commune", "Commune"),
    ("epci_nom", "EPCI"),
    ("adresse", "Adresse"),
    ("precision_affiche", "Localisation"),
    ("confiance", "Confiance"),
    ("source", "Source"),
)

GLOSSARY_TITLE = "Glossaire : ce que compte chaque mot, et d'après quelle source"
GLOSSARY = (
    (
        "Poste annoncé",
        "poste de conseiller numérique annoncé par une préfecture pour une structure lauréate "
        "(lecture « annonce », là où une annonce préfectorale a été saisie).",
    ),
    (
        "Poste validé",
        "poste accordé à une structure par un comité de sélection (COSELEC) de l'ANCT, à sa "
        f"date ; liste nationale des structures validées (situation du {LIST_DAY}, et telle "
        "que publiée le 25/06/2021).",
    ),
    (
        "Poste attribué",
        "poste financé attribué à une structure après sa validation ; suivi du recrutement de "
        f"l'ANCT (situation du {RECRUITMENT_DAY}).",
    ),
    (
        "Conseiller recruté",
        "recrutement déclaré sur un poste attribué ; un remplacement compte à nouveau, ce n'est "
        f"pas un conseiller en poste aujourd'hui (même source, {RECRUITMENT_DAY}).",
    ),
    (
        "Conseiller formé",
        f"conseiller recruté ayant achevé sa formation (même source, {RECRUITMENT_DAY}).",
    ),
    (
        "Usager accompagné (déclaré)",
        "personne aidée selon les comptes rendus d'activité des conseillers, cumulés de "
        f"{ACTIVITY_PERIOD} (ANCT, export du {fmt_date(ACTIVITY_DATE)}) ; pas un habitant.",
    ),
    (
        "Investissement État estimé",
        "estimation par l'ANCT de l'investissement de l'État pour une structure (colonne de la "
        f"liste nationale du {LIST_DAY}) ; pas une dépense constatée.",
    ),
    (
        "IFN",
        "Indice de fragilité numérique de La Mednum (2023) : cinq scores de 0 à 10 par commune "
        "et leur moyenne ; des scores, pas des taux.",
    ),
    (
        "France Services",
        f"lieux labellisés de l'ANCT (liste du {FRANCE_SERVICES_DAY} ; celle du "
        f"{fmt_date(FRANCE_SERVICES_2022_DATE)} reste consultable) ; une antenne dépend d'un "
        "lieu principal.",
    ),
    (
        "Localisation",
        "« à l'adresse » : point géocodé ou relevé ; « au centre de la commune » : aucune "
        "adresse sûre, le site est placé au point représentatif de sa commune.",
    ),
)

# Table
TABLE_TITLE = "Sites affichés"
TABLE_SEARCH = "Rechercher dans le tableau"
TABLE_SEARCH_HINT = "Un nom, une commune, un type… (accents et majuscules ignorés)"
TABLE_SORT = "Trier par"
TABLE_SORT_NONE = "Ordre d'origine"
TABLE_ORDER = "Ordre"
TABLE_ORDERS = ("croissant", "décroissant")
TABLE_ALL_COLUMNS = "Toutes les colonnes (adresse, source…)"
TABLE_DETAILS = "Toutes les informations d'une ligne"
TABLE_DETAILS_NONE = "Choisissez une ligne"
TABLE_FIELD = "Information"
TABLE_VALUE = "Valeur"


def table_count(found: int, total: int) -> str:
    """« 5 lignes sur 25 »."""
    lines = f"{fmt_int(found)} {plural(found, 'ligne', 'lignes')}"
    return lines if found == total else f"{lines} sur {fmt_int(total)}"


TABLE_COLUMNS = {
    "id": "Id",
    "laureat": "Lauréat",
    "site": "Site",
    "conseillers_affiche": "Conseillers",
    "type_service": "Type de service",
    "operateur": "Opérateur",
    "type_operateur": "Type d'opérateur",
    "itinerant_affiche": "Itinérant",
    "vague": "Vague",
    "commune": "Commune",
    "code_insee": "Code INSEE",
    "epci_nom": "EPCI",
    "arrondissement_nom": "Arrondissement",
    "adresse": "Adresse",
    "precision_affiche": "Localisation",
    "source": "Source",
    "confiance": "Confiance",
}
#: The columns of the sites table shown at first (the others on request or per row).
TABLE_MAIN_COLUMNS = ["Id", "Site", "Commune", "Type de service", "Conseillers", "Vague"]
PRECISION_ADDRESS = "à l'adresse"
PRECISION_COMMUNE = "au centre de la commune (adresse non localisée)"
YES = "oui"
NO = "non"
NOT_GIVEN = "non renseigné"

# Errors
PAGE_ERROR = (
    "Une erreur inattendue empêche d'afficher cette partie de la page. Elle a été consignée "
    "dans le journal du serveur ; les données n'ont pas été modifiées."
)


DATA_UNREADABLE = (
    "Les données de ce département ne peuvent pas être lues. L'incident a été consigné dans "
    "le journal du serveur ; l'administrateur doit relancer la construction des données "
    "(« make data »)."
)
STRUCTURES_INVALID = (
    "Le fichier des structures contient des erreurs : les sites ne peuvent pas être "
    "affichés tant qu'elles ne sont pas corrigées."
)

# Page "Territoires"
TERRITORIES_TITLE = "Territoires"
CHORO_POOL_NOTE = (
    "Mauve : le territoire n'a que des sites du groupe départemental ; des conseillers y "
    "travaillent, en nombre non publié (jamais « aucun conseiller »)."
)
TERRITORIES_INTRO = (
    "Par arrondissement ou par EPCI : communes, population, sites et conseillers implantés, "
    "habitants par conseiller. Les conseillers en groupe (Conseil départemental) ne sont attribués "
    "à aucun territoire (répartition non publiée) : ils figurent sur une ligne à part. Les "
    "filtres de vague, d'opérateur, de service et d'itinérance s'appliquent ; le territoire "
    "choisi dans le panneau latéral est entouré sur la carte."
)
LABEL_LEVEL = "Niveau"
LEVEL_LABELS = {"arrondissement": "Arrondissements", "epci": "EPCI"}
CHORO_LAYER = "Habitants par poste"
CHORO_LEGEND = "Habitants par poste implanté"

# Page "Couverture"
COVERAGE_TITLE = "Couverture"
FIND_TITLE = "Trouver un lieu près de chez moi"
FIND_NAV = "Trouver un lieu"
FIND_INTRO = (
    "Tapez le nom de votre commune (accents et majuscules sans importance) : la page donne "
    "les sites de conseillers numériques et les France Services les plus proches, la distance "
    "à vol d'oiseau depuis le point représentatif de la commune (ce n'est pas un trajet) et "
    "ce que leurs sources publient : adresse, horaires, téléphone, courriel, rendez-vous."
)
FIND_TYPED = "Votre commune (nom ou code INSEE)"
FIND_TYPED_HINT = "Par exemple : hirson, chateau-thierry, 02381"
FIND_CHOICE = "Commune"
FIND_NONE = "Aucune commune du département ne correspond à « {typed} »."
FIND_SITES_TITLE = "Sites de conseillers numériques les plus proches"
FIND_FS_TITLE = "France Services les plus proches"
FIND_LINK = "Lien vers cette réponse (à copier) :"
FIND_NO_FS = "La liste des France Services n'est pas construite pour ce département."
FIND_MAP_NOTE = (
    "Cercle blanc : la commune choisie ; tirets : la ligne droite mesurée jusqu'à chaque lieu."
)
LAYER_ROUTES = "Distances à vol d'oiseau"
FIND_SITE_COLUMNS = {
    "distance": "Distance (vol d'oiseau)",
    "site": "Site",
    "commune": "Commune",
    "type_service": "Type de service",
    "adresse": "Adresse",
    "source": "Source",
}
FIND_FS_COLUMNS = {
    "distance": "Distance (vol d'oiseau)",
    "nom": "France Services",
    "commune": "Commune",
    "adresse": "Adresse",
    "horaires": "Horaires",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "prise_rdv": "Rendez-vous",
}
COVERAGE_INTRO = (
    "Distance à vol d'oiseau (en Lambert-93) entre chaque commune — son point représentatif, "
    "toujours situé dans la commune — et le site affiché le plus proche. Ce n'est pas un "
    "temps de trajet. Les sites retenus suivent les filtres de vague, d'opérateur, de service "
    "et d'itinérance, sur tout le département (un site voisin sert aussi au-delà des limites "
    "d'un territoire) ; les communes sont celles du territoire choisi."
)
FIG_WITHIN_10 = "Population à moins de 10 km"
FIG_WITHIN_10_HELP = (
    "Population des communes dont le point représentatif est à moins de 10 km d'un site."
)
FIG_FARTHEST = "Commune la plus éloignée"
BANDS_TITLE = "Population par tranche de distance"
LEAST_COVERED_TITLE = "Communes les moins couvertes"
DISTANCE_LEGEND = "Distance au site le plus proche"
PLANNER_TITLE = "Préparer la vague 2"
PLANNER_INTRO = (
    "Ajoutez des communes candidates : le tableau montre combien d'habitants se "
    "rapprocheraient d'un site. Les suggestions numérotées sur la carte sont les communes "
    "qui, l'une après l'autre, ajoutent le plus d'habitants à moins de 10 km d'un site, en "
    "tenant compte des sites existants et des candidates que vous avez choisies."
)
LABEL_CANDIDATES = "Communes candidates"
LABEL_SUGGEST_N = "Nombre de sites à suggérer"
SUGGEST_NONE = "Aucune commune n'augmente la population couverte à moins de 10 km."
COVERAGE_COLUMNS = {
    "code": "Code INSEE",
    "nom": "Commune",
    "population": "Population",
    "distance_km": "Distance (km)",
    "bande": "Tranche",
    "site_le_plus_proche": "Site le plus proche",
}

# Page "Rapprochement"
RECONCILE_TITLE = "Rapprochement"
URL_RECONCILE = "Rapprochement"
RECONCILE_INTRO = (
    "L'annonce de la préfecture du {day} face à la liste nationale des structures "
    f"validées en comité de sélection (situation du {LIST_DAY}), rapprochées par SIRET, "
    "jamais par le nom : structures retrouvées, annoncées mais absentes de la liste, écarts "
    "de commune ou d'opérateur, et structures des comités suivants."
)


def reconcile_intro(context) -> str:
    """The Rapprochement page's introduction (a département with an announcement)."""
    if context.announcement is None:
        return ""
    return RECONCILE_INTRO.format(day=fmt_date_long(context.announcement.date))


RECONCILE_STATUSES = (
    "rapprochée",
    "annoncée, absente de la liste",
    "validée par un comité ultérieur",
    "sans lieu dans le département",
)
NATIONAL_MISSING = (
    "La liste nationale des postes validés n'est pas construite : lancez « make data » "
    "(ou « python -m aisnemap.build ») avec ../shared/sources/programme/ présent."
)

# Page "Import"
IMPORT_TITLE = "Import vague 2"
IMPORT_INTRO = (
    "Déposez un fichier CSV de sites nouveaux ou mis à jour (mêmes colonnes que "
    "data/structures.csv, ou leurs noms usuels ; export Excel « CSV point-virgule » accepté). "
    "Chaque problème est listé avec sa ligne et sa colonne ; rien n'est enregistré avant votre "
    "confirmation, et le fichier précédent est sauvegardé."
)
# Visitors never learn the name of the setting (the README tells administrators).
IMPORT_CLOSED = "Cette page est fermée : l'import n'est pas ouvert sur ce serveur."
IMPORT_SECRET = "Secret administrateur"
IMPORT_LOGIN = "Entrer"
IMPORT_REFUSED = "Accès refusé."
IMPORT_WAIT = "Essai refusé : attendez {seconds} s avant un nouvel essai."
IMPORT_LOCKED = (
    "Trop d'essais infructueux : l'accès à l'import est suspendu jusqu'à {until}. "
    "L'administrateur du serveur en est informé."
)
IMPORT_MODE = "Mode d'import"
IMPORT_MODES = {
    "fusion": "Ajouter ou mettre à jour (les autres sites sont conservés)",
    "remplacement": "Remplacer tout le fichier (les sites absents sont retirés)",
}
IMPORT_FILE = "Fichier CSV"
IMPORT_HELP_TITLE = "Colonnes et valeurs admises"
IMPORT_PROBLEMS = "Problèmes à corriger avant import"
IMPORT_WARNINGS = "Avertissements"
IMPORT_NO_CHANGE = "Ce fichier ne change rien aux données actuelles."
IMPORT_CHANGES = "Changements"
IMPORT_ADDED = "Ajoutés"
IMPORT_MODIFIED = "Modifiés"
IMPORT_REMOVED = "Retirés"
IMPORT_FIELD_CHANGES = "Champs modifiés (avant → après)"
IMPORT_FIELD_COLUMNS = {"site": "Site", "colonne": "Colonne", "avant": "Avant", "apres": "Après"}
IMPORT_UNKNOWN_COUNT = "Sites à effectif non publié"
IMPORT_CONFIRM = "Confirmer l'import"
IMPORT_RELOAD = "Recharger l'aperçu"
IMPORT_DONE = "Import enregistré. Sauvegarde du fichier précédent : {backup}"
IMPORT_FAILED = "Échec de l'enregistrement : {error}"
IMPORT_PREVIEW_MAP = "Sites ajoutés ou modifiés"
IMPORT_CURRENT_TITLE = "Fichier actuel et sauvegardes"
IMPORT_DOWNLOAD = "Télécharger le fichier actuel (structures.csv)"
IMPORT_BACKUPS_NONE = "Aucune sauvegarde pour l'instant."
IMPORT_BACKUP_PICK = "Sauvegarde à restaurer"
IMPORT_BACKUP_PREVIEW = "Voir ce que la restauration changerait"
IMPORT_RESTORE_CONFIRM = "Confirmer la restauration"
IMPORT_RESTORED = "Sauvegarde restaurée. Le fichier remplacé est lui-même sauvegardé : {backup}"
IMPORT_BACKUP_OK = "vérifiée"


# Streamlit's own widget texts that no parameter changes, in French (see
# static/aisnemap/interface.js). Exact texts, then patterns (JavaScript regular
# expressions and their replacement).
WIDGET_FRENCH = {
    "scrollLabel": "Tableau défilant horizontalement (flèches gauche et droite)",
    "exact": {
        "Clear all": "Tout effacer",
        "Clear value": "Effacer la valeur",
        "Clear entry": "Effacer la saisie",
        "Choose an option": "Choisissez une option",
        "Choose options": "Choisissez des options",
        "Select...": "Choisissez…",
        "Select all": "Tout sélectionner",
        "No results": "Aucun résultat",
        "No options": "Aucune option",
        "Selected values": "Valeurs choisies",
        "Multiselect options": "Options proposées",
        "Selectbox options": "Options proposées",
        "Drag and drop file here": "Glissez-déposez le fichier ici",
        "Drag and drop a file here": "Glissez-déposez le fichier ici",
        "Drag and drop files here": "Glissez-déposez les fichiers ici",
        "Browse files": "Parcourir",
        "Upload": "Choisir un fichier",
        "Add files": "Ajouter des fichiers",
        "file upload": "envoi de fichier",
        "Error uploading file": "Erreur pendant l'envoi du fichier",
        "Error deleting file": "Erreur pendant la suppression du fichier",
        "Collapse sidebar": "Replier le panneau des filtres",
        "Expand sidebar": "Déplier le panneau des filtres",
        "Sidebar": "Panneau des filtres",
        "App pages": "Pages de l'application",
        "Main menu": "Menu principal",
        "Navigate to home page": "Aller à l'accueil",
        "View less": "Voir moins",
        "Running...": "Calcul en cours…",
        "Stop script": "Arrêter le calcul",
        "Stop": "Arrêter",
        "Close": "Fermer",
        "Open": "Ouvrir",
        "Increment": "Augmenter",
        "Decrement": "Diminuer",
        "Link to heading": "Lien vers ce titre",
        "Connecting": "Connexion",
        "Please wait...": "Veuillez patienter…",
        "Show password text": "Afficher le mot de passe",
        "Hide password text": "Masquer le mot de passe",
        "Theme": "Thème",
        "Copy to clipboard": "Copier",
        "Skip to main content": "Aller au contenu principal",
        "Help": "Aide",
        # The server gone (a restart, a network cut): Streamlit's own dialog.
        "Connection error": "Connexion perdue",
        "Streamlit server is not responding. Are you connected to the internet?": (
            "Le serveur du tableau de bord ne répond pas. La page se reconnectera dès qu'il "
            "sera de nouveau joignable ; vérifiez votre connexion au réseau."
        ),
        "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it "
        "in your terminal:": (
            "Le serveur du tableau de bord est peut-être arrêté : prévenez son administrateur."
        ),
        "Rerun": "Relancer",
        "Show data": "Afficher les données",
        "Download as PNG": "Télécharger en PNG",
        "Fullscreen": "Plein écran",
        "Close fullscreen": "Quitter le plein écran",
        "Search": "Rechercher",
        "Download as CSV": "Télécharger en CSV",
        "Type to search": "Tapez pour rechercher",
    },
    "patterns": [
        [r"^Press Enter to .+$", "Appuyez sur Entrée pour valider"],
        [r"^Press (⌘|Ctrl)\+Enter to .+$", "Ctrl+Entrée pour valider"],
        [r"^(\d+(?:[.,]\d+)?)\s*MB per file$", "$1 Mo au plus par fichier"],
        [r"^(\d+(?:[.,]\d+)?)\s*KB per file$", "$1 ko au plus par fichier"],
        [r"^Remove (.+)$", "Retirer $1"],
        [r"^Help for (.+)$", "Aide : $1"],
        [r"^View (\d+) more$", "Voir $1 de plus"],
        [r"^Select (\d+) matches$", "Choisir les $1 résultats"],
        [r"^Upload (.+)$", "Choisir $1"],
        [
            r"^File must be (\d+)(?:\.0)?\s*MB or smaller\.$",
            "Fichier trop volumineux : $1 Mo au plus.",
        ],
        [r"^(.*) files are not allowed\.$", "Type de fichier refusé ($1) : choisissez un CSV."],
        [r"^File type not allowed\.$", "Type de fichier refusé : choisissez un CSV."],
    ],
}

# Page "France" (national overview)
FRANCE_NAV = "France"
FRANCE_SOURCES = (
    "Sources : IGN ADMIN EXPRESS (contours 2018, Licence Ouverte), INSEE COG 2021 via Etalab "
    "découpage administratif (Licence Ouverte), ANCT (liste nationale des structures validées "
    f"en comité de sélection, situation du {LIST_DAY} ; France Services, {FRANCE_SERVICES_DAY}), "
    "La Mednum (indice de fragilité numérique)."
)
URL_FRANCE = "France"
FRANCE_TITLE = "France : conseillers numériques par département"
FRANCE_INTRO = (
    "Postes de conseillers numériques validés par les comités de sélection jusqu'à la date "
    "choisie, pour 10 000 habitants (population municipale, COG 2021), et indice de "
    "fragilité numérique moyen de chaque département (moyenne des communes pondérée par "
    "leur population, score de 0 à 10). Sources : ANCT, liste nationale (situation du "
    f"{LIST_DAY}) ; La Mednum, IFN ; ANCT, France Services ({FRANCE_SERVICES_DAY})."
)
FRANCE_AU = "Situation au"
FRANCE_AU_HELP = "Dates des comités de sélection, puis la date de situation de la liste."
FRANCE_OPEN_LABEL = "Département à ouvrir"
FRANCE_OPEN = "Ouvrir sa carte"
FRANCE_OPEN_HELP = (
    "Ouvre le tableau de bord du département (carte, territoires, couverture) à la même "
    "date. Un clic sur un département de la carte fait de même."
)
FRANCE_MAP_HELP = (
    "Survolez un département pour lire ses chiffres ; cliquez-le pour ouvrir sa carte. Le "
    "tableau ci-dessous donne les mêmes chiffres."
)
LAYER_FRANCE = "Départements"
FRANCE_TAB = "France : conseillers numériques par département"
FRANCE_LEGEND_TITLE = "Postes pour 10 000 habitants"
FRANCE_INSETS_NOTE = (
    "Guadeloupe, Martinique, Guyane, La Réunion et Mayotte : rapprochées à l'ouest, "
    "chacune à sa propre échelle."
)
FRANCE_TABLE_TITLE = "Tableau des départements"
FRANCE_FIG_POSTS = "Postes validés"
FRANCE_FIG_POSTS_HELP = (
    "Postes validés par les comités de sélection jusqu'à la date choisie dans les 101 "
    "départements, comptés comme sur la carte de chaque département."
)
FRANCE_FIG_RATE = "Postes pour 10 000 habitants"
FRANCE_FIG_NONE = "Départements sans poste"
FRANCE_FIG_IFN = "IFN moyen de la France"
FRANCE_OUTSIDE = (
    "Hors des 101 départements : {n} poste(s) de Saint-Martin (code département « 0 » dans "
    "la liste nationale), non comptés ici."
)
FRANCE_MISSING = (
    "La vue nationale n'est pas construite : lancez « make data » (ou « python -m "
    "aisnemap.build.france ») avec ../shared présent."
)
FRANCE_COLUMNS = {
    "nom": "Département",
    "code": "Code",
    "postes": "Postes validés",
    "population": "Population",
    "pour_10000": "Postes pour 10 000 hab.",
    "ifn_moyen": "IFN moyen (0 à 10)",
    "postes_attribues": f"Postes attribués ({RECRUITMENT_DAY})",
    "conseillers_recrutes": f"Conseillers recrutés ({RECRUITMENT_DAY})",
    "usagers_pour_10000": f"Usagers accompagnés (déclarés, {ACTIVITY_PERIOD}) pour 10 000 hab.",
    "usagers_par_poste": "Usagers accompagnés (déclarés) par poste attribué",
    "france_services": "France Services",
    "communes": "Communes",
}
#: Columns of the France table written with decimals.
FRANCE_DECIMALS = {"pour_10000": 2, "ifn_moyen": 2, "usagers_pour_10000": 0, "usagers_par_poste": 0}


def france_tooltip(name: str, code: str, posts: int, rate: float, ifn: float | None) -> str:
    """What hovering a département says (name, code, posts, rate, mean IFN)."""
    rate_text = fmt_decimal(rate, 2) if rate == rate else "—"
    ifn_text = fmt_decimal(ifn, 1) if ifn is not None and ifn == ifn else "non renseigné"
    return (
        f"{name} ({code}) : {fmt_int(posts)} poste{'s' if posts > 1 else ''}, "
        f"{rate_text} pour 10 000 hab., IFN moyen {ifn_text}"
    )


# --- atlases (aisnemap.render.atlas, the Territoires and France pages) ------------------

#: (plural words, "per" words) of each level an atlas pages through.
ATLAS_LEVELS = {
    "epci": ("EPCI", "par EPCI"),
    "arrondissement": ("arrondissements", "par arrondissement"),
    "departement": ("départements", "par département"),
}
ATLAS_SUMMARY = "Sommaire"
ATLAS_TERRITORY = "Territoire"
ATLAS_DEPARTMENT = "Département"
ATLAS_PAGE = "Page"
ATLAS_POPULATION = "Population"
ATLAS_RATE = "Pour 10 000 hab."
#: Short column heads of an atlas's summary for the figures' long labels.
ATLAS_SHORT = {FIG_POPULATION: ATLAS_POPULATION, FIG_COMMUNES: "Communes avec site"}
ATLAS_FRANCE_TITLE = "Atlas des conseillers numériques — France, par département"
ATLAS_FRANCE_CHART = "Postes validés cumulés, par date de comité de sélection"
FRANCE_CREATOR = "Tableau de bord des conseillers numériques — vue nationale"
ATLAS_SECTION = "Atlas : une fiche par territoire, en un seul PDF"
ATLAS_FRANCE_SECTION = "Atlas de la France : une page par département, en un seul PDF"
ATLAS_LEVEL_LABEL = "Une fiche par"
ATLAS_MAKE = "Préparer l'atlas {per} ({n} fiches)"
ATLAS_FRANCE_MAKE = "Préparer l'atlas de la France ({n} pages de département)"
ATLAS_PROGRESS = "Atlas en préparation : {done} sur {total} — {name}"
ATLAS_READY = "Atlas prêt : {pages} pages, {size}."
ATLAS_DOWNLOAD = "Télécharger l'atlas (PDF)"
ATLAS_FAILED = (
    "L'atlas n'a pas pu être préparé ; les fiches une à une restent disponibles. "
    "L'incident est consigné dans le journal du serveur."
)
ATLAS_HELP = (
    "Une couverture, un sommaire des chiffres clés de chaque territoire, puis la fiche "
    "territoire de chacun (mêmes filtres et même lecture que la vue). Préparé à la demande ; "
    "la page reste utilisable pendant ce temps pour les autres visiteurs."
)


def atlas_title(department, level_words: tuple[str, str]) -> str:
    """« Atlas des conseillers numériques de l'Aisne, par EPCI »."""
    return f"Atlas des conseillers numériques {department.of_name}, {level_words[1]}"


def atlas_count(n: int, level_words: tuple[str, str]) -> str:
    return f"{fmt_int(n)} {level_words[0]}, une page chacun, après le sommaire."


def atlas_france_subtitle(au) -> str:
    return (
        f"Postes validés par les comités de sélection jusqu'au {au:%d/%m/%Y} "
        "(liste nationale des postes validés, ANCT)"
    )


def atlas_france_lines(row) -> list[str]:
    """The figures of a département's page of the France atlas (what each counts)."""

    def number(column: str) -> str:
        value = row.get(column)
        return "—" if value is None or value != value else fmt_int(int(value))

    rate = row.get("pour_10000")
    ifn = row.get("ifn_moyen")
    lines = [
        f"{FRANCE_FIG_POSTS} : {number('postes')}",
        f"{FRANCE_FIG_RATE} : " + ("—" if rate != rate else fmt_decimal(float(rate), 2)),
        f"{FIG_POPULATION} : {number('population')}",
        f"Communes : {number('communes')}",
        "IFN moyen (0 à 10) : " + ("non renseigné" if ifn != ifn else fmt_decimal(float(ifn), 2)),
        f"France Services : {number('france_services')}",
    ]
    if "postes_attribues" in row:
        lines += [
            f"Postes attribués ({RECRUITMENT_DAY}) : {number('postes_attribues')}",
            f"Conseillers recrutés ({RECRUITMENT_DAY}) : {number('conseillers_recrutes')}",
        ]
    return lines

"""The built files named for officials by their role, and what a visitor reads when one
is damaged or missing (no path, no technical detail). Imports nothing from the domain, so
every loader can use it."""

from __future__ import annotations


def file_role(name: str) -> str:
    """What a built file is, in words an official reads (never its path): « les contours
    des communes », « la liste des postes validés »…"""
    stem = name.removesuffix(".geojson").removesuffix(".csv")
    shown = " (dessin de la carte)" if stem.endswith("_affichage") else ""
    roles = (
        ("communes_", "les contours des communes"),
        ("epci_", "les contours des EPCI"),
        ("arrondissements_", "les contours des arrondissements"),
        ("departement_", "le contour du département"),
        ("postes_par_comite", "les postes validés par département et par comité"),
        ("postes_", "la liste des postes validés (comités de sélection)"),
        ("recrutement_", "le suivi des recrutements (septembre 2023)"),
        ("liste_2021_06_", "la liste publiée le 25 juin 2021"),
        ("ifn_", "l'indice de fragilité numérique des communes"),
        ("france_services_2022_", "la liste des France Services de décembre 2022"),
        ("france_services_", "la liste des France Services (août 2024)"),
        ("departements_affichage", "les contours des départements"),
        ("departements", "le tableau des départements"),
        ("activite", "l'activité déclarée des conseillers"),
    )
    for prefix, role in roles:
        if stem.startswith(prefix):
            return role + ("" if prefix.startswith("departements") else shown)
    return "un fichier de données"


def damaged_file(role: str) -> str:
    """A built file that is not what its build wrote (truncated, replaced, unreadable)."""
    return (
        f"Données endommagées : {role} ne correspond plus à sa construction (fichier tronqué, "
        "remplacé ou illisible). Aucun chiffre n'est affiché plutôt qu'un chiffre faux ; "
        "l'administrateur doit relancer la construction des données (« make data »). "
        "Le détail est consigné dans le journal du serveur."
    )


def missing_file(role: str) -> str:
    return (
        f"Données absentes : {role} n'a pas été construit sur ce serveur. L'administrateur "
        "doit lancer la construction des données (« make data »)."
    )

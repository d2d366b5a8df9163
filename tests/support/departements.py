"""The département the tests read most: the one whose announcement is curated."""

from aisnemap.domain.departements import the_announcement

AISNE = the_announcement().department

"""The data build: official sources (IGN contours, Etalab reference, national lists) ->
the git-ignored files under ``data/``. Reads the domain's rules, never Streamlit."""

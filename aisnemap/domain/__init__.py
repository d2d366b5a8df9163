"""The domain: départements, structures and posts, territories, readings, filters, figures,
fragility and coverage. Pure functions of data: no Streamlit, no drawing."""

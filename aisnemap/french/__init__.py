"""The French text: the interface's wording (:mod:`.texts`) and French formatting of
numbers, units, dates and plurals (:mod:`.formatting`)."""

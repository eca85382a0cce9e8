"""Meeting packs: a place's page as a file to circulate (:mod:`ecm.packs.workbook`)."""

"""spec/: YAML in, one merged plan out: models, loading, parsing, merge, validate, deadlines, new specs.

Also what a merged plan prints (numbering, names, dates as text), shared by the Word and Excel rooms.
May import only the base modules (errors, vnformat, workspace, output); no document library.
"""

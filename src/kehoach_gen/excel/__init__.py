"""excel/: the trackers: tracker data, each unit's and the office's workbook, reading returns back.

The only room that imports xlsxwriter or openpyxl; returned files are read as untrusted input.
May import spec and the base modules; never word, followup, build or cli.
"""

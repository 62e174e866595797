"""word/: Word documents: the Kế hoạch renderer, its task table and rules, the decree checker (lint).

The only room that imports docxtpl, python-docx or docxcompose; receives plain data, never specs.
May import spec and the base modules; never excel, followup, build or cli.
"""

"""cli/: the `kehoach` command (Click): options, wording, progress display, exit statuses.

Owns every message a user reads in the terminal; the only room that prints or imports Click and Rich.
May import every room below it: build, followup, word, excel, spec and the base modules.
"""

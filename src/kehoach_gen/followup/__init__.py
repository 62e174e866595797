"""followup/: the plan's year as data: the store of accepted returns and the Báo cáo of a period.

Owns the progress history (never deleted) and what a report states; writes no Word or Excel itself.
May import word, excel, spec and the base modules; never build or cli.
"""

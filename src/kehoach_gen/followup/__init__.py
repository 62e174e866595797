"""followup/: the plan's year as data: the store of accepted returns, the Báo cáo of a period, the mail to units.

Owns the progress history (never deleted), what a report states, what a unit owes, the letters sent to units
and the reading of the mail they send back; writes no Word or Excel itself and sends nothing.
May import word, excel, spec and the base modules; never build or cli.
"""

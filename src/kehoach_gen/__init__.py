"""kehoach_gen: soạn Kế hoạch, phiếu theo dõi và Báo cáo theo Nghị định 30/2020/NĐ-CP.

Rooms, top to bottom (each imports only those below it; checked by import-linter in the tests):
cli/ -> build/ -> followup/ -> word/ | excel/ -> spec/ -> base modules here: errors, vnformat, workspace, output
(over tempfiles).
"""

__version__ = "0.1.0"

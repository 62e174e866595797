"""kehoach_gen: soạn Kế hoạch, phiếu theo dõi và Báo cáo theo Nghị định 30/2020/NĐ-CP."""

__version__ = "0.1.0"

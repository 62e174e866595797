"""The schema of a province's registry (``plan_specs/<tỉnh>/registry.yaml``): its agencies, their units and groups
of units, former names and default signer.

The schema is the documentation (see :mod:`.models`): every field declared once, unknown keys are errors.
"""

from __future__ import annotations

from pydantic import Field

from .dates import Day
from .models import Model, Signer
from .text import Code, Lines, Mailbox, Name, Slug


class Unit(Model):
    """Một đơn vị trực thuộc cơ quan (nhận phiếu theo dõi riêng)."""

    code: Code = Field(description="Mã đơn vị, ví dụ VP.")
    name: Name = Field(description="Tên đơn vị như in trong văn bản, ví dụ Văn phòng Sở.")
    contact: Mailbox | None = Field(None, description=(
        "Địa chỉ thư nhận phiếu theo dõi (kehoach send), ví dụ Chánh Văn phòng <vanphong@stp.soctrang.gov.vn>."))


class UnitGroup(Model):
    """Một nhóm đơn vị dùng chung một mã, ví dụ ALL = mọi phòng, đơn vị."""

    code: Code = Field(description="Mã nhóm, ví dụ ALL.")
    name: Name = Field(description="Cách gọi nhóm trong văn bản, ví dụ các Phòng, đơn vị có liên quan.")
    units: tuple[Code, ...] = Field(min_length=1, description="Mã các đơn vị trong nhóm.")


class FormerName(Model):
    """Tên cũ của cơ quan, dùng cho văn bản ghi ngày đến hết ``until``."""

    until: Day = Field(description="Ngày cuối cùng dùng tên này.")
    name: Name = Field(description="Tên ngắn cũ.")
    full_name: Name = Field(description="Tên đầy đủ cũ.")
    header_lines: Lines = Field(description="Dòng tên cơ quan ban hành cũ (in hoa).")


class AgencyProfile(Model):
    """Hồ sơ một cơ quan trong danh mục của tỉnh."""

    code: Code = Field(description="Mã cơ quan dùng trong lệnh, ví dụ STP.")
    name: Name = Field(description="Tên ngắn, ví dụ Sở Tư pháp.")
    full_name: Name = Field(description="Tên đầy đủ, ví dụ Sở Tư pháp tỉnh Sóc Trăng.")
    superior_lines: Lines = Field(description="Cơ quan chủ quản in ở đầu văn bản, ví dụ UBND TỈNH SÓC TRĂNG.")
    header_lines: Lines = Field((), description="Tên cơ quan ban hành in hoa, có thể nhiều dòng; mặc định là tên ngắn in hoa.")
    symbol: Code = Field(description="Chữ viết tắt tên cơ quan trong số ký hiệu, ví dụ STP.")
    place: Name | None = Field(None, description="Địa danh ghi ngày tháng; mặc định theo tỉnh.")
    units: tuple[Unit, ...] = Field(min_length=1, description="Các đơn vị trực thuộc.")
    unit_groups: tuple[UnitGroup, ...] = Field((), description="Nhóm đơn vị dùng chung một mã (ALL, PHONG …).")
    focal_unit: Code | None = Field(None, description="Đơn vị đầu mối, chủ trì mặc định khi tạo kế hoạch mới.")
    signer: Signer = Field(description="Người ký mặc định.")
    recipients: Lines = Field(description="Nơi nhận mặc định (không kể dòng Lưu).")
    archive: tuple[Name, ...] = Field(description="Đơn vị soạn thảo ghi sau \"Lưu: VT,\".")
    report_recipients: Lines = Field((), description=(
        "Nơi nhận của Báo cáo sau dòng \"- Như trên;\" (nơi ghi ở Kính gửi), ví dụ Giám đốc Sở (b/c)."))
    valid_until: Day | None = Field(None, description="Ngày cơ quan ngừng hoạt động (sáp nhập, đổi tên).")
    successor: Code | None = Field(None, description="Mã cơ quan kế thừa khi đã ngừng hoạt động.")
    former_names: tuple[FormerName, ...] = Field((), description="Các tên cũ theo thời gian.")


class Registry(Model):
    """Danh mục cơ quan của một tỉnh."""

    province: Slug = Field(description="Mã tỉnh, trùng tên thư mục, ví dụ soc-trang.")
    name: Name = Field(description="Tên tỉnh, ví dụ Sóc Trăng.")
    place: Name = Field(description="Địa danh mặc định ghi ngày tháng.")
    sample: bool = Field(False, description="Đánh dấu dữ liệu mẫu.")
    agencies: tuple[AgencyProfile, ...] = Field(min_length=1, description="Các cơ quan.")

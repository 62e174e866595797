"""The three kinds of YAML file (master plan, agency plan spec) and the merged plan.

The registry lives in :mod:`kehoach_gen.spec.agencies`, building blocks (tasks, layout, signer …) in
:mod:`kehoach_gen.spec.models`. Here are the documents as a user writes them and the plan the merge produces.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .deadlines import Deadline
from .models import (
    Align,
    Code,
    ColumnKey,
    DocDate,
    Drop,
    Item,
    Layout,
    Model,
    Opening,
    PlanGroup,
    Section,
    Signer,
    TaskPart,
    UnitRef,
    _fold_parts,
)
from .shapes import LETTERED_HELP, HeaderSpec, LetteredItems
from .text import Ident, Lines, Name, Slug


class ReportingCalendar(Model):
    """Lịch báo cáo của Kế hoạch tỉnh (dùng cho Báo cáo và phiếu theo dõi)."""

    recipient: Name = Field("Văn phòng UBND tỉnh", description="Nơi gửi báo cáo (dòng Kính gửi).")
    cutoff_day: int = Field(14, ge=1, le=28, description=(
        "Số liệu kỳ quý tính từ ngày sau ngày này của tháng trước kỳ đến ngày này của tháng cuối kỳ."))
    quarterly_due_day: int = Field(19, ge=1, le=31, description="Hạn gửi báo cáo quý: trước ngày này của tháng cuối quý.")
    annual_due: DocDate | None = Field(None, description="Hạn gửi báo cáo năm (ngày, tháng).")
    monthly_due_day: int | None = Field(None, ge=1, le=31, description="Hạn báo cáo tháng (nếu tỉnh yêu cầu).")
    cumulative: bool = Field(False, description=(
        "Báo cáo quý, tháng tính số liệu lũy kế từ đầu năm (ghi rõ \"lũy kế từ đầu năm\" trong báo cáo)."))
    six_month: bool = Field(True, description="Có báo cáo 6 tháng.")
    nine_month: bool = Field(False, description="Có báo cáo 9 tháng.")


class MasterTask(Model):
    """Một nhiệm vụ của Kế hoạch tỉnh."""

    id: Ident = Field(description="Mã ổn định, ví dụ cong-bo.quy-trinh-noi-bo.")
    content: Lines = Field(min_length=1, description="Nội dung công việc.")
    results: Lines = Field((), description="Kết quả/sản phẩm.")
    deadline: Deadline | None = Field(None, description="Thời hạn.")
    responsible: Lines = Field((), description="Cơ quan chủ trì theo Kế hoạch tỉnh (chỉ để tham khảo).")
    note: Lines = Field((), description="Ghi chú.")


class MasterGroup(Model):
    """Một nhóm nhiệm vụ của Kế hoạch tỉnh."""

    id: Ident = Field(description="Mã ổn định của nhóm, ví dụ cong-bo.")
    title: Name = Field(description="Tên nhóm.")
    points: Lines = Field((), description="Các ý liệt kê dưới tên nhóm.")
    tasks: tuple[MasterTask, ...] = Field(min_length=1, description="Các nhiệm vụ.")


class MasterPlan(Model):
    """Kế hoạch của UBND tỉnh mà các cơ quan cụ thể hóa."""

    province: Slug = Field(description="Mã tỉnh.")
    year: int = Field(ge=2000, le=2100, description="Năm (năm đầu nếu nhiều năm).")
    end_year: int | None = Field(None, ge=2000, le=2100, description="Năm cuối khi kế hoạch nhiều năm.")
    sample: bool = Field(False, description="Đánh dấu dữ liệu mẫu, không phải văn bản thật.")
    issuer: Name = Field(description="Cơ quan ban hành, ví dụ Ủy ban nhân dân tỉnh Sóc Trăng.")
    symbol: Name = Field(description="Ký hiệu, ví dụ KH-UBND.")
    number: int | None = Field(None, ge=1, le=99999, description="Số văn bản.")
    date: DocDate = Field(description="Ngày ban hành.")
    title: Name = Field(description="Trích yếu, ví dụ thực hiện công tác kiểm soát thủ tục hành chính … năm 2025.")
    agency_title: Lines = Field(description="Trích yếu gợi ý cho kế hoạch của cơ quan (thêm \"tại …\").")
    legal_bases: Lines = Field((), description="Các căn cứ pháp lý gợi ý cho kế hoạch của cơ quan.")
    reporting: ReportingCalendar = Field(ReportingCalendar(), description="Lịch báo cáo.")
    sections: tuple[Section, ...] = Field((), description="Các phần gợi ý (MỤC ĐÍCH, YÊU CẦU …).")
    groups: tuple[MasterGroup, ...] = Field(min_length=1, description="Các nhóm nhiệm vụ.")


class GroupEntry(Model):
    """Trong kế hoạch cơ quan: sửa tên một nhóm của tỉnh, hoặc thêm nhóm mới."""

    id: Ident = Field(description="Mã nhóm của tỉnh, hoặc mã mới.")
    title: Name | None = Field(None, description="Tên nhóm (bắt buộc với nhóm mới).")
    points: Lines | None = Field(None, description="Các ý liệt kê dưới tên nhóm.")
    after: Ident | None = Field(None, description="Đặt nhóm mới sau nhóm này (mặc định: cuối).")
    own_task: bool | None = Field(None, description=(
        "Nhóm là một nhiệm vụ: nhóm có đúng một nhiệm vụ, in dưới tên nhóm không có số con (1.1.)."))
    lettered: LetteredItems | None = Field(None, description=LETTERED_HELP + " Mặc định cho các nhiệm vụ của nhóm.")


class TaskEntry(Model):
    """Trong kế hoạch cơ quan: dùng nhiệm vụ của tỉnh (theo id) và bổ sung, hoặc thêm nhiệm vụ."""

    id: Ident = Field(description="Mã nhiệm vụ của tỉnh, hoặc mã mới cho nhiệm vụ thêm.")
    group: Ident | None = Field(None, description="Nhóm của nhiệm vụ thêm (hoặc để chuyển nhóm).")
    content: Lines | None = Field(None, description="Nội dung công việc (mặc định theo tỉnh).")
    parts: tuple[TaskPart, ...] | None = Field(None, description="Các dòng phân công khi có nhiều.")
    results: Lines | None = Field(None, description="Kết quả/sản phẩm.")
    lead: tuple[UnitRef, ...] | None = Field(None, description="Đơn vị (mã) hoặc người chủ trì.")
    coordinate: tuple[UnitRef, ...] | None = Field(None, description="Đơn vị (mã) hoặc người phối hợp.")
    assignment: Lines | None = Field(None, description="Lời văn cột \"Phân công thực hiện\".")
    lead_text: Lines | None = Field(None, description="Lời văn cột chủ trì.")
    coordinate_text: Lines | None = Field(None, description="Lời văn cột phối hợp.")
    deadline: Deadline | None = Field(None, description="Thời hạn.")
    note: Lines | None = Field(None, description="Ghi chú.")
    items: tuple[Item, ...] | None = Field(
        None, description="Các ý thêm, chỉ in khi trình bày văn xuôi (layout prose; với bảng: ghi vào results).")
    lettered: LetteredItems | None = Field(None, description=LETTERED_HELP)
    align: dict[ColumnKey, Align] | None = Field(None, description=(
        "Căn lề riêng các ô của nhiệm vụ này trong bảng, theo cột, ví dụ {deadline: left}."))


class AgencySpec(Model):
    """Kế hoạch của một cơ quan cho một năm (plan_specs/<tỉnh>/<cơ quan>/<năm>.yaml)."""

    agency: Code = Field(description="Mã cơ quan trong danh mục của tỉnh.")
    year: int = Field(ge=2000, le=2100, description="Năm của kế hoạch.")
    end_year: int | None = Field(None, ge=2000, le=2100, description="Năm cuối khi kế hoạch nhiều năm.")
    number: int | None = Field(None, ge=1, le=99999, description="Số văn bản; để trống khi dự thảo.")
    date: DocDate = Field(description="Ngày ban hành: 2025-01-26, hoặc {month: 1, year: 2025} khi chưa có ngày.")
    title: Lines | None = Field(None, description="Trích yếu (các dòng sau KẾ HOẠCH).")
    opening: Opening | None = Field(None, description="Căn cứ và đoạn mở đầu.")
    sections: tuple[Section, ...] | None = Field(None, description="Các phần của thân văn bản.")
    layout: Layout | None = Field(None, description="Cách trình bày nhiệm vụ.")
    groups: tuple[GroupEntry, ...] = Field((), description="Sửa tên nhóm của tỉnh hoặc thêm nhóm.")
    tasks: tuple[TaskEntry, ...] = Field((), description="Các nhiệm vụ, theo thứ tự in.")
    drop: tuple[Drop, ...] = Field((), description="Nhiệm vụ của tỉnh không thực hiện, kèm lý do.")
    recipients: Lines | None = Field(None, description="Nơi nhận (mặc định theo hồ sơ cơ quan).")
    archive: tuple[Name, ...] | None = Field(None, description="Đơn vị ghi sau \"Lưu: VT,\".")
    signer: Signer | None = Field(None, description="Người ký (mặc định theo hồ sơ cơ quan).")
    body_end: Name = Field("./.", description="Dấu kết thúc phần nội dung.")
    header: HeaderSpec | None = Field(None, description="Khối tiêu đề: độ rộng cột, cỡ chữ, các dòng tên cơ quan.")



class Plan(Model):
    """The merged plan the renderers see (through the context stage)."""

    agency: Code
    year: int
    end_year: int | None = None
    number: int | None = None
    date: DocDate
    title: Lines = Field(min_length=1)
    opening: Opening
    sections: tuple[Section, ...] = Field(min_length=1)
    layout: Layout
    groups: tuple[PlanGroup, ...]
    dropped: tuple[Drop, ...] = ()
    recipients: Lines
    archive: tuple[Name, ...]
    signer: Signer
    body_end: Name = "./."
    header: HeaderSpec | None = None

    @property
    def years(self) -> tuple[int, int]:
        return (self.year, self.end_year or self.year)


def fold_task(value: dict[str, Any]) -> dict[str, Any]:
    """Expose the shorthand folding for the merge stage."""
    return _fold_parts(value)

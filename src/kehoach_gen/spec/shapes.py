"""How real plans print their numbers and lettered items, as data: numbering formats per level,
and the lettered items of a task in prose layout (roles with their printed label, or free text).

A numbering format is a short text with one placeholder: ``{n}`` (1, 2 …), ``{g}`` (the number of
the group above, for "3.1."), ``{R}`` (I, II …), ``{a}`` (a, b, c, d, đ …). "{n}." prints "1.",
"{n})" prints "1)", "{g}.{n}" prints "3.1". Formats are checked when the spec is read.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .text import Lines, Name

PLACEHOLDERS = ("n", "g", "R", "a")


def _format(value: str) -> str:
    """A numbering format: literal text around known placeholders (ValueError in Vietnamese otherwise)."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError:
        raise ValueError(f"định dạng số \"{value}\" không đọc được; ví dụ \"{{n}}.\", \"{{g}}.{{n}}\", \"{{a}})\"") from None
    wrong = [f for f in fields if f not in PLACEHOLDERS]
    if wrong or not fields:
        raise ValueError(f"định dạng số \"{value}\" cần một trong {{n}}, {{g}}, {{R}}, {{a}}"
                         + (f", gặp {{{wrong[0]}}}" if wrong else ""))
    return value


Format = Annotated[str, AfterValidator(_format)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Numbering(_Model):
    """Cách in số thứ tự ở từng cấp (văn xuôi và cột TT của bảng)."""

    group: Format = Field("{n}.", description="Nhóm nhiệm vụ khi trình bày văn xuôi: \"{n}.\" in \"1.\", \"{n})\" in \"1)\".")
    task: Format = Field("{g}.{n}.", description=(
        "Nhiệm vụ khi trình bày văn xuôi: \"{g}.{n}.\" in \"3.1.\", \"{g}.{n}\" in \"3.1\"."))
    item: Format = Field("{a})", description="Các ý của nhiệm vụ: \"{a})\" in \"a)\".")
    table_group: Format = Field("{R}", description="Cột TT của dòng nhóm: \"{R}\" in \"I\", \"{n}.\" in \"1.\".")
    table_task: Format = Field("{n}", description=(
        "Cột TT của nhiệm vụ: \"{n}\" in \"1\", \"{n}.\" in \"1.\", \"{g}.{n}\" in \"1.1\"."))


QUOC_HIEU_MM = 96  # H3 on one line at 13 pt bold
TEXT_WIDTH_MM = 165  # A4 portrait between the margins of P2 (30 + 15 mm)


class HeaderSpec(_Model):
    """Khối tiêu đề (H1–H6): độ rộng hai cột, cỡ chữ và cách xuống dòng tên cơ quan."""

    left_mm: float | None = Field(None, ge=40, le=75, description="Độ rộng cột trái (tên cơ quan, số ký hiệu), mm.")
    right_mm: float | None = Field(None, ge=QUOC_HIEU_MM, le=125, description=(
        "Độ rộng cột phải (Quốc hiệu, Tiêu ngữ, ngày tháng), mm; từ 96 mm để Quốc hiệu nằm trên một dòng."))
    issuer_size: Literal[12, 13] | None = Field(None, description="Cỡ chữ tên cơ quan chủ quản và ban hành (12 hoặc 13).")
    national_size: Literal[12, 13] | None = Field(None, description=(
        "Cỡ chữ Quốc hiệu (12 hoặc 13; mặc định 13); Tiêu ngữ in lớn hơn 1 pt (13 hoặc 14)."))
    issuer_lines: Lines | None = Field(None, description=(
        "Tên cơ quan ban hành in hoa, đúng các dòng như in (mặc định theo danh mục; tên không vừa cột được xuống "
        "dòng sao cho ít dòng nhất, các dòng dài gần bằng nhau)."))

    @model_validator(mode="after")
    def _both_widths(self) -> HeaderSpec:
        if (self.left_mm is None) != (self.right_mm is None):
            raise ValueError("ghi cả left_mm và right_mm (hai cột của khối tiêu đề)")
        if self.left_mm is not None and self.right_mm is not None and self.left_mm + self.right_mm > TEXT_WIDTH_MM:
            raise ValueError(f"hai cột rộng {self.left_mm + self.right_mm:g} mm, quá bề rộng trang "
                             f"({TEXT_WIDTH_MM} mm giữa hai lề)")
        return self


ProseRole = Literal["lead", "coordinate", "deadline", "results", "items"]
ROLE_LABELS = {"lead": "Chủ trì thực hiện", "coordinate": "Phối hợp thực hiện",
               "deadline": "Thời gian thực hiện", "results": "Kết quả, sản phẩm"}
DEFAULT_LETTERED: tuple[ProseRole, ...] = ("lead", "coordinate", "deadline", "results", "items")


def _punctuation(value: str) -> str:
    if value not in (":", ".", ""):
        raise ValueError(f"dấu sau nhãn cần \":\", \".\" hoặc \"\" (không có dấu), gặp \"{value}\"")
    return value


Punctuation = Annotated[str, AfterValidator(_punctuation)]


class ProseItem(_Model):
    """Một ý a), b) … của nhiệm vụ khi trình bày văn xuôi: một vai trò hoặc lời văn riêng."""

    role: ProseRole | None = Field(None, description=(
        "lead, coordinate, deadline, results: in đơn vị, thời hạn, kết quả của nhiệm vụ (vẫn dùng cho phiếu theo dõi); "
        "items: các ý thêm (items) của nhiệm vụ. Bỏ trống khi ý là lời văn riêng (text)."))
    label: Name | None = Field(None, description="Nhãn in sau chữ cái, ví dụ Cơ quan thực hiện (mặc định theo vai trò).")
    text: Lines = Field((), description="Lời văn của ý (khi không có vai trò).")
    punctuation: Punctuation = Field(":", description="Dấu in sau nhãn: \":\", \".\" hoặc \"\" (không có dấu).")
    own_paragraph: bool = Field(False, description="In lời văn thành đoạn riêng dưới nhãn.")

    @model_validator(mode="after")
    def _role_or_text(self) -> ProseItem:
        if self.role is None and not self.text:
            raise ValueError("một ý cần vai trò (role) hoặc lời văn (text)")
        if self.role is not None and self.text:
            raise ValueError("một ý có vai trò (role) lấy lời văn từ nhiệm vụ: bỏ text, hoặc bỏ role")
        if self.role == "items" and (self.label or self.own_paragraph):
            raise ValueError("role: items in các ý thêm với nhãn của chính chúng: bỏ label, own_paragraph")
        return self


class ProsePara(_Model):
    """Một đoạn văn không đánh chữ, in giữa các ý."""

    para: Lines = Field(description="Các đoạn văn.")


def _entry_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "lettered-role"
    if isinstance(value, ProsePara) or (isinstance(value, dict) and "para" in value):
        return "lettered-para"
    return "lettered-item"


LetteredEntry = Annotated[
    Annotated[ProseRole, Tag("lettered-role")] | Annotated[ProsePara, Tag("lettered-para")]
    | Annotated[ProseItem, Tag("lettered-item")],
    Discriminator(_entry_tag, custom_error_type="lettered_type",
                  custom_error_message="cần lead, coordinate, deadline, results, items, {para: …} hoặc {role/text, label}"),
]
LetteredItems = tuple[LetteredEntry, ...]
LETTERED_HELP = ("Các ý a), b) … của nhiệm vụ khi trình bày văn xuôi, theo thứ tự in: vai trò (lead, coordinate, deadline, "
                 "results, items), {role, label, punctuation, own_paragraph}, {text, label} hoặc {para: đoạn văn}.")


def number(fmt: str, n: int, group: str = "") -> str:
    """One number printed in ``fmt`` (see the module docstring)."""
    from .. import vnformat as vn

    return fmt.format(n=n, g=group, R=vn.roman(n) if "{R}" in fmt else "", a=vn.letter(n) if "{a}" in fmt else "")

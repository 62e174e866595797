"""The spec schema's parts: dates, people and signers, the body's structure, the layout, the tasks (the files'
own models are in :mod:`.specs` and, for the registry, :mod:`.agencies`).

The schema is the documentation: every field is declared once with its type, default and a
one-line description; unknown keys are errors (``extra="forbid"``), so a typo such as
``deadine:`` is reported with its file and line instead of being ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .dates import read_date, real_date
from .deadlines import Deadline
from .shapes import LETTERED_HELP, Format, LetteredItems, Numbering
from .text import Code, Ident, Lines, Name


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- dates, people, signer

class DocDate(Model):
    """Ngày ban hành; ngày có thể để trống khi là dự thảo."""

    day: int | None = Field(None, ge=1, le=31, description="Ngày (để trống khi dự thảo).")
    month: int = Field(ge=1, le=12, description="Tháng.")
    year: int = Field(ge=2000, le=2100, description="Năm.")

    @model_validator(mode="before")
    @classmethod
    def _from_date(cls, value: Any) -> Any:
        value = read_date(value) if isinstance(value, str | dt.date) else value  # "24/01/2025" as clerks write it
        if isinstance(value, dt.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        return value

    @model_validator(mode="after")
    def _real_day(self) -> DocDate:
        if self.day is not None:
            real_date(self.year, self.month, self.day)  # ValueError names the impossible date, in Vietnamese
        return self

    def as_date(self) -> dt.date:
        """The date, using the first of the month for a draft without a day."""
        return dt.date(self.year, self.month, self.day or 1)


class PersonRef(Model):
    """Một cán bộ được phân công đích danh (in là "Đ/c …")."""

    person: Name = Field(description="Họ tên, ví dụ Trần Thế Vũ.")
    unit: Code | None = Field(None, description="Mã đơn vị của người này (nếu có).")


UnitRef = Annotated[Code | PersonRef, Field(union_mode="left_to_right")]


class Authority(Model):
    """Một dòng thẩm quyền ký: KT./TM./Q./TL./TUQ. + chức danh của người đứng đầu."""

    prefix: Literal["KT.", "TM.", "Q.", "TL.", "TUQ."] = Field(description="Thẩm quyền ký.")
    of: Name = Field(description="Chức danh/tập thể được ký thay, ví dụ GIÁM ĐỐC.")


class Signer(Model):
    """Người ký: các dòng thẩm quyền, chức vụ và họ tên."""

    authority: tuple[Authority, ...] = Field((), description="Các dòng KT./TM./… theo thứ tự in.")
    title: Name = Field(description="Chức vụ người ký, ví dụ PHÓ GIÁM ĐỐC.")
    name: Name = Field(description="Họ và tên người ký (không ghi học hàm, học vị).")


# ---------------------------------------------------------------- body structure

def _block_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "para"
    for key in ("heading", "numbered", "lettered"):
        if (isinstance(value, dict) and key in value) or hasattr(value, key):
            return key
    return None


class Heading(Model):
    """Mục "1. Mục đích": tiêu đề in đậm, đánh số tự động, có các đoạn con."""

    heading: Name = Field(description="Tiêu đề mục (không ghi số).")
    items: tuple[Block, ...] = Field((), description="Nội dung của mục.")


class Numbered(Model):
    """Đoạn đánh số "1. …" không in đậm, có thể có các ý a), b)…"""

    numbered: Name = Field(description="Nội dung đoạn (không ghi số).")
    items: tuple[Block, ...] = Field((), description="Các ý con.")


class Lettered(Model):
    """Ý "a) …" theo thứ tự chữ cái tiếng Việt."""

    lettered: Name = Field(description="Nội dung ý (không ghi chữ cái).")


Block = Annotated[
    Annotated[Name, Tag("para")] | Annotated[Heading, Tag("heading")]
    | Annotated[Numbered, Tag("numbered")] | Annotated[Lettered, Tag("lettered")],
    Discriminator(_block_tag, custom_error_type="block_type",
                  custom_error_message="cần một đoạn văn hoặc heading/numbered/lettered"),
]


class Section(Model):
    """Phần La Mã của thân văn bản: I. MỤC ĐÍCH, YÊU CẦU …"""

    title: Name = Field(description="Tiêu đề phần (không ghi số La Mã; được in hoa).")
    items: tuple[Block, ...] = Field((), description="Nội dung của phần.")
    tasks: bool = Field(False, description="Đặt bảng/danh sách nhiệm vụ vào phần này.")
    number_format: Format = Field("{n}.", description="Số của các mục heading/numbered: \"{n}.\" in \"1.\", \"{n})\" in \"1)\".")
    letter_format: Format = Field("{a})", description="Chữ của các ý lettered: \"{a})\" in \"a)\".")


class Opening(Model):
    """Phần mở đầu: các dòng căn cứ (in nghiêng) và/hoặc đoạn "Thực hiện …"."""

    bases: Lines = Field((), description="Các dòng \"Căn cứ …;\".")
    intro: Lines = Field((), description="Các đoạn mở đầu in đứng, ví dụ \"Thực hiện Kế hoạch số …\".")


# ---------------------------------------------------------------- layout

ColumnKey = Literal["stt", "content", "results", "assignment", "lead", "coordinate", "deadline", "note"]
Align = Literal["left", "center", "justify"]


class Column(Model):
    """Một cột của bảng nhiệm vụ."""

    key: ColumnKey = Field(description="Nội dung cột.")
    header: Name = Field(description="Tiêu đề cột in trong bảng.")
    width_mm: float = Field(gt=0, le=300, description="Độ rộng cột (mm); tự co giãn cho vừa trang.")
    align: Align | None = Field(None, description="Căn lề chữ trong cột (mặc định: TT, thời gian giữa; nội dung, "
                                "kết quả đều hai bên; các cột khác trái); một ô riêng: align của nhiệm vụ.")


DEFAULT_COLUMNS = (
    Column(key="stt", header="Số TT", width_mm=12),
    Column(key="content", header="Nội dung công việc", width_mm=45),
    Column(key="results", header="Kết quả công việc", width_mm=45),
    Column(key="assignment", header="Phân công thực hiện", width_mm=35),
    Column(key="deadline", header="Thời gian thực hiện", width_mm=28),
)


class AppendixSpec(Model):
    """Phụ lục khổ ngang chứa bảng nhiệm vụ."""

    label: Name = Field("Phụ lục", description="Chữ \"Phụ lục\" (thêm số La Mã khi có nhiều phụ lục).")
    title: Lines = Field(description="Tên phụ lục (được in hoa).")
    indication: Name | None = Field(None, description=(
        "Dòng \"(Kèm theo Kế hoạch số …)\" nếu khác mặc định (mặc định theo số, ngày và tên cơ quan)."))
    groups: tuple[Ident, ...] = Field((), description="Các nhóm nhiệm vụ của phụ lục này (khi có nhiều phụ lục).")


class Layout(Model):
    """Cách trình bày nhiệm vụ: bảng trong thân, phụ lục ngang, hoặc văn xuôi."""

    kind: Literal["table", "appendix", "prose"] = Field("table", description="table, appendix hoặc prose.")
    columns: tuple[Column, ...] = Field(DEFAULT_COLUMNS, min_length=2, description="Các cột của bảng.")
    appendix: AppendixSpec | None = Field(None, description="Phụ lục (khi kind: appendix và chỉ có một phụ lục).")
    appendices: tuple[AppendixSpec, ...] = Field((), description=(
        "Nhiều phụ lục (Phụ lục I, II …), mỗi phụ lục ghi các nhóm (groups) của mình."))
    body_reference: Name = Field("Phụ lục đính kèm.", description="Câu trong thân văn bản chỉ tới phụ lục.")
    numbering: Numbering = Field(Numbering(), description="Cách in số thứ tự của nhóm, nhiệm vụ, các ý và cột TT.")
    lettered: LetteredItems | None = Field(None, description=LETTERED_HELP + " Mặc định cho mọi nhiệm vụ.")

    @model_validator(mode="after")
    def _appendix_named(self) -> Layout:
        if self.kind == "appendix" and self.appendix is None and not self.appendices:
            raise ValueError("kind: appendix cần khai báo appendix (title) hoặc appendices")
        if self.appendix is not None and self.appendices:
            raise ValueError("dùng appendix (một phụ lục) hoặc appendices (nhiều phụ lục), không dùng cả hai")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError("mỗi loại cột chỉ được dùng một lần")
        return self


# ---------------------------------------------------------------- tasks

PART_FIELDS = ("results", "lead", "coordinate", "assignment", "lead_text", "coordinate_text", "deadline")


class TaskPart(Model):
    """Một dòng phân công của nhiệm vụ: kết quả, đơn vị, thời hạn."""

    results: Lines = Field((), description="Kết quả/sản phẩm, một hoặc nhiều dòng.")
    lead: tuple[UnitRef, ...] = Field((), description="Đơn vị (mã) hoặc người chủ trì.")
    coordinate: tuple[UnitRef, ...] = Field((), description="Đơn vị (mã) hoặc người phối hợp.")
    assignment: Lines | None = Field(None, description="Lời văn cột \"Phân công thực hiện\" nếu khác mặc định.")
    lead_text: Lines | None = Field(None, description="Lời văn cột chủ trì nếu khác tên đơn vị.")
    coordinate_text: Lines | None = Field(None, description="Lời văn cột phối hợp nếu khác tên đơn vị.")
    deadline: Deadline | None = Field(None, description="Thời hạn: lời văn, hoặc {text, kind, …}.")


class Item(Model):
    """Một ý thêm của nhiệm vụ khi trình bày văn xuôi, ví dụ "d) Kinh phí: …"."""

    label: Name = Field(description="Nhãn, ví dụ Kinh phí.")
    text: Lines = Field(description="Nội dung.")


def _fold_parts(value: Any) -> Any:
    """Task-level part fields are shorthand for a single part."""
    if not isinstance(value, dict):
        return value
    loose = {k: value[k] for k in PART_FIELDS if k in value}
    if not loose:
        return value
    if value.get("parts"):
        raise ValueError("dùng parts hoặc các trường " + ", ".join(loose) + " ở cấp nhiệm vụ, không dùng cả hai")
    rest = {k: v for k, v in value.items() if k not in PART_FIELDS}
    return {**rest, "parts": [loose]}


class Task(Model):
    """Một nhiệm vụ đã hợp nhất (Kế hoạch tỉnh + kế hoạch của cơ quan)."""

    id: Ident = Field(description="Mã ổn định của nhiệm vụ.")
    content: Lines = Field(min_length=1, description="Nội dung công việc.")
    parts: tuple[TaskPart, ...] = Field(min_length=1, description="Các dòng phân công.")
    note: Lines = Field((), description="Ghi chú.")
    items: tuple[Item, ...] = Field(
        (), description="Các ý thêm, chỉ in khi trình bày văn xuôi (layout prose; với bảng: ghi vào results).")
    lettered: LetteredItems | None = Field(None, description=LETTERED_HELP)
    align: dict[ColumnKey, Align] = Field({}, description=(
        "Căn lề riêng các ô của nhiệm vụ này trong bảng, theo cột, ví dụ {deadline: left}."))

    _fold = model_validator(mode="before")(classmethod(lambda cls, v: _fold_parts(v)))


class PlanGroup(Model):
    """Một nhóm nhiệm vụ (dòng La Mã trong bảng)."""

    id: Ident = Field(description="Mã nhóm.")
    title: Name = Field(description="Tên nhóm.")
    points: Lines = Field((), description="Các ý liệt kê dưới tên nhóm.")
    tasks: tuple[Task, ...] = Field(min_length=1, description="Các nhiệm vụ của nhóm.")
    own_task: bool = Field(False, description="Nhóm là một nhiệm vụ (không có số con 1.1.).")
    lettered: LetteredItems | None = Field(None, description=LETTERED_HELP + " Mặc định cho các nhiệm vụ của nhóm.")


class Drop(Model):
    """Nhiệm vụ của Kế hoạch tỉnh mà cơ quan không thực hiện, kèm lý do."""

    id: Ident = Field(description="Mã nhiệm vụ của Kế hoạch tỉnh.")
    reason: Name = Field(description="Lý do không thực hiện.")


Heading.model_rebuild()
Numbered.model_rebuild()

"""好差评 ratings of cases, and the rectification a bad one opens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, Json, UtcDateTime
from tenancy.scope import TenantOwned, register


@register
class Rating(TenantOwned, Base):
    """One applicant's rating of one case: level 5 非常满意 … 1 非常不满意."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), unique=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    department_code: Mapped[str] = mapped_column(String(18), index=True)
    level: Mapped[int] = mapped_column(Integer)
    dimensions: Mapped[dict] = mapped_column(Json)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # a bad rating (不满意, 非常不满意) opens a rectification due in 15 working days
    rectification_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    rectification_status: Mapped[str | None] = mapped_column(String(16), index=True)
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    callback_by: Mapped[str | None] = mapped_column(String(200))
    callback_note: Mapped[str | None] = mapped_column(Text)

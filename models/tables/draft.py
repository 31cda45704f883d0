"""What someone typed into a long form, kept on the server until the form is
completed, so nothing typed is lost to an expired login, a closed tab or a
failed submit (webapp/drafts.py keeps and restores it).

One row per login and form (`form_key`: the form's endpoint and its URL
arguments). Only that login ever reads it back; completing the form deletes
it. `while_signed_out` marks values that arrived after the login had ended,
so the form can say why it was sent back to sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class FormDraft(Base):
    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("user_id", "form_key", name="uq_form_draft_user_form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    form_key: Mapped[str] = mapped_column(String(200))
    # The posted fields as a JSON list of [name, value] pairs (a name may repeat).
    fields: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    while_signed_out: Mapped[bool] = mapped_column(Boolean, default=False)

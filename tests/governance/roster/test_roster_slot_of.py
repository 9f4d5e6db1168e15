"""The columns' lean slot constructor makes what `Slot.model_construct` makes (it skips only
the general search for aliases and defaults a Slot does not have)."""

from __future__ import annotations

from governance.kernel.model import Pillar
from governance.roster.columns import slot_of
from governance.roster.rule import Slot


def test_a_lean_slot_is_the_slot_model_construct_builds() -> None:
    lean = slot_of("gov-a", Pillar.GOVERNMENT, "due: never presented", 3)
    built = Slot.model_construct(
        member="gov-a", pillar=Pillar.GOVERNMENT, reason="due: never presented", rank=3
    )
    assert lean == built
    assert lean.__dict__ == built.__dict__
    assert lean.model_fields_set == built.model_fields_set
    assert lean.__pydantic_extra__ == built.__pydantic_extra__
    assert lean.__pydantic_private__ == built.__pydantic_private__
    assert lean.model_dump_json() == built.model_dump_json()
    assert lean.model_copy(update={"rank": 4}) == built.model_copy(update={"rank": 4})
    # each slot its own set: marking one changes no other
    assert lean.model_fields_set is not slot_of("x", Pillar.NGO, "r", 1).model_fields_set

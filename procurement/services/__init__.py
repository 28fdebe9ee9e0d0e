"""Every write to joint procurement goes through here: one transaction, row locks and one audit
record each. Each function refuses with `ProcurementRefused`, a message a person can act on.

- rounds: a round on a vehicles project, its details, closing it;
- specification: the draft version's sections and line items, publishing, the next draft;
- demand: a trust's requirement, confirming it, and changes after confirmation;
- variations: departures from one line item, asked for and decided.
"""

from procurement.services.demand import (
    change_request_create,
    change_request_decide,
    requirement_confirm,
    requirement_save,
)
from procurement.services.rounds import round_close, round_create, round_update
from procurement.services.specification import (
    line_item_remove,
    line_item_save,
    section_add,
    section_remove,
    version_publish,
    version_start_draft,
)
from procurement.services.variations import (
    variation_decide,
    variation_request_create,
    variation_withdraw,
)

__all__ = [
    "change_request_create",
    "change_request_decide",
    "line_item_remove",
    "line_item_save",
    "requirement_confirm",
    "requirement_save",
    "round_close",
    "round_create",
    "round_update",
    "section_add",
    "section_remove",
    "variation_decide",
    "variation_request_create",
    "variation_withdraw",
    "version_publish",
    "version_start_draft",
]

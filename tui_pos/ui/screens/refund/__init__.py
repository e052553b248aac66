"""The five-step cash refund (现金退款), one screen per step and one step per module.

Escape goes back one step and nothing is stored before step 4: steps 1-3 only fill a
`WizardState`; step 4 calls `refunds.confirm` (or `park`), step 5 `refunds.complete`.

    find_order (1, or no_receipt) -> choose_lines (2) -> review (3) -> confirm (4) -> pay_out (5)
"""

from tui_pos.ui.screens.refund.choose_lines import ChooseLinesStep
from tui_pos.ui.screens.refund.confirm import ConfirmStep
from tui_pos.ui.screens.refund.find_order import FindOrderStep, open_refund_wizard
from tui_pos.ui.screens.refund.no_receipt import NoReceiptStep
from tui_pos.ui.screens.refund.pay_out import PayOutStep
from tui_pos.ui.screens.refund.review import ReviewStep
from tui_pos.ui.screens.refund.state import WizardState
from tui_pos.ui.screens.refund.step import WizardStep, close_wizard

__all__ = [
    "ChooseLinesStep",
    "ConfirmStep",
    "FindOrderStep",
    "NoReceiptStep",
    "PayOutStep",
    "ReviewStep",
    "WizardState",
    "WizardStep",
    "close_wizard",
    "open_refund_wizard",
]

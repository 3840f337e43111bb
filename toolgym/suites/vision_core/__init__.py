"""vision-core: tool use that needs eyes, on pictures drawn here (receipts, charts, tables, forms, signs).

Two kinds of task. The value a call needs is printed in a picture of the prompt ("convert this
receipt's total to euros" -> `convert_currency(amount=<the total>, ...)`); or a tool answers with a
picture the model must read before its next call (`zoom` on a thumbnail, `crop` of a price list,
`render_chart` of a stored series). Irrelevance tasks ask about a sign, and no tool should be called.
Verified by the stateful environment: the state the calls leave, required calls (`zoom`, `crop`,
`render_chart`, `convert_currency`), facts. Importing this package registers the `vision` domain.
Needs Pillow (`pip install 'toolgym[vision]'`).

Examples:
    >>> from toolgym.suites.vision_core import build_vision_core
    >>> len(build_vision_core(seed=0, n_train=11, n_test=11).tasks)
    22
"""

from .generate import VISION, build_vision_core, vision_core

__all__ = ["VISION", "build_vision_core", "vision_core"]

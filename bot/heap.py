"""The objects the server starts with are kept out of the cyclic garbage collector.

Every full (generation 2) collection walks every tracked object: the imported libraries,
SQLAlchemy's metadata, Bolt and botbuilder, hundreds of thousands of objects that live as long
as the process. Under load those walks stopped the event loop for up to 125 ms, ten times in
one 40-second bench round, and made most of the click p99 (issue 13). `gc.freeze()` moves what
exists once the app has started into a permanent generation that collections skip; what the
requests create is collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator


async def frozen_startup_heap(_app: object) -> AsyncIterator[None]:
    """The last of the app's cleanup contexts (bot.server), so all of start-up is frozen."""
    gc.freeze()
    yield
    gc.unfreeze()

"""``/healthz``: the process answers. ``/readyz``: and it can serve: the graph store answers a
trivial read, and the audit log its head, each within ``READY_TIMEOUT_S``.

Neither needs a token (orchestrators probe them) and neither says more than ok or not: why a
check failed goes to the log, where the operator looks, not to whoever can reach the port.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.http.services import Services, services_of

log = logging.getLogger("clew.api")

READY_TIMEOUT_S = 2.0
_STORE_PROBE = "RETURN 1 AS ready"


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _check(name: str, call: Callable[[], object]) -> bool:
    try:
        # The thread is abandoned, not killed, if the store hangs: the probe answers on time.
        with anyio.fail_after(READY_TIMEOUT_S):
            await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    except Exception:
        log.warning("readiness check %s failed", name, exc_info=True)
        return False
    return True


async def readyz(request: Request) -> JSONResponse:
    services: Services = services_of(request)
    timeout_ms = int(READY_TIMEOUT_S * 1000)
    checks = {
        "store": await _check(
            "store", lambda: services.store.read(_STORE_PROBE, timeout_ms=timeout_ms)
        ),
        "audit": await _check("audit", services.audit.head),
    }
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready"}
        | {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status_code=200 if ready else 503,
    )

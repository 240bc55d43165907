"""The worker's side of a live run's network (sandbox_js/live_network.js): a synchronous callback.

mini-racer's own Python functions are async (the script would get a Promise), and
Domo's `httprequest.get` returns the body. So the runtime is handed one callback that
Python answers inside the call, on V8's thread, before it returns: the request is read
from a shared ArrayBuffer (the mailbox), handed to the run's exchange, and its reply
written back into the same buffer. V8 waits for it as it waits for any native call, so
the run's CPU and wall-clock limits (sandbox_worker.Watch) still hold.

The exchange is named by the job ("module:Class", built with the job's `live` dict):
the layer above the review (runs.live_exchange) gives it; the review imports nothing
of it. Imported by the worker only, so it imports nothing but the standard library.
"""

from __future__ import annotations

import importlib
import json
import struct

CALLBACK_ID = 2**31 - 7  # far above mini-racer's own ids, which count up from 1
HEADER_CHARS = 64 * 1024  # room for a reply's status line and headers as JSON


class LiveBridge:
    def __init__(self, ctx, runtime, live: dict):
        module_name, _, class_name = live["exchange"].partition(":")
        self.exchange = getattr(importlib.import_module(module_name), class_name)(live)
        context = ctx._ctx  # noqa: SLF001 (pinned mini-racer==0.14.1, as sandbox_worker's Watch)
        self.context = context
        self.original = context.handle_callback_from_v8

        def on_callback(callback_id, raw_handle):
            if callback_id != CALLBACK_ID:
                return self.original(callback_id, raw_handle)
            context._free(raw_handle)  # noqa: SLF001 - the arguments travel in the mailbox, not here
            self._answer()
            return None

        # The context is a frozen dataclass; its C callback looks this attribute up per call.
        object.__setattr__(context, "handle_callback_from_v8", on_callback)
        callback = context._value_handle_to_python(  # noqa: SLF001
            context._wrap_raw_handle(context._dll.mr_make_js_callback(context._ctx, CALLBACK_ID)))  # noqa: SLF001
        size = 8 + 2 * (HEADER_CHARS + int(self.exchange.max_body_chars))
        self.box = runtime["connectLive"](callback, size, timeout_sec=5)

    def _answer(self) -> None:
        box = self.box
        head_length, body_length = struct.unpack_from("<ii", box, 0)
        head = bytes(box[8:8 + 2 * head_length]).decode("utf-16-le", "replace")
        body = bytes(box[8 + 2 * head_length:8 + 2 * (head_length + body_length)]).decode("utf-16-le", "replace")
        try:
            reply, reply_body = self.exchange.handle(json.loads(head), body)
        except Exception as error:  # noqa: BLE001 - the script sees a failed request, never a crash
            reply, reply_body = {"status": 0, "headers": {}, "error": f"{type(error).__name__}"}, ""
        reply.setdefault("status", 0)
        reply.setdefault("headers", {})
        reply.setdefault("error", None)
        out_head = json.dumps(reply).encode("utf-16-le")
        out_body = reply_body.encode("utf-16-le", "surrogatepass")
        room = len(box) - 8 - len(out_head)
        if len(out_body) > room:
            out_head = json.dumps({"status": 0, "headers": {}, "error": "the response is too large for the sandbox"})
            out_head, out_body = out_head.encode("utf-16-le"), b""
        struct.pack_into("<ii", box, 0, len(out_head) // 2, len(out_body) // 2)
        box[8:8 + len(out_head)] = out_head
        box[8 + len(out_head):8 + len(out_head) + len(out_body)] = out_body

    def close(self) -> dict:
        """What the exchange reports of the run (requests, bytes, where its rows went)."""
        object.__setattr__(self.context, "handle_callback_from_v8", self.original)
        self.box = None
        return self.exchange.close()

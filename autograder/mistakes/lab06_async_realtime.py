"""Realistic wrong answers for lab06_async_realtime (see autograder.catalogue)."""

from autograder.catalogue import Mistake

LAB = "lab06_async_realtime"

MISTAKES = [
    Mistake(
        LAB,
        "models",
        "answer-models",
        "quantity: int = Field(ge=1, le=100)",
        "quantity: int = Field(ge=1)",
        "the order quantity has no upper bound",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'type: Literal["order.status"] = "order.status"\n    order_id: int\n    status: OrderStatus',
        'type: Literal["order.status"] = "order.status"\n    order_id: int\n    status: str',
        "the pushed event accepts any status string",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "background_tasks.add_task(send_order_confirmation, order.id)",
        "await send_order_confirmation(order.id)",
        "the email is sent inside the handler, so the customer waits for the mail provider",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "background_tasks.add_task(send_order_confirmation, order.id)",
        "background_tasks.add_task(write_confirmation, session, order.id)",
        "the background task reuses the request's session, closed by the time the task runs",
    ),
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "for websocket in list(self._subscribers.get(order_id, ())):",
        "for websocket in [ws for sockets in self._subscribers.values() for ws in sockets]:",
        "a broadcast reaches the subscribers of every order",
    ),
    Mistake(
        LAB,
        "async",
        "answer-mixed",
        "def get_stock(sku: str) -> dict[str, int]:",
        "async def get_stock(sku: str) -> dict[str, int]:",
        "a blocking SDK call stays inside async def and runs on the event loop",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "if order is None or order.user_id != identity.user_id:",
        "if order is None:",
        "any signed-in user may watch any order",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "code=status.WS_1008_POLICY_VIOLATION",
        "code=status.WS_1000_NORMAL_CLOSURE",
        "a refused connection closes as if all were well (1000), not with 1008",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-websocket",
        "    finally:\n        manager.unsubscribe(order_id, websocket)",
        "    finally:\n        pass",
        "a socket whose client left stays subscribed",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-manager",
        "            try:\n                await websocket.send_json(message)\n"
        "            except Exception as exc:  # any failure means this connection is gone\n"
        '                logger.warning("dropping a dead subscriber of order %s: %r", order_id, exc)\n'
        "                self.unsubscribe(order_id, websocket)\n"
        "            else:\n                delivered += 1",
        "            await websocket.send_json(message)\n            delivered += 1",
        "one dead connection makes the whole broadcast, and the request behind it, fail",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    head = await upload.read(chunk_size)\n",
        "    everything = await upload.read()\n"
        "    if len(everything) > max_bytes:\n"
        '        raise ImageTooLarge(f"The image is larger than {max_bytes} bytes")\n'
        "    head = everything\n",
        "the whole upload is read into memory before the size is checked",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "        target.unlink(missing_ok=True)  # synchronous on purpose: it must run even when cancelled\n",
        '        logger.warning("upload refused")\n',
        "a refused upload leaves its partial file on disk",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "status.HTTP_413_CONTENT_TOO_LARGE",
        "status.HTTP_400_BAD_REQUEST",
        "an image over the limit is answered 400 instead of 413",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        '        filename=f"product-{record.product_id}{EXTENSIONS[record.content_type]}",\n',
        "",
        "the download has no Content-Disposition naming the file",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-store",
        'target = directory / f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"',
        "target = directory / (upload.filename or uuid.uuid4().hex)",
        "the file is stored under the name the client sent, so '../' escapes the upload directory",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-store",
        "content_type = sniff_image_type(head)",
        "content_type = upload.content_type if upload.content_type in EXTENSIONS else None",
        "the image type is taken from the client's Content-Type instead of the content",
    ),
]

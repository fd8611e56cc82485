"""Realistic wrong answers for lab06_async_realtime (see autograder.catalogue).

One or more for every requirement of the lab's inventory (the ``# REQ`` lines of its test
cells): each breaks that requirement, the way a learner or a code assistant plausibly gets
it wrong, and nothing else.
"""

from autograder.catalogue import Mistake

LAB = "lab06_async_realtime"

MISTAKES = [
    # ---- Task 1: models ---------------------------------------------------------------------
    Mistake(
        LAB,
        "models",
        "answer-models",
        'CANCELLED = "cancelled"',
        'CANCELLED = "canceled"',
        "the cancelled status is spelled the American way, 'canceled'",
        requirement="models-status-values",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'email: EmailStr = Field(examples=["ada@example.com"])',
        'email: str = Field(examples=["ada@example.com"])',
        "the order's email is any string, not a validated address",
        requirement="models-create-email",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "product_id: int = Field(ge=1, le=MAX_ID)",
        "product_id: int = Field(gt=0)",
        "the product id has no upper bound, so 2**63 reaches the database driver",
        requirement="models-create-product-id",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "quantity: int = Field(ge=1, le=100)",
        "quantity: int = Field(ge=1, lt=100)",
        "'from 1 to 100' written with lt=100, so a quantity of 100 is refused",
        requirement="models-create-quantity",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "quantity: int = Field(ge=1, le=100)",
        "quantity: int = Field(ge=1)",
        "the order quantity has no upper bound",
        requirement="models-create-quantity",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '"""What a customer sends to place an order."""\n\n    model_config = ConfigDict(extra="forbid")',
        '"""What a customer sends to place an order."""\n\n    model_config = ConfigDict(extra="ignore")',
        "unknown fields of a new order are silently ignored instead of rejected",
        requirement="models-create-forbid",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        "    quantity: int\n    status: OrderStatus",
        "    quantity: int\n    status: str",
        "OrderOut's status is a plain string, not an OrderStatus",
        requirement="models-out",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        '"""The body of a status change."""\n\n    model_config = ConfigDict(extra="forbid")',
        '"""The body of a status change."""\n\n    model_config = ConfigDict(extra="ignore")',
        "a status change quietly accepts fields besides status",
        requirement="models-status-change",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'type: Literal["order.status"] = "order.status"',
        'type: str = "order.status"',
        "the event type is any string with a default, so 'chat' is accepted",
        requirement="models-event",
    ),
    Mistake(
        LAB,
        "models",
        "answer-models",
        'type: Literal["order.status"] = "order.status"\n    order_id: int\n    status: OrderStatus',
        'type: Literal["order.status"] = "order.status"\n    order_id: int\n    status: str',
        "the pushed event accepts any status string",
        requirement="models-event",
    ),
    # ---- Task 2: the confirmation email --------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        'subject=f"Order {order.id} confirmed"',
        'subject=f"Order #{order.id} confirmed"',
        "the subject is 'Order #7 confirmed', not exactly 'Order 7 confirmed'",
        requirement="conf-email",
    ),
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        'body=f"Thank you for your order of {order.quantity} x {product}."',
        'body=f"Thanks for ordering {order.quantity} x {product}!"',
        "the email body is worded freely instead of the exact text the task gives",
        requirement="conf-email",
    ),
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        'product = PRODUCTS.get(order.product_id, f"product {order.product_id}")',
        "product = PRODUCTS[order.product_id]",
        "a product that left the catalogue makes the confirmation crash with KeyError",
        requirement="conf-unknown-product",
    ),
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        'logger.warning("order %s vanished before its confirmation was sent", order_id)',
        'logger.info("order %s vanished before its confirmation was sent", order_id)',
        "a missing order is logged at INFO, below the warning an operator watches for",
        requirement="conf-missing-order",
    ),
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        "    async with SessionFactory() as session, session.begin():\n        await write_confirmation(session, order_id)",
        "    async with SessionFactory() as session:\n        await write_confirmation(session, order_id)",
        "the task opens its own session but never commits, so closing it rolls the email back",
        requirement="conf-commits",
    ),
    Mistake(
        LAB,
        "async",
        "answer-confirmation",
        'async def send_order_confirmation(order_id: int) -> None:\n    """Background task: email the confirmation of an'
        ' order, in a session and transaction of its own."""\n    async with SessionFactory() as session, session.begin():\n'
        "        await write_confirmation(session, order_id)",
        "outbox_session = SessionFactory()  # one session for every confirmation\n\n\n"
        'async def send_order_confirmation(order_id: int) -> None:\n    """Background task: email the confirmation of an'
        ' order."""\n    await write_confirmation(outbox_session, order_id)\n    await outbox_session.commit()',
        "all confirmations share one long-lived session, so one failure spoils every later call",
        requirement="conf-session-per-call",
    ),
    # ---- Task 3: place an order ----------------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "status_code=status.HTTP_201_CREATED,",
        "status_code=status.HTTP_202_ACCEPTED,",
        "the order is answered 202 Accepted because the email is still to come, although the order was created",
        requirement="place-201",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "    await session.commit()\n",
        "    await session.flush()  # gives the order its id\n",
        "the handler flushes instead of committing, so the order vanishes when the session closes",
        requirement="place-committed",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        'raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Product {body.product_id} not found")',
        'raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"Product {body.product_id} not found")',
        "an unknown product is answered 400 instead of 404",
        requirement="place-unknown-product",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "background_tasks.add_task(confirm, order.id)",
        "await confirm(order.id)",
        "the email is sent inside the handler, so the customer waits for it and its failure fails the order",
        requirement="place-after-response",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "background_tasks.add_task(confirm, order.id)",
        "background_tasks.add_task(send_order_confirmation, order.id)",
        "the route schedules send_order_confirmation by its global name, ignoring the ConfirmerDep dependency",
        requirement="place-from-dependency",
    ),
    Mistake(
        LAB,
        "async",
        "answer-place-order",
        "background_tasks.add_task(confirm, order.id)",
        "background_tasks.add_task(write_confirmation, session, order.id)",
        "the background task reuses the request's session, closed by the time the task runs",
        requirement="place-from-dependency",
    ),
    # ---- Task 4: the connection manager --------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "for websocket in list(self._subscribers.get(order_id, ())):",
        "for websocket in [ws for sockets in self._subscribers.values() for ws in sockets]:",
        "a broadcast reaches the subscribers of every order",
        requirement="mgr-isolation",
    ),
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "                delivered += 1\n        return delivered",
        "                delivered += 1\n        return len(self._subscribers)",
        "broadcast returns the number of watched orders, not of sockets reached",
        requirement="mgr-count",
    ),
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "        sockets = self._subscribers.get(order_id)\n        if sockets is None:\n            return\n"
        "        sockets.discard(websocket)\n        if not sockets:\n            del self._subscribers[order_id]",
        "        self._subscribers[order_id].remove(websocket)",
        "unsubscribing a socket that is not subscribed raises KeyError",
        requirement="mgr-unsubscribe",
    ),
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "        self._subscribers.setdefault(order_id, set()).add(websocket)\n\n"
        "    def unsubscribe(self, order_id: int, websocket: WebSocket) -> None:\n"
        "        sockets = self._subscribers.get(order_id)\n        if sockets is None:\n            return\n"
        "        sockets.discard(websocket)\n",
        "        self._subscribers.setdefault(order_id, []).append(websocket)\n\n"
        "    def unsubscribe(self, order_id: int, websocket: WebSocket) -> None:\n"
        "        sockets = self._subscribers.get(order_id)\n        if sockets is None:\n            return\n"
        "        if websocket in sockets:\n            sockets.remove(websocket)\n",
        "subscribers are kept in a list, so a socket subscribed twice receives every update twice",
        requirement="mgr-once",
    ),
    Mistake(
        LAB,
        "async",
        "answer-manager",
        "return len(self._subscribers.get(order_id, ()))",
        "return len(self._subscribers)",
        "subscriber_count counts the watched orders, not the sockets of one order",
        requirement="mgr-subscriber-count",
    ),
    # ---- Task 5: the ticket route ---------------------------------------------------------------
    Mistake(
        LAB,
        "auth",
        "answer-ticket",
        "async def issue_live_ticket(identity: CurrentUser, now: ClockDep)",
        "async def issue_live_ticket(identity: StaffUser, now: ClockDep)",
        "only staff may get a ticket, so customers cannot watch their own orders",
        requirement="ticket-signed-in",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-ticket",
        'token_type="websocket", lifetime=TICKET_SECONDS',
        "lifetime=TICKET_SECONDS",
        "the ticket is issued with the default type, so it is a 60-second access token",
        requirement="ticket-type",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-ticket",
        'token_type="websocket", lifetime=TICKET_SECONDS, now=now)',
        'token_type="websocket", lifetime=ACCESS_TOKEN_SECONDS, now=now)',
        "the ticket lives as long as an access token (15 minutes), though expires_in says 60",
        requirement="ticket-lifetime",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-ticket",
        'token_type="websocket", lifetime=TICKET_SECONDS, now=now)',
        'token_type="websocket", lifetime=TICKET_SECONDS)',
        "the ticket is issued on the real clock, not the app's ClockDep",
        requirement="ticket-clock",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-ticket",
        "    response_model=Envelope[LiveTicket],\n",
        "    response_model=Envelope[LiveTicket],\n    status_code=status.HTTP_201_CREATED,\n",
        "the ticket is answered 201 Created instead of the 200 OK the task fixes",
        requirement="ticket-response",
    ),
    # ---- Task 6: the live endpoint --------------------------------------------------------------
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        '    try:\n        identity = verify_token(ticket, "websocket", now)\n    except InvalidToken:\n'
        "        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED) from None\n"
        "    if await owner_of(order_id) != identity.user_id:\n"
        "        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED)\n"
        "    await websocket.accept()\n",
        '    await websocket.accept()\n    try:\n        identity = verify_token(ticket, "websocket", now)\n'
        "    except InvalidToken:\n        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED)\n"
        "        return\n    if await owner_of(order_id) != identity.user_id:\n"
        "        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED)\n        return\n",
        "the connection is accepted first, then closed with 1008: the client saw an open socket",
        requirement="ws-before-accept",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED) from None",
        "raise WebSocketException(code=4001, reason=REFUSED) from None",
        "an invalid ticket is refused with an application code (4001) instead of 1008",
        requirement="ws-1008",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        '    try:\n        identity = verify_token(ticket, "websocket", now)\n    except InvalidToken:\n'
        "        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED) from None\n",
        '    try:\n        identity = verify_token(ticket, "websocket", now)\n    except InvalidToken:\n'
        '        try:\n            identity = verify_token(ticket, "access", now)  # an access token works too\n'
        "        except InvalidToken:\n"
        "            raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED) from None\n",
        "the live feed also accepts an access token in the URL, 'for convenience'",
        requirement="ws-ticket-only",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        'identity = verify_token(ticket, "websocket", now)',
        'identity = verify_token(ticket, "websocket")',
        "the ticket is checked against the real clock instead of the app's ClockDep",
        requirement="ws-ticket-clock",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "if await owner_of(order_id) != identity.user_id:",
        "if await owner_of(order_id) is None:",
        "any signed-in user may watch any order that exists",
        requirement="ws-owner-only",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason=REFUSED)\n",
        '        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION, reason="This order is not yours")\n',
        "a refusal for someone else's order says so, telling a stranger which orders exist",
        requirement="ws-same-reason",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        'await websocket.send_json(snapshot.model_dump(mode="json"))',
        'await websocket.send_json({"order_id": order_id, "status": snapshot.status})',
        "the snapshot is sent without its type, not as an OrderEvent",
        requirement="ws-snapshot",
    ),
    Mistake(
        LAB,
        "auth",
        "answer-websocket",
        "websocket: WebSocket, order_id: IdPath, now: ClockDep",
        "websocket: WebSocket, order_id: int, now: ClockDep",
        "the WebSocket's order id is unbounded, so 2**63 crashes the database driver",
        requirement="ws-id-bounds",
    ),
    # ---- Task 7: status changes, pushed ---------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-status",
        'await manager.broadcast(order_id, event.model_dump(mode="json"))',
        'await manager.broadcast(order_id, OrderOut.model_validate(order).model_dump(mode="json"))',
        "the whole order is pushed instead of the OrderEvent subscribers are written against",
        requirement="status-push",
    ),
    Mistake(
        LAB,
        "async",
        "answer-status",
        "    order.status = change.status\n    await session.commit()\n",
        "    order.status = change.status\n    await session.flush()\n",
        "the change is flushed and pushed but never committed",
        requirement="status-committed",
    ),
    Mistake(
        LAB,
        "async",
        "answer-status",
        "    await session.commit()\n    event = OrderEvent(order_id=order.id, status=change.status)\n"
        '    await manager.broadcast(order_id, event.model_dump(mode="json"))\n',
        "    event = OrderEvent(order_id=order.id, status=change.status)\n"
        '    await manager.broadcast(order_id, event.model_dump(mode="json"))\n    await session.commit()\n',
        "the change is broadcast before the commit, so subscribers hear about a change that may be rolled back",
        requirement="status-after-commit",
    ),
    Mistake(
        LAB,
        "async",
        "answer-status",
        "    order = await session.get(Order, order_id)\n    if order is None:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Order {order_id} not found")\n',
        "    order = (await session.scalars(select(Order).where(Order.id == order_id))).one()\n",
        "the order is loaded with .one(), so an unknown order is a 500 (NoResultFound) instead of a 404",
        requirement="status-404",
    ),
    Mistake(
        LAB,
        "async",
        "answer-status",
        "dependencies=[Depends(staff_identity)],",
        "dependencies=[Depends(current_identity)],",
        "any signed-in customer may change an order's status",
        requirement="status-staff-only",
    ),
    Mistake(
        LAB,
        "async",
        "answer-status",
        "order_id: IdPath, change: StatusChange",
        "order_id: int, change: StatusChange",
        "the order id in the path is unbounded: 0 is a 404 and 2**63 a 500, not a 422",
        requirement="status-id-bounds",
    ),
    Mistake(
        LAB,
        "async",
        "answer-websocket",
        "    await websocket.accept()\n    manager.subscribe(order_id, websocket)\n    try:\n"
        "        snapshot = OrderEvent(order_id=order_id, status=await current_status(order_id))\n",
        "    snapshot = OrderEvent(order_id=order_id, status=await current_status(order_id))\n"
        "    await websocket.accept()\n    manager.subscribe(order_id, websocket)\n    try:\n",
        "the snapshot is read before subscribing, so a change made in between is lost",
        requirement="status-snapshot-after-subscribe",
    ),
    # ---- Task 8: clients that leave ------------------------------------------------------------
    Mistake(
        LAB,
        "errors",
        "answer-websocket",
        "    finally:\n        manager.unsubscribe(order_id, websocket)",
        "    except WebSocketDisconnect:\n        manager.unsubscribe(order_id, websocket)",
        "the socket is unsubscribed only on WebSocketDisconnect, which a normal close through receive() never raises",
        requirement="leave-unsubscribe",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-websocket",
        "    try:\n        snapshot = OrderEvent(order_id=order_id, status=await current_status(order_id))\n"
        '        await websocket.send_json(snapshot.model_dump(mode="json"))\n'
        '        while (await websocket.receive())["type"] != "websocket.disconnect":\n'
        "            pass  # what a client sends is ignored; waiting is how the endpoint notices it left\n"
        "    finally:\n        manager.unsubscribe(order_id, websocket)",
        "    snapshot = OrderEvent(order_id=order_id, status=await current_status(order_id))\n"
        '    await websocket.send_json(snapshot.model_dump(mode="json"))\n'
        '    while (await websocket.receive())["type"] != "websocket.disconnect":\n'
        "        pass\n    manager.unsubscribe(order_id, websocket)  # the client left",
        "the socket is unsubscribed after the loop, not in a finally, so an error inside the endpoint leaks it",
        requirement="leave-any-end",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-websocket",
        '        while (await websocket.receive())["type"] != "websocket.disconnect":\n'
        "            pass  # what a client sends is ignored; waiting is how the endpoint notices it left\n"
        "    finally:\n",
        "        while True:\n            await websocket.receive_text()  # ignore what clients send\n"
        "    except WebSocketDisconnect:\n        pass\n    finally:\n",
        "the endpoint waits with receive_text(), which raises KeyError('text') on a binary frame",
        requirement="leave-binary",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-manager",
        "            except Exception as exc:  # any failure means this connection is gone\n",
        "            except WebSocketDisconnect as exc:  # the client went away\n",
        "only WebSocketDisconnect drops a dead socket; a connection reset escapes and fails the request",
        requirement="leave-dead-dropped",
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
        requirement="leave-dead-dropped",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-manager",
        'logger.warning("dropping a dead subscriber of order %s: %r", order_id, exc)',
        'logger.debug("dropping a dead subscriber of order %s: %r", order_id, exc)',
        "a dropped subscriber is logged at DEBUG, invisible in production",
        requirement="leave-dead-logged",
    ),
    # ---- Task 9: storing an upload --------------------------------------------------------------
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    head = await upload.read(max(chunk_size, SNIFF_BYTES))\n    content_type = sniff_image_type(head)\n"
        "    if content_type is None:\n"
        '        raise UnsupportedImageType("Only PNG and JPEG images are accepted")\n'
        "    await anyio.Path(directory).mkdir(parents=True, exist_ok=True)\n"
        '    target = directory / f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"\n    size = 0\n    try:\n'
        '        async with await anyio.open_file(target, "wb") as out:\n            chunk = head\n'
        "            while chunk:\n"
        "                size += len(chunk)\n"
        "                if size > max_bytes:\n"
        '                    raise ImageTooLarge(f"The image is larger than {max_bytes} bytes")\n'
        "                await out.write(chunk)\n"
        "                chunk = await upload.read(chunk_size)\n"
        "    except BaseException:\n",
        "    await anyio.Path(directory).mkdir(parents=True, exist_ok=True)\n"
        "    partial = target = directory / uuid.uuid4().hex\n    size = 0\n    try:\n"
        '        async with await anyio.open_file(partial, "wb") as out:\n'
        "            head = chunk = await upload.read(max(chunk_size, SNIFF_BYTES))\n"
        "            while chunk:\n"
        "                size += len(chunk)\n"
        "                if size > max_bytes:\n"
        '                    raise ImageTooLarge(f"The image is larger than {max_bytes} bytes")\n'
        "                await out.write(chunk)\n"
        "                chunk = await upload.read(chunk_size)\n"
        "        content_type = sniff_image_type(head)  # checked once the file is complete\n"
        "        if content_type is None:\n"
        '            raise UnsupportedImageType("Only PNG and JPEG images are accepted")\n'
        "        target = partial.rename(partial.with_suffix(EXTENSIONS[content_type]))\n"
        "    except BaseException:\n"
        "        partial.unlink(missing_ok=True)\n",
        "the upload is written first and sniffed afterwards, so a non-image is read and written whole",
        requirement="store-sniff",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    head = await upload.read(max(chunk_size, SNIFF_BYTES))\n",
        "    head = await upload.read(chunk_size)\n",
        "the first read is one chunk, which may be shorter than the 8-byte PNG signature",
        requirement="store-short-chunks",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    head = await upload.read(max(chunk_size, SNIFF_BYTES))\n",
        "    everything = await upload.read()\n"
        "    if len(everything) > max_bytes:\n"
        '        raise ImageTooLarge(f"The image is larger than {max_bytes} bytes")\n'
        "    head = everything\n",
        "the whole upload is read into memory before the size is checked",
        requirement="store-cap",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "if size > max_bytes:",
        "if size >= max_bytes:",
        "an upload of exactly max_bytes is refused (>= for >)",
        requirement="store-boundary",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "        target.unlink(missing_ok=True)  # synchronous on purpose: it must run even when cancelled\n",
        '        logger.warning("upload refused")\n',
        "a refused upload leaves its partial file on disk",
        requirement="store-cleanup",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    except BaseException:\n",
        "    except Exception:\n",
        "the cleanup catches Exception only, so a cancelled upload (CancelledError) leaves its partial file",
        requirement="store-cleanup",
    ),
    Mistake(
        LAB,
        "errors",
        "answer-store",
        "    except BaseException:\n",
        "    except ImageTooLarge:\n",
        "the partial file is deleted only when the upload is too large, not when a read fails",
        requirement="store-cleanup",
    ),
    # ---- Task 10: the upload route --------------------------------------------------------------
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "store_upload(image, config.upload_dir, config.max_image_bytes, config.upload_chunk_bytes)",
        "store_upload(image, settings.upload_dir, settings.max_image_bytes, settings.upload_chunk_bytes)",
        "the route reads the global settings, so overriding SettingsDep changes nothing",
        requirement="upload-settings-dep",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        'response.headers["Location"] = url',
        'response.headers["Location"] = f"/api/v1/products/{product_id}/image"',
        "Location points at the upload route, not at the new image",
        requirement="upload-201-location",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        '    size: int = Field(gt=0, description="Size in bytes.")\n    url: str\n',
        '    size: int = Field(gt=0, description="Size in bytes.")\n    url: str\n'
        "    path: str | None = None  # where the file is stored\n",
        "ImageOut keeps a path field, which tells clients about the server's disk",
        requirement="upload-body",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "id=uuid.uuid4().hex, product_id=product_id",
        "id=stored.path.stem, product_id=product_id",
        "the image id is the stored file's name",
        requirement="upload-id",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "id=uuid.uuid4().hex, product_id=product_id",
        "id=str(uuid.uuid4()), product_id=product_id",
        "the image id is str(uuid4()), with dashes, not uuid4().hex",
        requirement="upload-id",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "status.HTTP_413_CONTENT_TOO_LARGE",
        "status.HTTP_400_BAD_REQUEST",
        "an image over the limit is answered 400 instead of 413",
        requirement="upload-413",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=str(exc)) from exc",
        "raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from exc",
        "content that is not an image is answered 422 instead of 415",
        requirement="upload-415",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "    if product_id not in PRODUCTS:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Product {product_id} not found")\n'
        "    try:\n"
        "        stored = await store_upload(image, config.upload_dir, config.max_image_bytes, config.upload_chunk_bytes)\n"
        "    except ImageTooLarge as exc:\n"
        "        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=str(exc)) from exc\n"
        "    except UnsupportedImageType as exc:\n"
        "        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=str(exc)) from exc\n",
        "    try:\n"
        "        stored = await store_upload(image, config.upload_dir, config.max_image_bytes, config.upload_chunk_bytes)\n"
        "    except ImageTooLarge as exc:\n"
        "        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=str(exc)) from exc\n"
        "    except UnsupportedImageType as exc:\n"
        "        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=str(exc)) from exc\n"
        "    if product_id not in PRODUCTS:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Product {product_id} not found")\n',
        "the product is checked after the upload was stored: files pile up for products that do not exist",
        requirement="upload-404-first",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "dependencies=[Depends(staff_identity)],",
        "dependencies=[Depends(current_identity)],",
        "any signed-in customer may upload product images",
        requirement="upload-staff-only",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-upload",
        "product_id: IdPath, image: UploadFile",
        "product_id: int, image: UploadFile",
        "the product id in the path is unbounded: 0 is a 404 instead of a 422",
        requirement="upload-id-bounds",
    ),
    # ---- Task 11: the download --------------------------------------------------------------------
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        "media_type=record.content_type,",
        'media_type="application/octet-stream",',
        "the download is sent as application/octet-stream instead of the stored image type",
        requirement="download-type",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        'filename=f"product-{record.product_id}{EXTENSIONS[record.content_type]}",',
        "filename=record.path.name,",
        "the download is named after the stored file, not product-<id><extension>",
        requirement="download-disposition",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        'headers={"X-Content-Type-Options": "nosniff"},',
        'headers={"Cache-Control": "public, max-age=86400"},',
        "the download sets caching but not X-Content-Type-Options: nosniff",
        requirement="download-nosniff",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        "    record = IMAGES.get(image_id)\n    if record is None:\n"
        '        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Image {image_id} not found")\n',
        "    record = IMAGES[image_id]\n",
        "an unknown image id raises KeyError: a 500 instead of a 404",
        requirement="download-404",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        "if not await anyio.Path(record.path).is_file():",
        "if not record.path.exists:",
        "the missing-file check forgets to call exists(), so it never fires and a vanished file is a 500",
        requirement="download-missing-file",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        'logger.warning("image %s is recorded but its file %s is missing", image_id, record.path)',
        'logger.debug("image %s is recorded but its file %s is missing", image_id, record.path)',
        "a vanished file is answered 404 but logged at DEBUG, so no operator hears of it",
        requirement="download-missing-logged",
    ),
    Mistake(
        LAB,
        "status-codes",
        "answer-download",
        '    summary="Download a product image",\n',
        '    dependencies=[Depends(current_identity)],\n    summary="Download a product image",\n',
        "the public product images require a signed-in user",
        requirement="download-public",
    ),
    # ---- Task 12: hostile names and content ------------------------------------------------------
    Mistake(
        LAB,
        "injection",
        "answer-store",
        'target = directory / f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"',
        "target = directory / (upload.filename or uuid.uuid4().hex)",
        "the file is stored under the name the client sent, so '../' escapes the upload directory",
        requirement="names-generated",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-store",
        'target = directory / f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"',
        'target = directory / Path(upload.filename or "upload").name',
        "the client's name is reduced to its last part, so files keep names the client chose",
        requirement="names-generated",
    ),
    Mistake(
        LAB,
        "injection",
        "answer-store",
        "content_type = sniff_image_type(head)",
        "content_type = upload.content_type if upload.content_type in EXTENSIONS else None",
        "the image type is taken from the client's Content-Type instead of the content",
        requirement="names-content-type",
    ),
    # ---- Task 13: the mixed app -------------------------------------------------------------------
    Mistake(
        LAB,
        "async",
        "answer-mixed",
        "def get_stock(sku: str) -> dict[str, int]:",
        "async def get_stock(sku: str) -> dict[str, int]:",
        "a blocking SDK call stays inside async def and runs on the event loop",
        requirement="mixed-stock-thread",
    ),
    Mistake(
        LAB,
        "async",
        "answer-mixed",
        "stock = await run_in_threadpool(legacy_stock_lookup, sku)",
        "stock = legacy_stock_lookup(sku)",
        "the combined route calls the blocking SDK directly inside async def",
        requirement="mixed-item-thread",
    ),
    Mistake(
        LAB,
        "async",
        "answer-mixed",
        'async def get_price(sku: str) -> dict[str, str]:\n    """Current price, awaited on the event loop that owns'
        ' the client."""\n    try:\n        return {"price": str(await price_client.get_price(sku))}',
        'def get_price(sku: str) -> dict[str, str]:\n    """Current price."""\n    try:\n'
        '        return {"price": str(asyncio.run(price_client.get_price(sku)))}',
        "the price route stays a def that drives the async client with asyncio.run",
        requirement="mixed-price-loop",
    ),
    Mistake(
        LAB,
        "async",
        "answer-mixed",
        '    except UnknownSku:\n        raise unknown(sku) from None\n\n\n@inventory_app.get("/inventory/{sku}/price"',
        '    except KeyError:\n        raise unknown(sku) from None\n\n\n@inventory_app.get("/inventory/{sku}/price"',
        "the stock route catches KeyError, which the SDK's UnknownSku is not, so an unknown SKU is a 500",
        requirement="mixed-unknown-sku",
    ),
]

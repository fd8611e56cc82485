"""Outside checks for lab 01.

Verified over HTTP: every route task (list, pagination, get, create, replace, update,
delete, the v2 representation) and the published OpenAPI contract. Not verified from
outside: the two model tasks (``models-product-schemas``, ``models-envelope``), which test
Python classes rather than HTTP behaviour; they are graded in the kernel only.

As in the lab's test cells, route tasks are served from a fresh app holding only the
learner's ``router``; the v2 and OpenAPI tasks use the learner's ``app``.
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
def _router_app(router):
    from fastapi import FastAPI
    app = FastAPI()
    app.include_router(router)
    return app
"""
TARGETS = {"router": "_router_app(router)", "app": "app"}
UNVERIFIED = ("models-product-schemas", "models-envelope")
BASE = "/api/v1/products"


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _create(client: Any, name: str = "Outside", price: str = "2.50") -> dict[str, Any]:
    response = client.post(BASE, json={"name": name, "price": price})
    _expect(response.status_code == 201, f"POST {BASE} answered {response.status_code}, expected 201")
    return response.json()["data"]


def list_products(clients: dict[str, Any]) -> None:
    client = clients["router"]
    _create(client)
    body = client.get(BASE).json()
    _expect(body.get("status") == "success" and isinstance(body.get("data"), dict), f"GET {BASE} gave {body}")
    _expect(isinstance(body["data"].get("items"), list), "the page has no items list")
    _expect(body["data"].get("total", 0) >= 1, "total does not count the products")


def pagination(clients: dict[str, Any]) -> None:
    client = clients["router"]
    for index in range(3):
        _create(client, f"Paged {index}")
    page = client.get(BASE, params={"limit": 2, "offset": 1}).json()["data"]
    _expect(len(page["items"]) == 2 and page["limit"] == 2 and page["offset"] == 1, f"limit=2&offset=1 gave {page}")
    _expect(page["total"] >= 3, "total is the page size, not the collection size")
    _expect(client.get(BASE, params={"limit": 0}).status_code == 422, "limit=0 should be 422")
    _expect(client.get(BASE, params={"limit": 101}).status_code == 422, "limit=101 should be 422")


def get_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    created = _create(client, price="2.99")
    response = client.get(f"{BASE}/{created['id']}")
    _expect(
        response.status_code == 200 and response.json()["data"]["price"] == "2.99", f"GET gave {response.text[:120]}"
    )
    missing = client.get(f"{BASE}/999999")
    _expect(missing.status_code == 404 and "999999" in str(missing.json().get("detail")), "404 must name the id")
    _expect(client.get(f"{BASE}/abc").status_code == 422, "a non-integer id should be 422")


def create_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    response = client.post(BASE, json={"name": "Teapot", "price": "24.00", "stock": 5})
    _expect(response.status_code == 201, f"POST {BASE} answered {response.status_code}, expected 201")
    location = response.headers.get("location", "")
    _expect(location == f"{BASE}/{response.json()['data']['id']}", f"Location is {location!r}")
    _expect(client.get(location).json()["data"]["name"] == "Teapot", "Location does not lead to the product")
    _expect(client.post(BASE, json={"name": "No price"}).status_code == 422, "a product without price should be 422")


def replace_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    created = _create(client)
    response = client.put(f"{BASE}/{created['id']}", json={"name": "Renamed", "price": "5.00"})
    _expect(response.status_code == 200 and response.json()["data"]["name"] == "Renamed", "PUT did not replace")
    _expect(response.json()["data"]["stock"] == 0, "PUT kept fields that were left out")
    missing = client.put(f"{BASE}/777777", json={"name": "X", "price": "1.00"})
    _expect(missing.status_code == 404, f"PUT of a missing product answered {missing.status_code}, expected 404")


def update_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    created = _create(client, name="Patched")
    response = client.patch(f"{BASE}/{created['id']}", json={"stock": 40})
    data = response.json().get("data", {})
    _expect(
        response.status_code == 200 and data.get("stock") == 40 and data.get("name") == "Patched", f"PATCH gave {data}"
    )
    _expect(client.patch(f"{BASE}/555555", json={"stock": 1}).status_code == 404, "PATCH of a missing product: 404")
    _expect(client.patch(f"{BASE}/{created['id']}", json={"price": "-1"}).status_code == 422, "a negative price: 422")


def delete_product(clients: dict[str, Any]) -> None:
    client = clients["router"]
    created = _create(client)
    response = client.delete(f"{BASE}/{created['id']}")
    _expect(response.status_code == 204 and response.content == b"", f"DELETE answered {response.status_code}")
    _expect(client.get(f"{BASE}/{created['id']}").status_code == 404, "the deleted product is still there")
    _expect(client.delete(f"{BASE}/{created['id']}").status_code == 404, "deleting twice should be 404")


def v2_representation(clients: dict[str, Any]) -> None:
    client = clients["app"]
    created = _create(client, price="3.99")
    v2 = client.get(f"/api/v2/products/{created['id']}")
    _expect(v2.status_code == 200, f"GET /api/v2/products/{{id}} answered {v2.status_code}, expected 200")
    _expect(v2.json()["data"]["price"] == {"amount": 399, "currency": "EUR"}, f"v2 price is {v2.json()['data']}")
    v1 = client.get(f"{BASE}/{created['id']}")
    _expect(v1.status_code == 200 and v1.json()["data"]["price"] == "3.99", "v1 lost its representation")


def openapi_contract(clients: dict[str, Any]) -> None:
    spec = clients["app"].get("/openapi.json").json()
    item = spec["paths"].get(f"{BASE}/{{product_id}}", {})
    collection = spec["paths"].get(BASE, {})
    _expect("201" in collection.get("post", {}).get("responses", {}), "POST does not document 201")
    _expect("204" in item.get("delete", {}).get("responses", {}), "DELETE does not document 204")
    for method in ("get", "put", "patch", "delete"):
        _expect("404" in item.get(method, {}).get("responses", {}), f"{method.upper()} does not document 404")


CHECKS = {
    "status-codes-list-products": list_products,
    "models-pagination": pagination,
    "status-codes-get-product": get_product,
    "status-codes-create-product": create_product,
    "status-codes-replace-product": replace_product,
    "status-codes-update-product": update_product,
    "status-codes-delete-product": delete_product,
    "models-v2-representation": v2_representation,
    "openapi-contract": openapi_contract,
}

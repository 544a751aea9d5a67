"""The business directory: coordinates, the verified mark only tenant admins set, and search by words
in the name, city, address or description."""
from conftest import problem
from test_catalog import setup_catalog


def test_directory_verified_flag_coordinates_and_search(server):
    s = server
    owner, seller, buyer, biz = setup_catalog(s)
    r = s.api("POST", "/businesses", owner, json={"name": "Ліки Захід", "type": "wholesaler", "city": "Львів", "latitude": 49.8397,
                                                 "longitude": 24.0297, "description": "Оптовий склад ліків і вітамінів"})
    assert r.status_code == 201, r.text
    west = r.json()
    assert (west["latitude"], west["longitude"], west["verified"]) == (49.8397, 24.0297, False)
    for body, field in (({"latitude": 91, "longitude": 0}, "latitude"), ({"latitude": 10}, "latitude"),
                        ({"latitude": 1, "longitude": 181}, "longitude"), ({"verified": True}, "verified")):
        p = problem(s.api("PATCH", f"/businesses/{west['id']}", owner, json=body), 400)
        assert field in {e["field"] for e in p.get("errors", [])}, p
    assert s.api("GET", f"/businesses/{west['id']}", buyer).json()["latitude"] == 49.8397

    # Only tenant admins verify; it is audited and filterable.
    problem(s.api("PUT", f"/businesses/{biz['id']}/verification", seller, json={"verified": True}), 403, "forbidden")
    problem(s.api("PUT", f"/businesses/{west['id']}/verification", owner, json={"verified": "yes"}), 400)
    r = s.api("PUT", f"/businesses/{west['id']}/verification", owner, json={"verified": True})
    assert r.status_code == 200 and r.json()["verified"] is True
    assert [b["id"] for b in s.api("GET", "/businesses?verified=true", buyer).json()["items"]] == [west["id"]]
    assert west["id"] not in [b["id"] for b in s.api("GET", "/businesses?verified=false", buyer).json()["items"]]
    problem(s.api("GET", "/businesses?verified=maybe", buyer), 400)

    # Search: every word, folded, in the name, city, address or description.
    assert [b["id"] for b in s.api("GET", "/businesses", buyer, params={"q": "склад ВІТАМІНІВ"}).json()["items"]] == [west["id"]]
    assert [b["id"] for b in s.api("GET", "/businesses", buyer, params={"q": "львів"}).json()["items"]] == [west["id"]]
    assert s.api("GET", "/businesses", buyer, params={"q": "склад Kyiv"}).json()["items"] == []

"""Product images and business logos: kept in the blob store, served with their type, ETag,
cache headers and Range, refused when they are not the picture they claim, deleted with their owner."""
import base64
import hashlib

from conftest import problem

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + b"\x00\x10JFIF" + bytes(200) + bytes([0xFF, 0xD9])


def test_product_image_and_business_logo(server):
    admin = server.admin_token()
    server.create_tenant("pics", owner_email="o@pics.test", token=admin)
    owner = server.login("o@pics.test", "owner-password-1", tenant="pics")
    biz = server.api("POST", "/businesses", owner, json={"name": "Pics", "type": "supplier", "city": "Kyiv"}).json()
    product = server.api("POST", f"/businesses/{biz['id']}/products", owner, json={
        "sku": "P-1", "name": "Pictured", "currency": "UAH", "price": "1.00", "status": "published"}).json()
    path = f"/products/{product['id']}/image"
    problem(server.api("GET", path, owner), 404, "not_found")

    put = server.api("PUT", path, owner, data=PNG, headers={"Content-Type": "image/png"})
    assert put.status_code == 200, put.text
    assert put.json()["content_type"] == "image/png" and put.json()["size"] == len(PNG) and "blob" not in put.json()
    got = server.api("GET", path, owner)
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["Content-Type"] == "image/png" and got.headers["ETag"] == f'"{hashlib.md5(PNG).hexdigest()}"'
    assert "private" in got.headers["Cache-Control"] and got.headers["Accept-Ranges"] == "bytes"
    assert server.api("GET", path, owner, headers={"If-None-Match": got.headers["ETag"]}).status_code == 304
    part = server.api("GET", path, owner, headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == PNG[:8] and part.headers["Content-Range"] == f"bytes 0-7/{len(PNG)}"
    assert server.api("GET", path, owner, headers={"Range": "bytes=9999-"}).status_code == 416

    # A file that is not what its Content-Type says, a type we do not serve, an oversized one.
    problem(server.api("PUT", path, owner, data=b"<script>alert(1)</script>", headers={"Content-Type": "image/png"}), 415)
    problem(server.api("PUT", path, owner, data=PNG, headers={"Content-Type": "image/svg+xml"}), 415)
    problem(server.api("PUT", path, owner, data=JPEG + bytes(11 << 20), headers={"Content-Type": "image/jpeg"}), 413)
    assert server.api("GET", path, owner).content == PNG, "a refused upload replaced the image"

    # Replacing keeps one file; a plain member of another business cannot change it.
    assert server.api("PUT", path, owner, data=JPEG, headers={"Content-Type": "image/jpeg"}).status_code == 200
    assert server.api("GET", path, owner).headers["Content-Type"] == "image/jpeg"
    blob_files = lambda: [p for p in (server.data / "blobs").rglob("objects/*/*") if p.is_file()]
    assert len(blob_files()) == 1
    server.api("POST", "/users", owner, json={"email": "m@pics.test", "name": "M", "password": "member-pass-1"})
    member = server.login("m@pics.test", "member-pass-1", tenant="pics")
    problem(server.api("PUT", path, member, data=PNG, headers={"Content-Type": "image/png"}), 403)
    assert server.api("GET", path, member).status_code == 200  # published: every member sees it

    logo = f"/businesses/{biz['id']}/logo"
    assert server.api("PUT", logo, owner, data=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    assert server.api("GET", logo, member).content == PNG
    problem(server.api("DELETE", logo, member), 403)
    assert server.api("DELETE", logo, owner).status_code == 204
    problem(server.api("GET", logo, owner), 404)

    # Deleting the product deletes its image and the file.
    assert server.api("DELETE", f"/products/{product['id']}", owner).status_code == 204
    problem(server.api("GET", path, owner), 404)
    assert blob_files() == []

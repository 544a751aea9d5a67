/// `/me` and the session check are the requests the web app makes most; encoding this through
/// `Encodable` was an eighth of a `/me` request's CPU.
extension MeResponse: DirectJSON {
    /// Members in byte order of their snake_case keys, as `JSONCoding.encoder` sorts them.
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.string("csrf_token", csrfToken, &out)
        o.string("email", email, &out)
        o.string("id", id, &out)
        o.string("kind", kind, &out)
        o.string("locale", locale, &out)
        o.string("name", name, &out)
        o.strings("permissions", permissions, &out)
        o.string("role", role, &out)
        o.strings("scopes", scopes, &out)
        o.object("tenant", tenant, &out)
        o.string("user_kind", userKind, &out)
        o.close(&out)
    }
}

extension MeResponse.TenantRef: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.string("id", id, &out)
        o.string("name", name, &out)
        o.string("slug", slug, &out)
        o.close(&out)
    }
}

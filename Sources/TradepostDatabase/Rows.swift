import Foundation
import GRDB
import TradepostCore

/// Row → domain value mappings, one place per table (the schema is here; every target that reads
/// these tables decodes them the same way).
extension User {
    package init(row: Row) {
        self.init(
            id: row["id"], email: row["email"], name: row["name"],
            role: TenantRole(rawValue: row["role"]) ?? .member, kind: UserKind(rawValue: row["kind"]) ?? .member,
            disabled: row["disabled"], locale: row["locale"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            lastLoginAt: row["last_login_at"])
    }
}

extension Business {
    public init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], type: BusinessType(rawValue: row["type"]) ?? .supplier, city: row["city"],
            address: row["address"], phone: row["phone"], email: row["email"], website: row["website"],
            description: row["description"], verified: row["verified"], latitude: row["latitude"], longitude: row["longitude"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}

extension BusinessMember {
    package init(row: Row) {
        self.init(
            businessId: row["business_id"], userId: row["user_id"], role: BusinessRole(rawValue: row["role"]) ?? .staff,
            name: row["name"], email: row["email"], createdAt: row["created_at"])
    }
}

extension PlatformAdmin {
    package init(row: Row) {
        self.init(
            id: row["id"], email: row["email"], name: row["name"], disabled: row["disabled"], createdAt: row["created_at"],
            lastLoginAt: row["last_login_at"])
    }
}

/// A LIKE pattern for `fold(column) LIKE ? ESCAPE '\'`: folded, with `%`, `_` and `\` escaped.
package func likePattern(_ text: String) -> String {
    var out = "%"
    for character in DatabaseOpener.folded(text) {
        if character == "%" || character == "_" || character == "\\" { out.append("\\") }
        out.append(character)
    }
    return out + "%"
}

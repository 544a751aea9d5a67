/// A small vocabulary for JSON Schema 2020-12 (what OpenAPI 3.1 uses), so the document reads like the types.
enum Schema {
    static func string(_ description: String? = nil, format: String? = nil, values: [String]? = nil,
                       minLength: Int? = nil, maxLength: Int? = nil, example: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "string")]
        if let format { out.append(("format", .string(format))) }
        if let values { out.append(("enum", .array(values.map { .string($0) }))) }
        if let minLength { out.append(("minLength", .number(Double(minLength)))) }
        if let maxLength { out.append(("maxLength", .number(Double(maxLength)))) }
        if let description { out.append(("description", .string(description))) }
        if let example { out.append(("examples", [.string(example)])) }
        return .object(out)
    }

    static func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ description: String? = nil) -> JSONValue
    where E.RawValue == String {
        string(description, values: type.allCases.map(\.rawValue))
    }

    static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "integer")]
        if let minimum { out.append(("minimum", .number(Double(minimum)))) }
        if let maximum { out.append(("maximum", .number(Double(maximum)))) }
        if let description { out.append(("description", .string(description))) }
        return .object(out)
    }

    static func boolean(_ description: String? = nil) -> JSONValue {
        description.map { .object([("type", "boolean"), ("description", .string($0))]) } ?? .object([("type", "boolean")])
    }

    static let dateTime = string(format: "date-time")
    static let id = string("A 26-character time-ordered id", minLength: 26, maxLength: 26)

    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "array"), ("items", items)]
        if let description { out.append(("description", .string(description))) }
        return .object(out)
    }

    /// `value` or null.
    static func nullable(_ value: JSONValue) -> JSONValue { .object([("anyOf", [value, .object([("type", "null")])])]) }

    /// An object that rejects unknown properties (the API refuses unknown request fields).
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], closed: Bool = true,
                       description: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { out.append(("required", .array(required.map { .string($0) }))) }
        if closed { out.append(("additionalProperties", false)) }
        if let description { out.append(("description", .string(description))) }
        return .object(out)
    }

    /// The shape of every list: `items` and the `next_cursor` to pass back (null on the last page).
    static func list(of item: String) -> JSONValue {
        object([("items", array(ref(item))), ("next_cursor", nullable(string("Pass as ?cursor= to get the next page")))],
               required: ["items", "next_cursor"], closed: false)
    }
}

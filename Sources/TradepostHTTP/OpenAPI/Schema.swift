/// A small vocabulary for JSON Schema 2020-12 (what OpenAPI 3.1 uses), so the document reads like the types.
enum Schema {
    static func string(_ description: String? = nil, format: String? = nil, values: [String]? = nil,
                       minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, example: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "string")]
        if let format { out.append(("format", .string(format))) }
        if let values { out.append(("enum", .array(values.map { .string($0) }))) }
        if let minLength { out.append(("minLength", .number(Double(minLength)))) }
        if let maxLength { out.append(("maxLength", .number(Double(maxLength)))) }
        if let pattern { out.append(("pattern", .string(pattern))) }
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

    /// Text a person types on one line (a name, a city): not empty, no control characters.
    /// Services also trim surrounding spaces and refuse what is left blank.
    static func line(_ description: String? = nil, minLength: Int = 1, maxLength: Int, format: String? = nil) -> JSONValue {
        string(description, format: format, minLength: minLength, maxLength: maxLength, pattern: Patterns.line)
    }

    /// Text that may run over several lines (a description, a reason): tabs and line breaks allowed.
    static func text(_ description: String? = nil, minLength: Int? = nil, maxLength: Int) -> JSONValue {
        string(description, minLength: minLength, maxLength: maxLength, pattern: Patterns.text)
    }

    static let dateTime = string(format: "date-time")
    static let id = string("A 26-character time-ordered id", pattern: Patterns.id)

    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func array(_ items: JSONValue, _ description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "array"), ("items", items)]
        if let minItems { out.append(("minItems", .number(Double(minItems)))) }
        if let maxItems { out.append(("maxItems", .number(Double(maxItems)))) }
        if let description { out.append(("description", .string(description))) }
        return .object(out)
    }

    /// `value` or null.
    static func nullable(_ value: JSONValue) -> JSONValue { .object([("anyOf", [value, .object([("type", "null")])])]) }

    /// An object that rejects unknown properties (the API refuses unknown request fields).
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], closed: Bool = true,
                       dependentRequired: [String: [String]] = [:], exactlyOne: [String] = [], description: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { out.append(("required", .array(required.map { .string($0) }))) }
        if !dependentRequired.isEmpty {
            out.append(("dependentRequired", .object(dependentRequired.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })))
        }
        if closed { out.append(("additionalProperties", false)) }
        if !exactlyOne.isEmpty {
            // One of these and no other: each branch requires its key and forbids the rest.
            out.append(("oneOf", .array(exactlyOne.map { key in
                .object([("required", [.string(key)]),
                         ("not", .object([("anyOf", .array(exactlyOne.filter { $0 != key }.map { .object([("required", [.string($0)])]) }))]))])
            })))
        }
        if let description { out.append(("description", .string(description))) }
        return .object(out)
    }

    /// The shape of every list: `items` and the `next_cursor` to pass back (null on the last page).
    static func list(of item: String) -> JSONValue {
        object([("items", array(ref(item))), ("next_cursor", nullable(string("Pass as ?cursor= to get the next page")))],
               required: ["items", "next_cursor"], closed: false)
    }
}

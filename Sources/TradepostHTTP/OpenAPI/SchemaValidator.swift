import Foundation
import TradepostCore

/// Checks a request's JSON against the schema the OpenAPI document gives for it, so the document
/// and the server cannot disagree on what is accepted: what the schema forbids is refused here,
/// with every bad field named, before a route decodes the body.
///
/// It knows the JSON Schema 2020-12 keywords the document uses: `type`, `enum`, `const`,
/// `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `properties`, `required`,
/// `additionalProperties`, `maxProperties`, `dependentRequired`, `items`, `minItems`, `maxItems`,
/// `anyOf`, `oneOf`, `not` and `$ref` to `#/components/schemas/…`; a test checks that the document
/// uses no other. `format` is an annotation, as the standard has it by
/// default; the services check what a format means (an email address, a date).
struct SchemaValidator: Sendable {
    let components: [String: JSONValue]

    init(components: [(String, JSONValue)]) {
        self.components = Dictionary(components, uniquingKeysWith: { first, _ in first })
    }

    /// Every way `value` breaks `schema`; empty when it does not. `path` names the value ("body" at the top).
    func errors(_ value: JSONValue, against schema: JSONValue, at path: String = "") -> [AppError.FieldError] {
        if let ref = schema["$ref"], case .string(let pointer) = ref {
            guard let target = components[String(pointer.split(separator: "/").last ?? "")] else { return [] }
            return errors(value, against: target, at: path)
        }
        if case .array(let options) = schema["anyOf"] ?? .null {
            return anyOf(value, options, at: path)
        }
        if case .array(let options) = schema["oneOf"] ?? .null {
            let matching = options.filter { errors(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { return [oneOfError(options, matching: matching, at: path)] }
        }
        if let forbidden = schema["not"], errors(value, against: forbidden, at: path).isEmpty {
            return [.init(name(path), "is not allowed")]
        }
        if case .string(let type) = schema["type"] ?? .null, let problem = typeProblem(value, type) {
            return [.init(name(path), problem)]
        }
        if let allowed = schema["enum"], case .array(let values) = allowed, !values.contains(value) {
            return [.init(name(path), "must be one of: " + values.map(Self.plain).joined(separator: ", "))]
        }
        if let constant = schema["const"], constant != value {
            return [.init(name(path), "must be \(Self.plain(constant))")]
        }
        switch value {
        case .string(let text): return stringErrors(text, schema, at: path)
        case .number(let number): return numberErrors(number, schema, at: path)
        case .array(let items): return arrayErrors(items, schema, at: path)
        case .object(let pairs): return objectErrors(pairs, schema, at: path)
        case .bool, .null: return []
        }
    }

    private func anyOf(_ value: JSONValue, _ options: [JSONValue], at path: String) -> [AppError.FieldError] {
        var best: [AppError.FieldError]?
        for option in options {
            let found = errors(value, against: option, at: path)
            if found.isEmpty { return [] }
            // A nullable value: report what is wrong with the value, not that it is not null.
            if option["type"] == .string("null") { continue }
            if best == nil || found.count < best!.count { best = found }
        }
        return best ?? [.init(name(path), value == .null ? "must not be null" : "is not allowed")]
    }

    /// `oneOf` branches that each require one key (what `Schema.object(exactlyOne:)` writes) read as
    /// "give exactly one of a, b", named by the first key; other shapes get a general sentence.
    private func oneOfError(_ options: [JSONValue], matching: Int, at path: String) -> AppError.FieldError {
        let keys: [String] = options.compactMap {
            if case .array(let required) = $0["required"] ?? .null, required.count == 1, case .string(let key) = required[0] { key } else { nil }
        }
        if keys.count == options.count, let first = keys.first {
            return .init(join(path, first), "give exactly one of \(keys.joined(separator: ", "))")
        }
        return .init(name(path), matching == 0 ? "matches none of the allowed shapes" : "matches more than one allowed shape")
    }

    private func typeProblem(_ value: JSONValue, _ type: String) -> String? {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("number", .number), ("array", .array), ("object", .object), ("null", .null):
            return nil
        case ("integer", .number(let n)) where n.rounded() == n && abs(n) < 9.007e15:
            return nil
        case (_, .null):
            return "must not be null"
        default:
            let words = ["string": "a string", "boolean": "true or false", "integer": "an integer", "number": "a number",
                         "array": "an array", "object": "an object", "null": "null"]
            return "must be \(words[type] ?? type)"
        }
    }

    private func stringErrors(_ text: String, _ schema: JSONValue, at path: String) -> [AppError.FieldError] {
        let length = text.unicodeScalars.count
        if let min = schema.int("minLength"), length < min {
            return [.init(name(path), min == 1 ? "must not be empty" : "must be at least \(min) characters")]
        }
        if let max = schema.int("maxLength"), length > max { return [.init(name(path), "must be at most \(max) characters")] }
        if case .string(let pattern) = schema["pattern"] ?? .null, !Patterns.matches(pattern, text) {
            return [.init(name(path), Patterns.explain(pattern))]
        }
        return []
    }

    private func numberErrors(_ number: Double, _ schema: JSONValue, at path: String) -> [AppError.FieldError] {
        if let min = schema.number("minimum"), number < min { return [.init(name(path), "must be at least \(Self.plain(.number(min)))")] }
        if let max = schema.number("maximum"), number > max { return [.init(name(path), "must be at most \(Self.plain(.number(max)))")] }
        return []
    }

    private func arrayErrors(_ items: [JSONValue], _ schema: JSONValue, at path: String) -> [AppError.FieldError] {
        if let min = schema.int("minItems"), items.count < min {
            return [.init(name(path), min == 1 ? "must not be empty" : "must have at least \(min) items")]
        }
        if let max = schema.int("maxItems"), items.count > max { return [.init(name(path), "must have at most \(max) items")] }
        guard let itemSchema = schema["items"] else { return [] }
        return items.enumerated().flatMap { errors($1, against: itemSchema, at: "\(path)[\($0)]") }
    }

    private func objectErrors(_ pairs: [(String, JSONValue)], _ schema: JSONValue, at path: String) -> [AppError.FieldError] {
        var found: [AppError.FieldError] = []
        let properties: [(String, JSONValue)] = if case .object(let p) = schema["properties"] ?? .null { p } else { [] }
        let present = Set(pairs.map(\.0))
        if let max = schema.int("maxProperties"), pairs.count > max { found.append(.init(name(path), "may hold at most \(max) entries")) }
        if case .array(let required) = schema["required"] ?? .null {
            for case .string(let key) in required where !present.contains(key) { found.append(.init(join(path, key), "is required")) }
        }
        if case .object(let dependencies) = schema["dependentRequired"] ?? .null {
            for (key, needs) in dependencies where present.contains(key) {
                guard case .array(let others) = needs else { continue }
                for case .string(let other) in others where !present.contains(other) {
                    found.append(.init(join(path, key), "must be given together with \(other)"))
                }
            }
        }
        for (key, value) in pairs.sorted(by: { $0.0 < $1.0 }) {
            if let property = properties.first(where: { $0.0 == key })?.1 {
                found += errors(value, against: property, at: join(path, key))
            } else if schema["additionalProperties"] == .bool(false) {
                found.append(.init(join(path, key), "is not a known field"))
            } else if let extra = schema["additionalProperties"], case .object = extra {
                found += errors(value, against: extra, at: join(path, key))
            }
        }
        return found
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    private func name(_ path: String) -> String { path.isEmpty ? "body" : path }

    /// A value as a message shows it: strings bare, whole numbers without ".0".
    static func plain(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return String(decoding: value.serialized(), as: UTF8.self)
    }
}

extension JSONValue {
    func int(_ key: String) -> Int? { number(key).map { Int($0) } }
    func number(_ key: String) -> Double? { if case .number(let n) = self[key] ?? .null { n } else { nil } }
}

/// The text patterns the document uses, compiled once. Each has a sentence for the client.
enum Patterns {
    /// One line of text: no control characters (C0, DEL, C1), as `Validator.text` refuses them.
    static let line = "^[^\\x00-\\x1F\\x7F-\\x9F]*$"
    /// Text that may run over lines: tabs and line breaks, no other control characters.
    static let text = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"

    static func matches(_ pattern: String, _ text: String) -> Bool {
        switch pattern {
        case line: return !text.containsControlCharacter
        case Patterns.text: return !text.containsControlCharacterBesidesLineBreaks
        case id: return Identifier.isValid(text)
        case slug:  // the pattern's shape, whatever the length (maxLength says that)
            let u = Array(text.utf8)
            return u.first.map { (97...122).contains($0) } == true && u.last != 45 && !text.contains("--")
                && u.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
        case phone: return text.utf8.allSatisfy { (48...57).contains($0) || $0 == 32 || $0 == 43 || $0 == 40 || $0 == 41 || $0 == 45 }
        default: return (try? Regex(pattern).firstMatch(in: text)) != nil  // JSON Schema patterns search; anchors are explicit
        }
    }

    static let phone = "^[0-9 +()-]*$"
    static let slug = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
    static let id = "^[0-9a-hjkmnp-tv-z]{26}$"

    static func explain(_ pattern: String) -> String {
        switch pattern {
        case line: "must not contain control characters (line breaks and tabs included)"
        case text: "must not contain control characters other than tabs and line breaks"
        case phone: "may hold only digits, spaces and + - ( )"
        case slug: "must be lowercase letters, digits or single hyphens, starting with a letter"
        case id: "is not a valid id"
        default: "does not have the expected form"
        }
    }
}

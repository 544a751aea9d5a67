/// Builds S3's XML responses. Text is escaped; names are ours and never need it.
public struct XMLWriter: Sendable {
    public private(set) var document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"

    public init() {}

    public mutating func open(_ name: String, xmlns: Bool = false) {
        document += xmlns ? #"<\#(name) xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"# : "<\(name)>"
    }

    public mutating func close(_ name: String) { document += "</\(name)>" }

    public mutating func element(_ name: String, _ text: String) {
        document += "<\(name)>" + Self.escape(text) + "</\(name)>"
    }

    /// Text directly inside the open element.
    public mutating func text(_ text: String) { document += Self.escape(text) }

    public mutating func element(_ name: String, _ value: Int64) { element(name, String(value)) }

    public mutating func optional(_ name: String, _ text: String?) {
        if let text { element(name, text) }
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default:
                // Control characters (allowed in keys) cannot appear raw in XML 1.0.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += "&#\(scalar.value);"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

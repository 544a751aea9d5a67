import Foundation

/// What a stock count file did (or, for a dry run, would do) to one warehouse: each row is a SKU
/// and what was counted on the shelf. The catalog import's rules: the same encodings, delimiters and
/// headers; a dry run reports every bad row; an apply writes only when no row failed.
public struct StockCountReport: Codable, Sendable, Equatable {
    public var encoding: CSVReader.Encoding
    public var delimiter: String
    public var rows = 0
    /// Levels whose on-hand figure the count changes (one adjustment each).
    public var changed = 0
    public var unchanged = 0
    public var failed = 0
    public var issues: [ImportIssue] = []
    public var ignoredColumns: [String] = []
    public var applied = false
    /// The count's id: every adjustment it wrote names it as its document.
    public var countId: String?

    public init(encoding: CSVReader.Encoding, delimiter: String) {
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

import Foundation

/// How to read a price list and what new products become.
public struct ImportOptions: Codable, Sendable, Equatable {
    /// Forced encoding; detected when nil.
    public var encoding: CSVReader.Encoding?
    /// Forced delimiter (";", "," or "\t"); detected when nil.
    public var delimiter: String?
    /// Currency of rows without a currency column.
    public var currency: String
    /// Status of new products without a status column: published (waits for review when the tenant
    /// requires it) or draft.
    public var status: ProductStatus

    public init(encoding: CSVReader.Encoding? = nil, delimiter: String? = nil, currency: String = "UAH", status: ProductStatus = .published) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.currency = currency
        self.status = status
    }

    /// Throws `.invalid` for an unknown delimiter, currency or status.
    public func validated() throws -> ImportOptions {
        var v = Validator()
        var out = self
        if let delimiter, delimiter != ";" && delimiter != "," && delimiter != "\t" { v.fail("delimiter", "must be ; , or a tab") }
        out.currency = currency.uppercased()
        if !Money.isCurrency(out.currency) { v.fail("currency", "must be a 3-letter ISO 4217 code such as UAH or EUR") }
        if status != .published && status != .draft { v.fail("status", "must be published or draft") }
        try v.check()
        return out
    }

    public var delimiterByte: UInt8? { delimiter.flatMap { $0.utf8.first } }

    /// The delimiter a user names: ";", "," or a tab ("tab", "\\t" or the character); nil for others.
    public static func delimiter(named name: String) -> String? {
        switch name {
        case ";", ",": name
        case "tab", "\\t", "\t": "\t"
        default: nil
        }
    }
}

/// One problem on one line of a price list.
public struct ImportIssue: Codable, Sendable, Equatable {
    public var line: Int
    public var sku: String?
    public var field: String?
    public var message: String
    public init(line: Int, sku: String?, field: String?, message: String) {
        self.line = line
        self.sku = sku
        self.field = field
        self.message = message
    }
}

/// What an import did (or, for a dry run, would do), row by row for the errors.
public struct ImportReport: Codable, Sendable, Equatable {
    public static let maxIssues = 1000

    public var encoding: CSVReader.Encoding
    public var delimiter: String
    public var rows = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Rows with at least one error; the first `maxIssues` issues are listed.
    public var failed = 0
    public var issues: [ImportIssue] = []
    /// Header columns Tradepost does not know; their cells were skipped.
    public var ignoredColumns: [String] = []
    /// Whether the changes were written: only an apply without a single failed row writes anything.
    public var applied = false

    public init(encoding: CSVReader.Encoding, delimiter: String) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    public mutating func fail(line: Int, sku: String?, field: String?, _ message: String) {
        if issues.count < Self.maxIssues { issues.append(ImportIssue(line: line, sku: sku, field: field, message: message)) }
    }
}

/// Progress of a running import, for the CLI and the web app.
public struct ImportProgress: Codable, Sendable, Equatable {
    public var rows: Int
    public var bytesRead: Int64
    public var bytesTotal: Int64
    public init(rows: Int, bytesRead: Int64, bytesTotal: Int64) {
        self.rows = rows
        self.bytesRead = bytesRead
        self.bytesTotal = bytesTotal
    }
}

public enum ImportState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed
}

/// An uploaded price list and what happened to it. `succeeded` means the run finished: for a dry run,
/// the report is ready (it may list errors); for an apply, the rows were written.
public struct CatalogImport: Codable, Sendable, Equatable {
    public var id: String
    public var businessId: String
    public var fileName: String
    public var fileBytes: Int64
    public var dryRun: Bool
    public var options: ImportOptions
    public var state: ImportState
    public var progress: ImportProgress?
    public var report: ImportReport?
    /// Why a run could not finish (an unreadable file, a header without SKU…).
    public var error: String?
    public var createdBy: String
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: String, businessId: String, fileName: String, fileBytes: Int64, dryRun: Bool, options: ImportOptions, state: ImportState,
        progress: ImportProgress? = nil, report: ImportReport? = nil, error: String? = nil, createdBy: String, createdAt: Date,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.businessId = businessId
        self.fileName = fileName
        self.fileBytes = fileBytes
        self.dryRun = dryRun
        self.options = options
        self.state = state
        self.progress = progress
        self.report = report
        self.error = error
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

public protocol CatalogImportService: Sendable {
    /// Reads the price list at `path` and, unless `dryRun`, applies it in one transaction: every row or
    /// none. `progress` is called every few thousand rows. Throws `.invalid` (unreadable file, unusable
    /// header, bad options), `.notFound` (business). Row errors are in the report, not thrown.
    func run(_ tenant: TenantID, businessID: String, path: String, dryRun: Bool, options: ImportOptions, audit: AuditContext,
             progress: @escaping @Sendable (ImportProgress) -> Void) async throws -> ImportReport

    /// A new path for an upload, on the same file system as the stored imports (so `submit` renames it).
    func uploadPath(_ tenant: TenantID) throws -> String

    /// The caller's tenant, when they may import into and export `businessID`'s catalog (its members,
    /// tenant admins): the check made before an upload or an export streams. `submit` and `export`
    /// check again inside their own transactions. Throws `.notFound` (business), `.forbidden`.
    func requireManage(_ caller: Caller, businessID: String) async throws -> TenantID

    /// Records an uploaded file (already moved to `path`) and asks the jobs engine to run it.
    /// Throws `.invalid`, `.notFound` (business), `.forbidden`.
    func submit(_ caller: Caller, businessID: String, fileName: String, path: String, dryRun: Bool, options: ImportOptions) async throws -> CatalogImport

    /// A new apply of the file an earlier import uploaded. Throws `.notFound` (also someone else's import), `.conflict` (the file is gone).
    func apply(_ caller: Caller, importID: String) async throws -> CatalogImport

    /// Throws `.notFound` (also someone else's import: it is as good as absent).
    func catalogImport(_ caller: Caller, id: String) async throws -> CatalogImport

    /// The newest imports of a business. Throws `.notFound` (business), `.forbidden`.
    func imports(_ caller: Caller, businessID: String, limit: Int) async throws -> [CatalogImport]

    /// Runs a submitted import (the job calls this); a finished one is left as it is.
    func perform(_ tenant: TenantID, importID: String) async throws

    /// Writes the products of a business as CSV that `run` reads back, a page at a time.
    /// Throws `.notFound` (business), `.forbidden`.
    func export(_ caller: Caller, businessID: String, encoding: CSVReader.Encoding, delimiter: UInt8,
                write: ([UInt8]) async throws -> Void) async throws
}

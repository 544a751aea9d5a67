import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Import and export a business's price list (CSV).",
        subcommands: [Import.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert products by SKU from a CSV price list, or check it with --dry-run.",
            discussion: """
                The first line names the columns (English, Ukrainian or Russian: sku/артикул, name/назва, price/ціна, …; see the README). UTF-8 with or without BOM or Windows-1251, and ; , or tab are detected; decimal commas are fine. An apply writes every row or none: with one bad row nothing changes and the report lists every error by line. Applying the same file again changes nothing. Exit status 1 when a row failed. Safe while the server runs; it picks up the change and re-indexes search.

                Examples:
                  tradepost catalog import prices.csv --tenant acme --business 01J0… --dry-run
                  tradepost catalog import prices.csv --tenant acme \\
                      --business "Pharma Plus" --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Business id or exact name.") var business: String
        @Flag(help: "Check every row and report; change nothing.") var dryRun = false
        @Option(help: "utf-8 or windows-1251 (detected when not given).") var encoding: String?
        @Option(help: "; , or tab (detected when not given).") var delimiter: String?
        @Option(help: "Currency of rows without a currency column.") var currency = "UAH"
        @Option(help: "Status of new products without a status column: published or draft.") var status = "published"

        func run() async throws {
            try await runCommand {
                guard FileManager.default.isReadableFile(atPath: file) else {
                    throw CLIError("cannot read \(file)", hint: "pass the path of a CSV file")
                }
                var options = ImportOptions(currency: currency)
                if let encoding {
                    guard let e = CSVReader.Encoding(rawValue: encoding.lowercased()) else {
                        throw CLIError("unknown encoding \(encoding)", hint: "use utf-8 or windows-1251")
                    }
                    options.encoding = e
                }
                if let delimiter {
                    guard let d = ImportOptions.delimiter(named: delimiter) else {
                        throw CLIError("unknown delimiter \(delimiter)", hint: "use ; , or tab")
                    }
                    options.delimiter = d
                }
                guard let s = ProductStatus(rawValue: status) else { throw CLIError("unknown status \(status)", hint: "use published or draft") }
                options.status = s
                let quiet = global.json
                let started = Date()
                let report = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let businessID = try await resolveBusiness(store, tenant.id, business)
                    return try await store.catalogImports.run(
                        tenant.id, businessID: businessID, path: file, dryRun: dryRun, options: options, audit: .cli
                    ) { p in
                        guard !quiet else { return }
                        let percent = p.bytesTotal > 0 ? Int(p.bytesRead * 100 / p.bytesTotal) : 0
                        FileHandle.standardError.write(Data("\r\(dryRun ? "checking" : "importing"): \(p.rows) rows (\(percent)%)".utf8))
                    }
                }
                if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
                if global.json {
                    try Output.json(report)
                } else {
                    Self.print(report, dryRun: dryRun, seconds: Date().timeIntervalSince(started))
                }
                if report.failed > 0 { throw ExitCode(1) }
            }
        }

        static func print(_ r: ImportReport, dryRun: Bool, seconds: Double) {
            let verb = dryRun ? "would be" : (r.applied ? "were" : "would have been")
            Output.line("\(r.rows) rows read (\(r.encoding.rawValue), delimiter \(r.delimiter == "\t" ? "tab" : r.delimiter)) in \(String(format: "%.1f", seconds)) s")
            Output.line("\(r.created) \(verb) created, \(r.updated) updated, \(r.unchanged) unchanged, \(r.failed) rows failed")
            if !r.ignoredColumns.isEmpty { Output.line("ignored columns: \(r.ignoredColumns.joined(separator: ", "))") }
            if !r.issues.isEmpty {
                Output.table(["LINE", "SKU", "FIELD", "PROBLEM"], r.issues.map { [String($0.line), $0.sku ?? "", $0.field ?? "", $0.message] })
                if r.failed > r.issues.count { Output.line("(the first \(r.issues.count) problems are listed)") }
            }
            if !dryRun && !r.applied && r.failed > 0 { Output.line("Nothing was changed: fix the rows above and import again.") }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a business's products as CSV that `catalog import` reads back.",
            discussion: """
                Examples:
                  tradepost catalog export --tenant acme --business 01J0… --output prices.csv
                  tradepost catalog export --tenant acme --business "Pharma Plus" \\
                      --encoding windows-1251 --delimiter ";"
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Business id or exact name.") var business: String
        @Option(help: "File to write (default: standard output).") var output: String?
        @Option(help: "utf-8 (with BOM) or windows-1251.") var encoding = "utf-8"
        @Option(help: "; , or tab.") var delimiter = ","

        func run() async throws {
            try await runCommand {
                guard let e = CSVReader.Encoding(rawValue: encoding.lowercased()) else {
                    throw CLIError("unknown encoding \(encoding)", hint: "use utf-8 or windows-1251")
                }
                guard let d = ImportOptions.delimiter(named: delimiter) else {
                    throw CLIError("unknown delimiter \(delimiter)", hint: "use ; , or tab")
                }
                let handle: FileHandle
                if let output {
                    guard FileManager.default.createFile(atPath: output, contents: nil) else {
                        throw CLIError("cannot write \(output)", hint: "check the directory exists and is writable")
                    }
                    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
                } else {
                    handle = FileHandle.standardOutput
                }
                try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let businessID = try await resolveBusiness(store, tenant.id, business)
                    try await store.catalogImports.export(.system(tenant.id, audit: .cli), businessID: businessID, encoding: e, delimiter: d.utf8.first!) { bytes in
                        handle.write(Data(bytes))
                    }
                }
                if output != nil { try handle.close() }
            }
        }
    }
}

/// A business by id, or by its exact name when exactly one business has it.
func resolveBusiness(_ store: Store, _ tenant: TenantID, _ ref: String) async throws -> String {
    if let business = try? await store.businesses.business(.system(tenant, audit: .cli), id: ref) { return business.id }
    let page = try await store.businesses.businesses(.system(tenant, audit: .cli), PageRequest(limit: 100), filter: BusinessFilter(query: ref))
    let matches = page.items.filter { $0.name.caseInsensitiveCompare(ref) == .orderedSame }
    guard matches.count == 1 else {
        throw CLIError(matches.isEmpty ? "no business \"\(ref)\"" : "\(matches.count) businesses are called \"\(ref)\"",
                       hint: "pass the business id (see GET /api/v1/businesses)")
    }
    return matches[0].id
}

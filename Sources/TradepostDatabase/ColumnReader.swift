import Foundation
import GRDB

/// A result row read by column position: a GRDB `Row`, or a statement's current step itself.
/// The second skips `Row`: GRDB builds a dictionary of every column's lowercased name for each
/// statement row it makes, which cost more than the product read's SQL.
package protocol ColumnReader {
    func read<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ index: Int) throws -> Value
}

extension Row: ColumnReader {
    package func read<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ index: Int) throws -> Value {
        try decode(atIndex: index)
    }
}

/// The columns of the step a statement is on; valid until the statement steps again.
package struct StatementColumns: ColumnReader {
    let statement: Statement

    package func read<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ index: Int) throws -> Value {
        guard let value = Value.fromStatement(statement.sqliteStatement, atUncheckedIndex: CInt(index)) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH,
                                message: "column \(statement.columnNames[index]) does not hold a \(Value.self)", sql: statement.sql)
        }
        return value
    }

    /// Each row of `statement`, read by `body`. The statement is reset before; after, it has run
    /// to its end (or is reset on an error), so it holds no read snapshot open.
    package static func each(_ statement: Statement, arguments: StatementArguments, _ body: (StatementColumns) throws -> Void) throws {
        let steps = try Steps(statement, arguments: arguments)
        let columns = StatementColumns(statement: statement)
        do {
            while try steps.next() != nil { try body(columns) }
        } catch {
            try? statement.setArguments(arguments)  // resets it
            throw error
        }
    }

    /// The first row of `statement`, read by `body`.
    package static func first<T>(_ statement: Statement, arguments: StatementArguments, _ body: (StatementColumns) throws -> T) throws -> T? {
        let steps = try Steps(statement, arguments: arguments)
        guard try steps.next() != nil else { return nil }
        let value: T
        do { value = try body(StatementColumns(statement: statement)) } catch {
            try? statement.setArguments(arguments)
            throw error
        }
        // Step to the end (one cheap step after a lookup by key), or reset when more rows follow.
        if try steps.next() != nil { try statement.setArguments(arguments) }
        return value
    }

    /// Steps a statement without making a `Row` per step (GRDB's own cursor of that kind is internal).
    private final class Steps: DatabaseCursor {
        typealias Element = Void
        let _statement: Statement
        var _isDone = false

        init(_ statement: Statement, arguments: StatementArguments) throws {
            _statement = statement
            try statement.setArguments(arguments)  // resets and binds
        }

        func _element(sqliteStatement: SQLiteStatement) throws {}
    }
}

extension ColumnReader {
    /// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC) read without `Calendar`; any
    /// other form goes GRDB's way.
    package func date(_ index: Int) throws -> Date {
        if let text: String = try? read(index), let date = StoredDate.parse(text) { return date }
        return try read(index)
    }

    package func date(_ index: Int) throws -> Date? {
        guard let text: String? = try? read(index) else { return try read(index) }
        guard let text else { return nil }
        return try StoredDate.parse(text) ?? read(index)
    }
}

/// GRDB's stored date text, both ways, by arithmetic.
package enum StoredDate {
    /// `2026-12-04 09:49:45.123` → the same instant `Date.fromDatabaseValue` gives; nil for any other form.
    package static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 23, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
                  bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: ".") else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<from + count {
                    let digit = Int(bytes[i]) - 48
                    guard digit >= 0 && digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                  let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
                  (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
            let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millis * 1_000_000) / 1_000_000_000)
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

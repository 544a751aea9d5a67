/// The release this binary was built from (kept in step with packaging/debian/changelog).
public enum TradepostVersion {
    public static let current = "0.1.0"
}

/// Product images and business logos: which picture an owner has. Whoever may see the owner sees
/// its picture; whoever may change the owner may change it — decided with the caller's facts in
/// the same transaction as the read or write it guards. The bytes themselves are the blob store's.
public protocol MediaService: Sendable {
    /// The tenant a new picture's bytes go to, when the caller may change the owner: asked before
    /// an upload's first byte is taken, so a refused upload is not received. `setMedia` decides
    /// again when it records the picture. Throws `notFound` (owner unseen), `forbidden`.
    func uploadTenant(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> TenantID
    /// The owner's picture; nil when it has none. Throws `notFound` when the caller may not see the owner.
    func media(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> Media?
    /// Records committed bytes as the owner's picture, replacing any earlier one (whose bytes go),
    /// durably, with an audit entry. Throws `notFound`, `forbidden`; the caller then removes the new bytes.
    func setMedia(_ caller: Caller, _ media: Media) async throws
    /// Removes the owner's picture; returns whether there was one. Throws `notFound`, `forbidden`.
    func deleteMedia(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> Bool
}

/// Every claim `gan reproduce` knows, in the order of `--list` and `--all`.
public enum ClaimCatalog {
    public static let all: [any Claim] = [DCGANStabilityClaim(), ConditioningClaim(), PacGANModeClaim(), WGANGPCriticClaim(), DeterminismClaim()]

    public static var names: [String] { all.map(\.name) }

    /// The claims named, in the given order; an unknown name is an error listing the valid ones.
    public static func claims(named names: [String]) throws -> [any Claim] {
        try names.map { name in
            guard let claim = all.first(where: { $0.name == name }) else {
                throw ReproductionError.unknownClaim(name, available: Self.names)
            }
            return claim
        }
    }
}

/// Every claim `gan reproduce` knows. `all` is the order of `--list` and what `--all` runs (its
/// full forms together fit the suite's hour); `optIn` claims are listed after them and run only
/// when named, because their full forms alone take longer.
public enum ClaimCatalog {
    public static let all: [any Claim] = [DCGANStabilityClaim(), ConditioningClaim(), PacGANModeClaim(), WGANGPCriticClaim(), DeterminismClaim()]
    public static let optIn: [any Claim] = [PacGANModeClaim.table]

    public static var names: [String] { (all + optIn).map(\.name) }

    /// The claims named, in the given order; an unknown name is an error listing the valid ones.
    public static func claims(named names: [String]) throws -> [any Claim] {
        try names.map { name in
            guard let claim = (all + optIn).first(where: { $0.name == name }) else {
                throw ReproductionError.unknownClaim(name, available: Self.names)
            }
            return claim
        }
    }
}

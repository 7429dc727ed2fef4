namespace Acme.Server.Issuance;

/// <summary>A freshly issued certificate.</summary>
/// <param name="SerialHex">The serial number, lower-case hex without leading zeros.</param>
/// <param name="Der">The certificate DER.</param>
/// <param name="ChainPem">The leaf then the CA chain as PEM (RFC 8555 §9.1, erratum 5983).</param>
/// <param name="NotBefore">The certificate's notBefore.</param>
/// <param name="NotAfter">The certificate's notAfter.</param>
public sealed record IssuedCertificate(
    string SerialHex,
    byte[] Der,
    string ChainPem,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter)
{
    /// <summary>Pre-issuance lint findings (SBR 4.3.1.2); only warnings and notices, since errors stop issuance.</summary>
    public IReadOnlyList<Acme.Validation.Linting.LintFinding> LintFindings { get; init; } = [];
}

using Acme.Validation.Linting;

namespace Acme.Server.Issuance;

/// <summary>
/// The certificate we were about to sign breaks the SBR (SBR 4.3.1.2). That is a defect of this CA's
/// profile or configuration, not of the request: issuance stops, the client sees serverInternal.
/// </summary>
public sealed class PreIssuanceLintException(IReadOnlyList<LintFinding> findings)
    : Exception("pre-issuance lint failed: " + string.Join("; ", findings.Where(f => f.Severity == LintSeverity.Error).Select(f => $"{f.Code}: {f.Message}")))
{
    public IReadOnlyList<LintFinding> Findings { get; } = findings;
}

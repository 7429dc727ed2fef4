using Acme.Tests.Support.Certificates;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;

namespace Acme.Tests.Validation.Linting;

/// <summary>One broken certificate: the good recipe for a key and profile, one defect, and the finding expected.</summary>
public sealed record BrokenCase(
    string Code,
    LintSeverity Severity,
    string Defect,
    string KeyKind,
    CertificateProfile Profile,
    Action<CertificateRecipe, BrokenCertificateFactory> Break)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code} <- {Defect}";
}

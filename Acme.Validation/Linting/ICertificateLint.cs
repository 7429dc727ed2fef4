using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>One lint rule: checks one requirement of the SBR certificate profile.</summary>
public interface ICertificateLint
{
    /// <summary>The code every finding of this rule carries.</summary>
    string Code { get; }

    /// <summary>Checks <paramref name="certificate"/>; yields nothing when it complies.</summary>
    /// <param name="certificate">The (to-be-signed) certificate.</param>
    /// <param name="context">The profile, issuer and validated mailboxes.</param>
    IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context);
}

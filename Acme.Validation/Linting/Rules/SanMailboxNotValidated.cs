using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2, §3.2.2: every SAN mailbox was validated for this order.</summary>
public sealed class SanMailboxNotValidated : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.san_mailbox_not_validated";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var validated = context.ValidatedMailboxes.Select(m => m.Address).ToHashSet(StringComparer.Ordinal);
        foreach (var address in CertificateReader.SanMailboxes(certificate).Where(a => !validated.Contains(a)))
        {
            yield return Error($"the SAN mailbox '{address}' was not validated");
        }
    }
}

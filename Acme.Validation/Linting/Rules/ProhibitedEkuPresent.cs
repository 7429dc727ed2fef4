using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(f): Strict allows emailProtection only; serverAuth, codeSigning, timeStamping and anyExtendedKeyUsage are prohibited in every generation.</summary>
public sealed class ProhibitedEkuPresent : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_eku_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        DerObjectIdentifier[] forbidden = [LintOids.ServerAuth, LintOids.CodeSigning, LintOids.TimeStamping, LintOids.AnyExtendedKeyUsage];
        foreach (var usage in CertificateReader.ExtendedKeyUsages(certificate) ?? [])
        {
            if (forbidden.Contains(usage))
            {
                yield return Error($"extKeyUsage carries the prohibited purpose {usage.Id}");
            }
            else if (context.IsStrict && !usage.Equals(LintOids.EmailProtection))
            {
                yield return Error($"extKeyUsage carries {usage.Id}; a Strict certificate allows id-kp-emailProtection only");
            }
        }
    }
}

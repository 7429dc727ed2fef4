using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.1: the issuer DN is byte-for-byte the issuing CA's subject DN.</summary>
public sealed class IssuerDnNotByteIdentical : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.issuer_dn_not_byte_identical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var issuer = CertificateReader.Tbs(certificate).Issuer.GetDerEncoded();
        var caSubject = context.IssuerCertificate.CertificateStructure.TbsCertificate.Subject.GetDerEncoded();
        if (!issuer.AsSpan().SequenceEqual(caSubject))
        {
            yield return Error($"the issuer DN '{certificate.IssuerDN}' is not byte-identical to the CA subject DN '{context.IssuerCertificate.SubjectDN}'");
        }
    }
}

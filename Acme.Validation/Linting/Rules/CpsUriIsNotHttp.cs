using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): an id-qt-cps qualifier SHALL be an HTTP or HTTPS URL.</summary>
public sealed class CpsUriIsNotHttp : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.cps_uri_is_not_http";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var qualifier in CertificateReader.PolicyQualifiers(certificate)
            .Where(q => q.PolicyQualifierId.Equals(PolicyQualifierID.IdQtCps)))
        {
            var uri = qualifier.Qualifier is IAsn1String text ? text.GetString() : null;
            var ok = Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps);
            if (!ok)
            {
                yield return Error($"the CPS qualifier '{uri ?? qualifier.Qualifier.ToString()}' is not an HTTP or HTTPS URL");
            }
        }
    }
}

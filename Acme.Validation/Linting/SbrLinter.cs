using System.Collections.ObjectModel;
using Acme.Validation.Linting.Rules;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>
/// The pre-issuance linter (SBR §4.3.1.2): runs every rule of the SBR Mailbox-validated profile
/// (requirements §2.9) over a to-be-signed certificate.
/// </summary>
public sealed class SbrLinter
{
    /// <summary>Creates a linter with the given rules.</summary>
    /// <param name="rules">The rules, run in this order.</param>
    public SbrLinter(IEnumerable<ICertificateLint> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = new ReadOnlyCollection<ICertificateLint>(rules.ToList());
    }

    /// <summary>The rules, in the order they run.</summary>
    public IReadOnlyList<ICertificateLint> Rules { get; }

    /// <summary>A linter with every rule of <c>Acme.Validation.Linting.Rules</c>.</summary>
    public static SbrLinter CreateDefault() => new(
    [
        new AdobeArchiveRevInfoProhibited(),
        new AdobeTimestampProhibited(),
        new AiaCaIssuersMissing(),
        new AiaCritical(),
        new AiaMissing(),
        new AiaProhibitedUriScheme(),
        new AnyPolicyPresent(),
        new AuthorityKeyIdentifierCritical(),
        new AuthorityKeyIdentifierHasIssuerCert(),
        new AuthorityKeyIdentifierKeyIdMissing(),
        new AuthorityKeyIdentifierMismatch(),
        new AuthorityKeyIdentifierMissing(),
        new CertificatePoliciesCritical(),
        new CertificatePoliciesMissing(),
        new CertificateValidityAtMaximum(),
        new CertificateValidityTooLong(),
        new CertificateVersionNotV3(),
        new CommonNameMaxLength(),
        new CommonNameValueUnknownSource(),
        new CpsUriIsNotHttp(),
        new CrlDistributionPointGeneralNameType(),
        new CrlDistributionPointNoHttpUri(),
        new CrlDistributionPointUriScheme(),
        new CrlDistributionPointsCritical(),
        new CrlDistributionPointsMissing(),
        new EmailAddressNotInSan(),
        new EmailProtectionEkuMissing(),
        new ExtendedKeyUsageMissing(),
        new ExtensionNotInProfile(),
        new InsignificantAttributeValue(),
        new InternalDomainNameInUri(),
        new InternalIpAddressInUri(),
        new IsCaCertificate(),
        new IssuerDnNotByteIdentical(),
        new KeyCertSignOnEndEntity(),
        new KeyUsageMissing(),
        new KeyUsageNotCritical(),
        new LegacyGenerationProhibited(),
        new LeiExtensionProhibited(),
        new LeiRoleExtensionProhibited(),
        new MailboxDomainNotLowerCaseALabel(),
        new MultipleReservedPolicyOids(),
        new NegativeValidityPeriod(),
        new NoRequiredReservedPolicyOid(),
        new PathLenForNonCa(),
        new ProhibitedEkuPresent(),
        new ProhibitedGeneralNameType(),
        new ProhibitedKeyUsage(),
        new ProhibitedOtherNameType(),
        new ProhibitedSignatureAlgorithmEncoding(),
        new ProhibitedSpkiAlgorithmEncoding(),
        new ProhibitedSubjectAttribute(),
        new Rfc822NameInvalidSyntax(),
        new RsaExponentNotInRecommendedRange(),
        new RsaExponentProhibitedValue(),
        new RsaModulusInvalidLength(),
        new SanCriticalWithSubject(),
        new SanDoesNotContainEmailAddress(),
        new SanMailboxNotValidated(),
        new SanMissing(),
        new SanNotCriticalWithEmptySubject(),
        new SerialNumberLowEntropy(),
        new SerialNumberOutOfRange(),
        new SignatureAlgorithmMismatch(),
        new SignatureAlgorithmNotForIssuerKey(),
        new SingleEmailAddress(),
        new SmtpUtf8MailboxHasBom(),
        new SmtpUtf8MailboxIsAsciiOnly(),
        new SubjectDirectoryAttributesProhibited(),
        new SubjectKeyIdentifierCritical(),
        new SubjectKeyIdentifierMissing(),
        new UnknownKeyUsageType(),
        new UnsupportedPublicKeyType(),
        new UserNoticeHasNoticeRef(),
    ]);

    /// <summary>Lints <paramref name="certificate"/>; a rule that cannot parse what it reads reports an error.</summary>
    /// <param name="certificate">The to-be-signed certificate (signed with a throwaway key).</param>
    /// <param name="context">The profile, issuer and validated mailboxes.</param>
    public LintReport Lint(X509Certificate certificate, LintContext context)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(context);
        var findings = new List<LintFinding>();
        foreach (var rule in Rules)
        {
            try
            {
                findings.AddRange(rule.Check(certificate, context).ToList());
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidOperationException or FormatException or IOException)
            {
                // A malformed value the rule has to read is itself a reason not to issue.
                findings.Add(new LintFinding(rule.Code, LintSeverity.Error, $"the rule could not read the certificate: {ex.Message}"));
            }
        }

        return new LintReport(new ReadOnlyCollection<LintFinding>(findings));
    }
}

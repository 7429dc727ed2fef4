using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting;

/// <summary>Object identifiers the rules compare against.</summary>
internal static class LintOids
{
    /// <summary>Prefix of the reserved S/MIME policy OIDs (SBR §7.1.6.1).</summary>
    public const string SmimePolicyPrefix = "2.23.140.1.5.";

    /// <summary>Mailbox-validated Legacy (SBR §7.1.6.1), refused since 2025-07-15.</summary>
    public const string MailboxLegacyPolicy = "2.23.140.1.5.1.1";

    public static readonly DerObjectIdentifier AnyPolicy = new("2.5.29.32.0");
    public static readonly DerObjectIdentifier SmtpUtf8Mailbox = new("1.3.6.1.5.5.7.8.9");
    public static readonly DerObjectIdentifier EmailProtection = new("1.3.6.1.5.5.7.3.4");
    public static readonly DerObjectIdentifier ServerAuth = new("1.3.6.1.5.5.7.3.1");
    public static readonly DerObjectIdentifier CodeSigning = new("1.3.6.1.5.5.7.3.3");
    public static readonly DerObjectIdentifier TimeStamping = new("1.3.6.1.5.5.7.3.8");
    public static readonly DerObjectIdentifier AnyExtendedKeyUsage = new("2.5.29.37.0");
    public static readonly DerObjectIdentifier SubjectDirectoryAttributes = new("2.5.29.9");
    public static readonly DerObjectIdentifier Lei = new("1.3.6.1.4.1.52266.1");
    public static readonly DerObjectIdentifier LeiRole = new("1.3.6.1.4.1.52266.2");
    public static readonly DerObjectIdentifier AdobeTimestamp = new("1.2.840.113583.1.1.9.1");
    public static readonly DerObjectIdentifier AdobeArchiveRevInfo = new("1.2.840.113583.1.1.9.2");
    public static readonly DerObjectIdentifier SmimeCapabilities = new("1.2.840.113549.1.9.15");
    public static readonly DerObjectIdentifier QcStatements = new("1.3.6.1.5.5.7.1.3");
    public static readonly DerObjectIdentifier RsaEncryption = new("1.2.840.113549.1.1.1");
    public static readonly DerObjectIdentifier EcPublicKey = new("1.2.840.10045.2.1");
    public static readonly DerObjectIdentifier Ed25519 = new("1.3.101.112");
    public static readonly DerObjectIdentifier Ed448 = new("1.3.101.113");
    public static readonly DerObjectIdentifier P256 = new("1.2.840.10045.3.1.7");
    public static readonly DerObjectIdentifier P384 = new("1.3.132.0.34");
    public static readonly DerObjectIdentifier P521 = new("1.3.132.0.35");
}

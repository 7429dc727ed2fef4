namespace Acme.Email.Smime;

/// <summary>
/// Section <c>Smime</c>: optional S/MIME signing of challenge mails (RFC 8823 §3.1 items 6-7). The
/// signer certificate must carry the challenge mailbox as an rfc822Name, so with S/MIME the
/// challenge <c>from</c> is that bare mailbox (no plus tag).
/// </summary>
public sealed class SmimeSigningOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Smime";

    /// <summary>PEM file: the signer certificate first, then the intermediates to include.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the signer's private key (PKCS#8 or traditional).</summary>
    public string? KeyPath { get; set; }

    /// <summary>True when both paths are set.</summary>
    public bool Enabled => !string.IsNullOrEmpty(CertificatePath) || !string.IsNullOrEmpty(KeyPath);
}

namespace Acme.Email.Dkim;

/// <summary>
/// DKIM signing settings for challenge emails (configuration section <c>Dkim</c>).
/// </summary>
public sealed class DkimSigningOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Dkim";

    /// <summary>The <c>a=</c> value for RSA keys.</summary>
    public const string RsaSha256 = "rsa-sha256";

    /// <summary>The <c>a=</c> value for Ed25519 keys (RFC 8463).</summary>
    public const string Ed25519Sha256 = "ed25519-sha256";

    /// <summary>
    /// Headers RFC 8823 §3.1 item 6 says the signature MUST cover, whether present or not.
    /// </summary>
    public static IReadOnlyList<string> RequiredHeaders { get; } =
    [
        "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "In-Reply-To", "References",
        "Message-ID", "Auto-Submitted", "Content-Type", "Content-Transfer-Encoding",
    ];

    /// <summary>Headers RFC 8823 §3.1 item 6 says the signature SHOULD cover.</summary>
    public static IReadOnlyList<string> RecommendedHeaders { get; } =
    [
        "Resent-Date", "Resent-From", "Resent-To", "Resent-Cc", "List-Id", "List-Help", "List-Unsubscribe",
        "List-Subscribe", "List-Post", "List-Owner", "List-Archive", "List-Unsubscribe-Post",
    ];

    /// <summary>
    /// The <c>h=</c> list of the compact signature (<see cref="CompactFirstSignature"/>): the headers that carry the
    /// challenge (From, To, Reply-To, Subject, Date, Message-ID, Auto-Submitted), Content-Type and Cc, short enough
    /// that <c>h=</c> fits on one folded line (75 characters) with no whitespace inside it.
    /// </summary>
    public static IReadOnlyList<string> CompactHeaders { get; } =
        ["From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Content-Type", "Cc"];

    /// <summary>The <c>d=</c> domain; it must equal the From domain of every signed message.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The <c>s=</c> selector; the public key is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public string Selector { get; set; } = string.Empty;

    /// <summary>Path of the PEM private key (RSA or Ed25519, PKCS#8; PKCS#1 RSA is also read).</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>
    /// The DKIM key in a PKCS#11 token instead of <see cref="KeyPath"/>: <c>Dkim:Pkcs11:Library</c>, <c>:TokenLabel</c>,
    /// <c>:KeyLabel</c>, <c>:PinFile</c>. RSA keys only (<c>rsa-sha256</c>); the key never leaves the token.
    /// </summary>
    public Pkcs11.Pkcs11KeyOptions Pkcs11 { get; set; } = new();

    /// <summary>The signing algorithm: <c>rsa-sha256</c> or <c>ed25519-sha256</c>.</summary>
    public string Algorithm { get; set; } = RsaSha256;

    /// <summary>
    /// Header names listed in <c>h=</c>. Every name is listed even when the header is absent (over-signing,
    /// RFC 6376 §5.4). Defaults to the RFC 8823 MUST and SHOULD lists plus MIME-Version. Note that
    /// configuration binding appends to this list; duplicates are removed when signing.
    /// </summary>
    public IList<string> SignedHeaders { get; set; } =
        [.. RequiredHeaders, .. RecommendedHeaders, "MIME-Version"];

    /// <summary>
    /// Adds a second signature, placed first, over <see cref="CompactHeaders"/> (default on). Its <c>h=</c> has no
    /// whitespace and every line of it stays within 78 characters, so a client that reads only the first
    /// DKIM-Signature, splits <c>h=</c> on ':' without trimming and re-serializes the message with Python's email
    /// package before verifying (acme_email) finds every name and a signature that still verifies. The signature
    /// over <see cref="SignedHeaders"/> stays; its long <c>h=</c> is folded at the colons, which RFC 6376 §3.5 allows.
    /// </summary>
    public bool CompactFirstSignature { get; set; } = true;

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Domain) || Domain.Contains('@') || Domain.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException($"{SectionName}:Domain must be a domain name (the From domain of challenge emails).");
        }

        if (string.IsNullOrWhiteSpace(Selector) || Selector.Any(c => char.IsWhiteSpace(c) || c == ';'))
        {
            throw new InvalidOperationException($"{SectionName}:Selector must be a non-empty DNS label sequence.");
        }

        if (Pkcs11.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(KeyPath))
            {
                throw new InvalidOperationException($"{SectionName}:KeyPath: set either it or {SectionName}:Pkcs11:Library, not both.");
            }

            if (Algorithm != RsaSha256)
            {
                throw new InvalidOperationException($"{SectionName}:Algorithm must be '{RsaSha256}' with a PKCS#11 key; Ed25519 token keys are not supported.");
            }
        }
        else if (string.IsNullOrWhiteSpace(KeyPath))
        {
            throw new InvalidOperationException($"{SectionName}:KeyPath must name a PEM private key file (or set {SectionName}:Pkcs11:Library).");
        }

        ValidateSignatureShape();
    }

    /// <summary>
    /// The settings that do not depend on the key or the domain (algorithm, <c>h=</c> list): checked alone before a
    /// development key and its domain are chosen.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid.</exception>
    public void ValidateSignatureShape()
    {
        if (Algorithm is not (RsaSha256 or Ed25519Sha256))
        {
            throw new InvalidOperationException($"{SectionName}:Algorithm must be '{RsaSha256}' or '{Ed25519Sha256}', not '{Algorithm}'.");
        }

        if (SignedHeaders is null)
        {
            throw new InvalidOperationException($"{SectionName}:SignedHeaders must not be null.");
        }

        foreach (var required in RequiredHeaders)
        {
            // RFC 8823 §3.1 item 6: h= MUST name these headers
            if (!SignedHeaders.Contains(required, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{SectionName}:SignedHeaders must include '{required}' (RFC 8823 §3.1 item 6).");
            }
        }

        if (SignedHeaders.Any(h => string.IsNullOrWhiteSpace(h) || h.Contains(':') || h.Any(char.IsWhiteSpace)))
        {
            throw new InvalidOperationException($"{SectionName}:SignedHeaders holds an invalid header name.");
        }
    }
}

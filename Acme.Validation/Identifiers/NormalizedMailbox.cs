namespace Acme.Validation.Identifiers;

/// <summary>
/// A mailbox address in the one form the server stores and compares: the local part exactly as
/// given, the domain in lower-case A-labels (RFC 8823 §3, RFC 9598 §3, RFC 8616 §3).
/// </summary>
/// <param name="LocalPart">The local part, byte-exact as the client sent it.</param>
/// <param name="Domain">The domain in lower-case A-label form, without a trailing dot.</param>
public sealed record NormalizedMailbox(string LocalPart, string Domain)
{
    /// <summary>The normalized address, <c>local@domain</c>.</summary>
    public string Address => LocalPart + "@" + Domain;

    /// <summary>
    /// True when the local part holds non-ASCII characters: such an address goes into a
    /// certificate as <c>SmtpUTF8Mailbox</c>, never as <c>rfc822Name</c> (RFC 9598 §3).
    /// </summary>
    public bool HasNonAsciiLocalPart => LocalPart.Any(c => c > 0x7F);

    /// <summary>
    /// The inbox a mail to this address most likely lands in, for counting only: the local part
    /// case-folded and without its plus tag (<c>Vic+1@x</c> and <c>vic@x</c> are one inbox to most
    /// mail systems). Never used to address mail or to name a certificate subject.
    /// </summary>
    public string RecipientKey
    {
        get
        {
            var plus = LocalPart.IndexOf('+', StringComparison.Ordinal);
            var baseName = plus > 0 ? LocalPart[..plus] : LocalPart;
            return baseName.ToLowerInvariant() + "@" + Domain;
        }
    }

    /// <summary>True when this address reaches the inbox of <paramref name="other"/> (same recipient key).</summary>
    public bool SharesInboxWith(NormalizedMailbox other) =>
        string.Equals(RecipientKey, other?.RecipientKey, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Address;
}

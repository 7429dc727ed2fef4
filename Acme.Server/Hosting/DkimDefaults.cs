using Acme.Email.Dkim;
using Acme.Validation.Identifiers;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>
/// Section <c>Dkim</c>: with a key configured, <c>Domain</c> defaults to the challenge mailbox's domain
/// (the From domain, which RFC 8823 §3.1 item 6 has the signature's d= match) and <c>Selector</c> to
/// <c>acme</c>, as the README documents; without a key, the development key is made at start-up.
/// </summary>
public static class DkimDefaults
{
    public const string Selector = "acme";

    public static void Apply(DkimSigningOptions dkim, IOptions<AcmeServerOptions> acme)
    {
        if (string.IsNullOrEmpty(dkim.KeyPath) && !dkim.Pkcs11.IsConfigured)
        {
            return;
        }

        if (string.IsNullOrEmpty(dkim.Domain))
        {
            var mailbox = MailboxNormalizer.Normalize(acme.Value.ChallengeMailbox);
            dkim.Domain = mailbox.IsSuccess ? mailbox.Value.Domain : string.Empty;
        }

        if (string.IsNullOrEmpty(dkim.Selector))
        {
            dkim.Selector = Selector;
        }
    }

    /// <summary>The whole section when a key is configured; algorithm and <c>h=</c> list only for the development key.</summary>
    public static void Check(DkimSigningOptions dkim)
    {
        if (string.IsNullOrEmpty(dkim.KeyPath) && !dkim.Pkcs11.IsConfigured)
        {
            dkim.ValidateSignatureShape();
            return;
        }

        dkim.Validate();
        if (!dkim.Pkcs11.IsConfigured && !File.Exists(dkim.KeyPath))
        {
            throw new InvalidOperationException($"Dkim:KeyPath: the file '{dkim.KeyPath}' does not exist.");
        }
    }
}

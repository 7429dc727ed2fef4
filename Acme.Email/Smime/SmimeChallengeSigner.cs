using Acme.Email.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace Acme.Email.Smime;

/// <summary>
/// Signs a challenge mail with S/MIME (RFC 8823 §3.1 items 6-7): detached <c>multipart/signed</c>,
/// SHA-256, with header protection in two forms that readers combine: the protected header fields
/// copied into the signed part, marked <c>hp="clear"</c> (RFC 9788), and the same fields as an RFC 7508
/// <c>SecureHeaderFields</c> signed attribute (relaxed canonicalization, status duplicated), which is
/// what acme4j's verifying processor reads. Uses its own <see cref="TemporarySecureMimeContext"/>.
/// </summary>
public sealed class SmimeChallengeSigner
{
    private static readonly string[] ProtectedHeaders = ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Reply-To"];

    /// <summary>id-aa-secureHeaderFieldsIdentifier (RFC 7508 §3.1): 1.2.840.113549.1.9.16.2.55.</summary>
    public static readonly DerObjectIdentifier SecureHeaderFieldsOid = new("1.2.840.113549.1.9.16.2.55");

    private readonly IReadOnlyList<X509Certificate> _chain;
    private readonly AsymmetricKeyParameter _key;

    /// <summary>Loads the certificate chain and key; throws <see cref="InvalidOperationException"/> naming the setting on any problem.</summary>
    public SmimeChallengeSigner(SmimeSigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificatePath = Require(options.CertificatePath, "Smime:CertificatePath");
        var keyPath = Require(options.KeyPath, "Smime:KeyPath");
        try
        {
            using var stream = File.OpenRead(certificatePath);
            _chain = new X509CertificateParser().ReadCertificates(stream).ToList();
        }
        catch (Exception e) when (e is IOException or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            throw new InvalidOperationException($"Smime:CertificatePath: '{certificatePath}' is not a PEM certificate file: {e.Message}", e);
        }

        if (_chain.Count == 0)
        {
            throw new InvalidOperationException($"Smime:CertificatePath: '{certificatePath}' holds no certificate");
        }

        try
        {
            _key = DkimKeys.LoadPrivateKey(keyPath);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or InvalidCastException or Org.BouncyCastle.OpenSsl.PemException)
        {
            throw new InvalidOperationException($"Smime:KeyPath: '{keyPath}' is not a usable PEM private key: {e.Message}", e);
        }
        SignerAddresses = ReadAddresses(_chain[0]);
        if (SignerAddresses.Count == 0)
        {
            throw new InvalidOperationException($"Smime:CertificatePath: the signer certificate has no rfc822Name (RFC 8823 §3.1 item 6 needs one equal to From)");
        }
    }

    /// <summary>The rfc822Name addresses of the signer certificate.</summary>
    public IReadOnlyList<string> SignerAddresses { get; }

    /// <summary>Replaces the message body with its signed form. The From address must be one of <see cref="SignerAddresses"/>.</summary>
    public async Task SignAsync(MimeMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.Single().Address;

        // RFC 8823 §3.1 item 6: the signer certificate's rfc822Name equals the From address.
        if (!SignerAddresses.Contains(from, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the S/MIME signer certificate is for {string.Join(", ", SignerAddresses)}, not the challenge From {from}");
        }

        // RFC 8823 §3.1 item 7: S/MIME header protection; the signed part carries the protected fields.
        var inner = message.Body ?? throw new InvalidOperationException("the challenge mail has no body to sign");
        inner.ContentType.Parameters["hp"] = "clear";
        var secured = new Asn1EncodableVector();
        foreach (var name in ProtectedHeaders)
        {
            foreach (var header in message.Headers.Where(h => string.Equals(h.Field, name, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                inner.Headers.Add(header.Field, header.Value);
                // RFC 7508 §3.1: HeaderField ::= SEQUENCE { field-Name VisibleString, field-Value UTF8String } (status duplicated).
                secured.Add(new DerSequence(new DerVisibleString(header.Field), new DerUtf8String(header.Value.Trim())));
            }
        }

        using var context = new TemporarySecureMimeContext();
        var signer = new CmsSigner(_chain, _key) { DigestAlgorithm = DigestAlgorithm.Sha256 };
        // RFC 7508 §3.1: SecureHeaderFields ::= SET { canonAlgorithm ENUMERATED (relaxed = 1), secHeaderFields SEQUENCE OF HeaderField }.
        signer.SignedAttributes = (signer.SignedAttributes ?? new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector())).Add(SecureHeaderFieldsOid, new DerSet(new DerEnumerated(1), new DerSequence(secured)));
        message.Body = await MultipartSigned.CreateAsync(context, signer, inner, ct).ConfigureAwait(false);
    }

    private static List<string> ReadAddresses(X509Certificate certificate)
    {
        var san = certificate.GetExtensionParsedValue(X509Extensions.SubjectAlternativeName);
        return san is null
            ? []
            : GeneralNames.GetInstance(san).GetNames().Where(n => n.TagNo == GeneralName.Rfc822Name).Select(n => n.Name.ToString()!).ToList();
    }

    private static string Require(string? path, string setting) =>
        string.IsNullOrWhiteSpace(path) ? throw new InvalidOperationException($"{setting} is not set; set both Smime:CertificatePath and Smime:KeyPath, or neither")
        : File.Exists(path) ? path
        : throw new InvalidOperationException($"{setting}: the file '{path}' does not exist");
}

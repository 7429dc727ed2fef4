using Acme.Email.Pkcs11;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Encodings;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Acme.Email.Dkim;

/// <summary>
/// DKIM-signs challenge emails (RFC 8823 §3.1 item 6) with MimeKit's <see cref="DkimSigner"/>,
/// relaxed/relaxed canonicalization and the configured over-signed header list; by default a compact
/// second signature goes first (<see cref="DkimSigningOptions.CompactFirstSignature"/>).
/// </summary>
/// <remarks>
/// MimeKit folds a DKIM-Signature with <see cref="FormatOptions.Default"/> (78 columns) whatever options
/// <c>Sign</c> is given, and an <c>h=</c> longer than a line is folded between its names. That whitespace is
/// part of what is signed, so it cannot be removed afterwards; only a list that fits on one line comes out
/// without it. Hence the compact signature rather than a re-folded one.
/// </remarks>
public sealed class DkimMessageSigner : IDisposable
{
    private readonly DkimSigningOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly AsymmetricKeyParameter _key;
    private readonly Pkcs11Key? _tokenKey;
    private readonly System.Security.Cryptography.RSA? _fileRsa;
    private readonly Lock _fileRsaGate = new();
    private readonly DkimSignatureAlgorithm _algorithm;
    private readonly string _aLabelDomain;
    private readonly string[] _headers;
    private readonly string[]? _compactHeaders;

    /// <summary>Validates the options and loads the private key.</summary>
    /// <param name="options">The DKIM settings.</param>
    /// <param name="timeProvider">The clock for the <c>t=</c> tag.</param>
    /// <exception cref="InvalidOperationException">A setting is invalid or the key cannot be read.</exception>
    public DkimMessageSigner(DkimSigningOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _algorithm = options.Algorithm == DkimSigningOptions.Ed25519Sha256
            ? DkimSignatureAlgorithm.Ed25519Sha256
            : DkimSignatureAlgorithm.RsaSha256;
        if (options.Pkcs11.IsConfigured)
        {
            _tokenKey = Pkcs11Key.Open(options.Pkcs11, DkimSigningOptions.SectionName + ":Pkcs11");
            if (_tokenKey.PublicKey is not RsaKeyParameters { Modulus.BitLength: >= 1024 } rsa)
            {
                _tokenKey.Dispose();
                throw new InvalidOperationException($"{DkimSigningOptions.SectionName}:Pkcs11:KeyLabel: '{options.Pkcs11.KeyLabel}' is not an RSA key of at least 1024 bits (rsa-sha256).");
            }

            // MimeKit's DkimSigner wants a private key object; this one carries only the public values and is never
            // used to sign: ClockedDkimSigner overrides CreateSigningContext, so the token signs.
            _key = new RsaKeyParameters(true, rsa.Modulus, rsa.Exponent);
        }
        else
        {
            try
            {
                _key = DkimKeys.LoadPrivateKey(options.KeyPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or Org.BouncyCastle.Security.GeneralSecurityException or Org.BouncyCastle.Asn1.Asn1Exception)
            {
                throw new InvalidOperationException($"{DkimSigningOptions.SectionName}:KeyPath: cannot read a private key from '{options.KeyPath}': {ex.Message}", ex);
            }

            DkimKeys.CheckAlgorithm(_key, options.Algorithm, options.KeyPath);
            if (_key is RsaPrivateCrtKeyParameters crt)
            {
                // Issue 13: .NET's OpenSSL RSA signs the two signatures of every challenge mail about 8x faster.
                _fileRsa = System.Security.Cryptography.RSA.Create(Org.BouncyCastle.Security.DotNetUtilities.ToRSAParameters(crt));
            }
        }

        _aLabelDomain = ToALabel(options.Domain);
        _headers = options.SignedHeaders.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _compactHeaders = options.CompactFirstSignature ? [.. DkimSigningOptions.CompactHeaders] : null;
    }

    /// <summary>The TXT record value that publishes the loaded key's public half.</summary>
    public string TxtValue => DkimKeys.TxtValue(_tokenKey?.PublicKey ?? _key);

    /// <summary>Closes the token session of a PKCS#11 key.</summary>
    public void Dispose()
    {
        _tokenKey?.Dispose();
        _fileRsa?.Dispose();
    }

    /// <summary>
    /// Prepares the message for 7-bit transport and adds a DKIM-Signature header over the configured list and, with
    /// <see cref="DkimSigningOptions.CompactFirstSignature"/>, a compact one above it.
    /// </summary>
    /// <param name="message">The message; its single From address must be in <see cref="DkimSigningOptions.Domain"/>.</param>
    /// <exception cref="InvalidOperationException">The From domain differs from the signing domain.</exception>
    public void Sign(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.ToList();
        if (from.Count != 1)
        {
            throw new InvalidOperationException("A challenge email must have exactly one From address.");
        }

        // RFC 8823 §3.1 item 6: d= MUST be the same domain as the From domain
        var fromDomain = ToALabel(from[0].Domain);
        if (!string.Equals(fromDomain, _aLabelDomain, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The From domain '{from[0].Domain}' differs from the DKIM signing domain '{_options.Domain}' ({DkimSigningOptions.SectionName}:Domain).");
        }

        message.Prepare(EncodingConstraint.SevenBit);
        Func<ISigner>? signingContext = _tokenKey is not null ? _tokenKey.CreateSigner
            : _fileRsa is not null ? () => new DotNetRsaSigner(_fileRsa, _fileRsaGate)
            : null;
        var signer = new ClockedDkimSigner(_key, _aLabelDomain, _options.Selector, _algorithm, _timeProvider, signingContext)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            QueryMethod = "dns/txt",
        };
        var format = Transport.WireFormat.For(message);
        signer.Sign(format, message, _headers);
        if (_compactHeaders is not null)
        {
            // Signed last, so MimeKit inserts it on top: clients that read one signature read this one.
            signer.Sign(format, message, _compactHeaders);
        }
    }

    /// <summary>
    /// Creates a development DKIM key at <c>&lt;directory&gt;/&lt;selector&gt;.&lt;domain&gt;.&lt;alg&gt;.pem</c>
    /// (owner-only permissions), or loads it if it already exists, and returns the TXT record to publish.
    /// </summary>
    /// <param name="directory">Directory for the key file; created if missing.</param>
    /// <param name="domain">The signing domain.</param>
    /// <param name="selector">The selector.</param>
    /// <param name="algorithm"><c>rsa-sha256</c> (RSA 2048) or <c>ed25519-sha256</c>.</param>
    /// <returns>The key path and the DNS record.</returns>
    public static DkimKeyMaterial GenerateDevelopmentKey(string directory, string domain, string selector, string algorithm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        if (selector.Any(c => c is '/' or '\\') || domain.Any(c => c is '/' or '\\'))
        {
            throw new ArgumentException("Domain and selector must not contain path separators.");
        }

        Directory.CreateDirectory(directory);
        var shortName = algorithm == DkimSigningOptions.Ed25519Sha256 ? "ed25519" : "rsa";
        var path = Path.Combine(directory, $"{selector}.{domain}.{shortName}.pem");
        AsymmetricKeyParameter key;
        if (File.Exists(path))
        {
            key = DkimKeys.LoadPrivateKey(path);
            DkimKeys.CheckAlgorithm(key, algorithm, path);
        }
        else
        {
            key = DkimKeys.Generate(algorithm);
            DkimKeys.WriteNewKeyFile(path, key);
        }

        return new DkimKeyMaterial(path, algorithm, $"{selector}._domainkey.{ToALabel(domain)}", DkimKeys.TxtValue(key));
    }

    private static string ToALabel(string domain) => new Punycode().Encode(domain.TrimEnd('.')).ToLowerInvariant();

    private sealed class ClockedDkimSigner(
        AsymmetricKeyParameter key, string domain, string selector, DkimSignatureAlgorithm algorithm, TimeProvider clock, Func<ISigner>? signingContext)
        : DkimSigner(key, domain, selector, algorithm)
    {
        protected override long GetTimestamp() => clock.GetUtcNow().ToUnixTimeSeconds();

        // MimeKit 4.18 signs through this overridable factory: a token key hashes here and signs in the token, a
        // file RSA key signs with .NET's RSA; Ed25519 keeps MimeKit's own (BouncyCastle) signer.
        protected override ISigner CreateSigningContext() => signingContext?.Invoke() ?? base.CreateSigningContext();
    }
}

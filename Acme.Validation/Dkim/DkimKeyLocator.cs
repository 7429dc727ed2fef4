using System.Globalization;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Acme.Validation.Dkim;

/// <summary>
/// MimeKit public-key locator backed by an <see cref="IDkimKeyLookup"/>. Queries
/// <c>{selector}._domainkey.{domain}</c> with the domain in A-label form (RFC 8616 §3) and parses
/// the record with MimeKit (<c>k=rsa</c> and <c>k=ed25519</c>). Every failure is a
/// <see cref="DkimKeyLookupException"/> whose message names the reason.
/// </summary>
public sealed class DkimKeyLocator : DkimPublicKeyLocatorBase
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    private readonly IDkimKeyLookup _lookup;
    private readonly int _minimumRsaKeyBits;
    private readonly DkimKeyCache? _cache;

    /// <summary>Creates the locator.</summary>
    /// <param name="lookup">The TXT lookup.</param>
    /// <param name="minimumRsaKeyBits">RSA keys shorter than this are refused (RFC 8301 §3.2: at least 1024).</param>
    /// <param name="cache">Keys already parsed, shared between verifications; null parses every time.</param>
    public DkimKeyLocator(IDkimKeyLookup lookup, int minimumRsaKeyBits = 1024, DkimKeyCache? cache = null)
    {
        _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
        _minimumRsaKeyBits = minimumRsaKeyBits;
        _cache = cache;
    }

    /// <summary>The DNS name queried for a selector and domain (domain converted to lower-case A-labels).</summary>
    /// <exception cref="DkimKeyLookupException">The domain or selector is not a valid DNS name.</exception>
    public static string KeyName(string selector, string domain)
    {
        try
        {
            // RFC 8616 §3: U-labels are converted to A-labels before the DNS lookup.
            return Idn.GetAscii(selector.Trim()).ToLowerInvariant() + "._domainkey." + Idn.GetAscii(domain.Trim().TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            throw new DkimKeyLookupException($"the DKIM selector '{selector}' or domain '{domain}' is not a valid DNS name");
        }
    }

    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        // RFC 6376 §3.5 q=: dns/txt is the only defined query method.
        if (!string.IsNullOrEmpty(methods) && !methods.Split(':').Any(m => m.Trim().StartsWith("dns/txt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyLookupException($"the DKIM query method q={methods} is not dns/txt");
        }

        var name = KeyName(selector, domain);
        var result = await _lookup.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case DkimKeyLookupStatus.TemporaryFailure:
                throw new DkimKeyLookupException($"the DKIM key {name} could not be looked up right now ({result.Message ?? "temporary DNS failure"})", isTemporary: true);
            case DkimKeyLookupStatus.NotFound:
                throw new DkimKeyLookupException($"no DKIM key is published at {name}");
        }

        var keys = result.Records.Where(r => r.Contains("p=", StringComparison.Ordinal)).ToArray();
        if (keys.Length == 0)
        {
            throw new DkimKeyLookupException($"the TXT record at {name} is not a DKIM key record (no p= tag)");
        }

        // RFC 6376 §3.6.2.2: several key records at one name give undefined results; refuse them.
        if (keys.Length > 1)
        {
            throw new DkimKeyLookupException($"{name} publishes {keys.Length} DKIM key records; exactly one is required");
        }

        AsymmetricKeyParameter key;
        try
        {
            key = _cache is null ? GetPublicKey(keys[0]) : _cache.GetOrParse(keys[0], GetPublicKey);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DkimKeyLookupException($"the DKIM key record at {name} cannot be used: {e.Message}", e);
        }

        // RFC 8301 §3.2: RSA keys shorter than 1024 bits MUST NOT be considered valid.
        if (key is RsaKeyParameters rsa && rsa.Modulus.BitLength < _minimumRsaKeyBits)
        {
            throw new DkimKeyLookupException($"the DKIM key at {name} is a {rsa.Modulus.BitLength}-bit RSA key; at least {_minimumRsaKeyBits} bits are required (RFC 8301 §3.2)");
        }

        return key;
    }
}

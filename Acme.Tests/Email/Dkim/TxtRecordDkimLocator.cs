using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Acme.Tests.Email.Dkim;

/// <summary>A DKIM key locator answering from in-memory TXT values keyed by <c>selector._domainkey.domain</c>.</summary>
public sealed class TxtRecordDkimLocator(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
{
    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        records.TryGetValue($"{selector}._domainkey.{domain}", out var txt)
            ? GetPublicKey(txt)
            : throw new InvalidOperationException($"no TXT record for {selector}._domainkey.{domain}");

    /// <inheritdoc />
    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
}

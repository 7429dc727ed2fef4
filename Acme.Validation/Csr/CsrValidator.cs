using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Pkcs;

namespace Acme.Validation.Csr;

/// <summary>
/// Checks a finalize CSR (RFC 8555 §7.4, RFC 8823 §3 steps 8–9 and §3.3, SBR §6.1 and §7.1):
/// signature, key type and size, mailbox names and key usage. Every expected problem becomes a
/// <see cref="FailureKind.BadCsr"/> failure; no input makes it throw.
/// </summary>
public sealed class CsrValidator
{
    private readonly CsrPolicy _policy;

    /// <summary>Creates a validator with the given policy, or the default policy when null.</summary>
    public CsrValidator(CsrPolicy? policy = null)
    {
        _policy = policy ?? new CsrPolicy();
    }

    /// <summary>
    /// Validates <paramref name="der"/> against the order's normalized mailboxes.
    /// </summary>
    /// <param name="der">The DER-encoded PKCS#10 request from the finalize payload.</param>
    /// <param name="orderMailboxes">The order's mailbox identifiers, normalized.</param>
    /// <param name="accountKeySpkiDer">The ACME account key's SubjectPublicKeyInfo DER, if known.</param>
    /// <returns>The facts the CA needs, or a <see cref="FailureKind.BadCsr"/> failure.</returns>
    public ValidationOutcome<ValidatedCsr> Validate(
        byte[] der, IReadOnlyCollection<NormalizedMailbox> orderMailboxes, byte[]? accountKeySpkiDer)
    {
        ArgumentNullException.ThrowIfNull(orderMailboxes);
        if (der is null || der.Length == 0)
        {
            return Fail("the CSR is empty");
        }

        try
        {
            return ValidateParsed(der, orderMailboxes, accountKeySpkiDer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any malformed input ends here: badCSR, never a crash.
            return Fail($"the CSR cannot be parsed as a DER PKCS#10 certification request ({ex.GetType().Name})");
        }
    }

    private ValidationOutcome<ValidatedCsr> ValidateParsed(
        byte[] der, IReadOnlyCollection<NormalizedMailbox> orderMailboxes, byte[]? accountKeySpkiDer)
    {
        var csr = new Pkcs10CertificationRequest(der);
        var info = csr.GetCertificationRequestInfo();
        var spki = info.SubjectPublicKeyInfo;

        var key = CsrKeyChecker.Check(spki, _policy);
        if (!key.IsSuccess)
        {
            return key.Failure;
        }

        // RFC 2986 §3: the request is signed with the subject's private key.
        bool verified;
        try
        {
            // .NET's OpenSSL where it handles the algorithm (issue 13), else BouncyCastle.
            verified = Signatures.DotNetSignatureCheck.TryVerify(spki, csr.SignatureAlgorithm, info.GetDerEncoded(), csr.Signature.GetOctets())
                ?? csr.Verify();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Fail($"the CSR's signature cannot be checked: {ex.Message}");
        }

        if (!verified)
        {
            return Fail("the CSR's signature does not verify with the public key it contains");
        }

        var spkiDer = spki.GetDerEncoded();

        // RFC 8555 §11.1: the account key must not be the certificate key.
        if (accountKeySpkiDer is not null && spkiDer.AsSpan().SequenceEqual(accountKeySpkiDer))
        {
            return Fail("the CSR reuses the ACME account key");
        }

        var extensions = csr.GetRequestedExtensions();

        var mailboxes = CsrNameChecker.Check(extensions, orderMailboxes, _policy);
        if (!mailboxes.IsSuccess)
        {
            return mailboxes.Failure;
        }

        var usage = CsrKeyUsageReader.Read(extensions, key.Value.Kind);
        if (!usage.IsSuccess)
        {
            return usage.Failure;
        }

        // The subject DN is ignored: the CA builds the subject (SBR §7.1.4.2.3).
        return ValidationOutcome<ValidatedCsr>.Success(new ValidatedCsr(
            spki, spkiDer, key.Value.PublicKey, key.Value.Kind, key.Value.SizeBits, usage.Value.Usage, mailboxes.Value) { UsageMapping = usage.Value.Mapping });
    }

    private static ValidationOutcome<ValidatedCsr> Fail(string detail) =>
        ValidationOutcome<ValidatedCsr>.Fail(FailureKind.BadCsr, detail);
}

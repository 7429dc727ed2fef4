using Acme.Validation.Linting;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Server.Issuance;

/// <summary>
/// Issues Mailbox-validated S/MIME certificates with the local CA key (SBR §7.1.2.3, §7.1.4.2).
/// </summary>
public sealed class LocalCertificateIssuer : ICertificateIssuer
{
    /// <summary>id-on-SmtpUTF8Mailbox (RFC 9598 §3).</summary>
    private static readonly DerObjectIdentifier SmtpUtf8MailboxOid = new("1.3.6.1.5.5.7.8.9");

    private const int MaxCommonNameLength = 64; // RFC 5280 ub-common-name

    private readonly CaMaterial _ca;
    private readonly IssuanceOptions _options;
    private readonly TimeProvider _time;
    private readonly SbrLinter _linter;
    private readonly ThrowawayTbsSigner _throwaway = new();

    // The CA key imported once for the check of every new certificate (issue 13).
    private readonly Acme.Validation.Signatures.DotNetSignatureCheck _caCheck;

    /// <summary>Creates an issuer; validates <paramref name="options"/>.</summary>
    /// <param name="linter">The pre-issuance linter; the full SBR rule set by default.</param>
    public LocalCertificateIssuer(CaMaterial ca, IssuanceOptions options, TimeProvider time, SbrLinter? linter = null)
    {
        _linter = linter ?? SbrLinter.CreateDefault();
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        options.Validate();
        _caCheck = new Acme.Validation.Signatures.DotNetSignatureCheck(ca.Certificate.SubjectPublicKeyInfo);
    }

    /// <inheritdoc />
    public Task<IssuedCertificate> IssueAsync(IssuanceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Issue(request));
    }

    private IssuedCertificate Issue(IssuanceRequest request)
    {
        var mailboxes = request.Mailboxes;
        if (mailboxes.Count == 0 || mailboxes.Count != request.Csr.Mailboxes.Count
            || mailboxes.Except(request.Csr.Mailboxes).Any())
        {
            throw new InvalidOperationException("the order's mailboxes differ from the validated CSR's mailboxes");
        }

        var keyUsage = KeyUsagePolicy.Decide(request.Csr.KeyKind, request.Csr.Usage, request.Profile);
        if (!keyUsage.IsSuccess)
        {
            throw new InvalidOperationException($"the CSR was validated but its key usage cannot be issued: {keyUsage.Failure.Detail}");
        }

        var (notBefore, notAfter) = ValidityWindow(request);
        var random = new SecureRandom();
        var serial = request.Serial ?? CertificateSerials.Next(random);
        var subject = BuildSubject(mailboxes[0]);
        var subjectIsEmpty = subject.GetOidList().Count == 0;

        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(serial);

        // SBR §7.1.4.1: the issuer DN is byte-identical to the issuing CA's subject DN.
        generator.SetIssuerDN(_ca.Certificate.SubjectDN);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(notBefore.UtcDateTime);
        generator.SetNotAfter(notAfter.UtcDateTime);
        generator.SetPublicKey(request.Csr.PublicKey);

        // SBR 7.1.2.3(e): keyUsage SHALL be present, SHOULD be critical.
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage.Value));

        // SBR 7.1.2.3(f): extKeyUsage from the profile (emailProtection only for Strict).
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(
            request.Profile.ExtendedKeyUsageOids.Select(oid => new DerObjectIdentifier(oid)).ToArray()));

        // SBR 7.1.2.3(a): exactly one reserved SBR policy OID, not critical.
        generator.AddExtension(X509Extensions.CertificatePolicies, false,
            new CertificatePolicies(new PolicyInformation(new DerObjectIdentifier(request.Profile.PolicyOid))));

        // SBR 7.1.2.3(h): SAN critical only when the subject is empty (RFC 5280 §4.2.1.6).
        generator.AddExtension(X509Extensions.SubjectAlternativeName, subjectIsEmpty, BuildSubjectAltName(mailboxes));

        // SBR 7.1.2.3(d): cA not true, no pathLenConstraint.
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));

        // SBR 7.1.2.3(g): AKI with keyIdentifier only.
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(_ca.SubjectKeyIdentifier));

        // SBR 7.1.2.3(n): SKI derived from the public key.
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false,
            X509ExtensionUtilities.CreateSubjectKeyIdentifier(request.Csr.PublicKey));

        // SBR 7.1.2.3(b): cRLDistributionPoints with an HTTP fullName URI.
        generator.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint([
            new DistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, _options.CrlUrl))),
                null, null),
        ]));

        // SBR 7.1.2.3(c): authorityInformationAccess caIssuers over HTTP, not critical.
        generator.AddExtension(X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(
            new AccessDescription(AccessDescription.IdADCAIssuers,
                new GeneralName(GeneralName.UniformResourceIdentifier, _options.CaIssuersUrl))));

        // SBR 4.3.1.2: lint the to-be-signed certificate, signed with a throwaway key, before the real signature.
        var preview = _throwaway.Sign(generator, _ca.Signer.KeyKind);
        var lint = _linter.Lint(preview, new LintContext(request.Profile, _ca.Certificate, request.Mailboxes, _time.GetUtcNow())
        {
            AllowInternalNames = _options.AllowInternalUrls == true,
        });
        if (lint.HasErrors)
        {
            throw new PreIssuanceLintException(lint.Findings);
        }

        var certificate = generator.Generate(_ca.Signer.CreateSignatureFactory());
        // The signature is checked before the certificate leaves (a token or key that signs wrongly stops here).
        var verified = _caCheck.TryVerify(certificate.SignatureAlgorithm, certificate.GetTbsCertificate(), certificate.GetSignature());
        if (verified is null)
        {
            certificate.Verify(_ca.Certificate.GetPublicKey());
        }
        else if (verified == false)
        {
            throw new Org.BouncyCastle.Security.Certificates.CertificateException("the CA's signature on the new certificate does not verify with the CA certificate's key");
        }

        return new IssuedCertificate(
            CertificateSerials.ToHex(serial),
            certificate.GetEncoded(),
            PemText.Certificate(certificate) + _ca.ChainPem,
            notBefore,
            notAfter)
        {
            LintFindings = lint.Findings,
        };
    }

    private (DateTimeOffset NotBefore, DateTimeOffset NotAfter) ValidityWindow(IssuanceRequest request)
    {
        var notBefore = Truncate(request.NotBefore ?? _time.GetUtcNow() - _options.BackdateBy);

        // RFC 5280 §4.1.2.5: the period includes both ends, so ValidityDays days end one second early.
        var notAfter = Truncate(request.NotAfter ?? notBefore.AddDays(_options.ValidityDays).AddSeconds(-1));
        if (notAfter <= notBefore)
        {
            throw new InvalidOperationException($"notAfter {notAfter:O} is not after notBefore {notBefore:O}");
        }

        // SBR §6.3.2: at most 825 days, counting the inclusive end second.
        if (notAfter - notBefore + TimeSpan.FromSeconds(1) > TimeSpan.FromDays(IssuanceOptions.MaximumValidityDays))
        {
            throw new InvalidOperationException($"the validity {notBefore:O} to {notAfter:O} exceeds {IssuanceOptions.MaximumValidityDays} days (SBR §6.3.2)");
        }

        return (notBefore, notAfter);
    }

    private static X509Name BuildSubject(NormalizedMailbox first)
    {
        // SBR §7.1.4.2.3: commonName MAY hold one SAN mailbox; RFC 5280 caps it at 64 characters.
        var address = first.Address;
        if (!first.HasNonAsciiLocalPart && address.Length <= MaxCommonNameLength)
        {
            return new X509Name([X509Name.CN], [address]);
        }

        return X509Name.GetInstance(DerSequence.Empty);
    }

    private static GeneralNames BuildSubjectAltName(IReadOnlyList<NormalizedMailbox> mailboxes)
    {
        // RFC 9598 §3: rfc822Name for an ASCII local part, SmtpUTF8Mailbox otherwise.
        var names = mailboxes.Select(m => m.HasNonAsciiLocalPart
            ? new GeneralName(GeneralName.OtherName, new OtherName(SmtpUtf8MailboxOid, new DerUtf8String(m.Address)))
            : new GeneralName(GeneralName.Rfc822Name, m.Address));
        return new GeneralNames(names.ToArray());
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

using Acme.Server.Issuance;
using Acme.Validation.Identifiers;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Tests.Support.Certificates;

/// <summary>
/// Builds a good Mailbox-validated leaf the way <see cref="LocalCertificateIssuer"/> does, and
/// variants with exactly one defect (via <see cref="CertificateRecipe"/>), for the linter tests.
/// </summary>
public sealed class BrokenCertificateFactory(CaMaterial ca, DateTimeOffset now)
{
    /// <summary>The mailbox every good certificate is issued for.</summary>
    public const string Address = "alice@example.test";

    /// <summary>The issuing CA.</summary>
    public CaMaterial Ca { get; } = ca;

    /// <summary>The issuance time used for validity and the lint context.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>A normalized mailbox.</summary>
    public static NormalizedMailbox Mailbox(string address) => MailboxNormalizer.Normalize(address).Value!;

    /// <summary>The recipe of a good certificate for <paramref name="keyKind"/> (a <see cref="TestKeys"/> kind).</summary>
    public CertificateRecipe Good(string keyKind, CertificateProfile profile)
    {
        var key = TestKeys.Get(keyKind);
        var notBefore = Now.UtcDateTime.AddMinutes(-1);
        var recipe = new CertificateRecipe
        {
            Profile = profile,
            Key = key,
            Subject = new X509Name([X509Name.CN], [Address]),
            Issuer = Ca.Certificate.SubjectDN,
            Serial = new BigInteger(1, SecureRandom.GetNextBytes(new SecureRandom(), 19)).SetBit(150),
            NotBefore = notBefore,
            NotAfter = notBefore.AddDays(365).AddSeconds(-1),
            ValidatedMailboxes = [Mailbox(Address)],
        };

        var keyUsage = key.Public switch
        {
            RsaKeyParameters => KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment,
            ECPublicKeyParameters => KeyUsage.DigitalSignature | KeyUsage.KeyAgreement,
            _ => KeyUsage.DigitalSignature,
        };

        recipe.Set(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage))
            .Set(X509Extensions.ExtendedKeyUsage, false, Eku(CertificateProfiles.EmailProtectionOid))
            .Set(X509Extensions.CertificatePolicies, false, Policies(new PolicyInformation(new DerObjectIdentifier(profile.PolicyOid))))
            .Set(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.Rfc822Name, Address)))
            .Set(X509Extensions.BasicConstraints, true, new BasicConstraints(false))
            .Set(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(Ca.SubjectKeyIdentifier))
            .Set(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public))
            .Set(X509Extensions.CrlDistributionPoints, false, CrlDp(new GeneralName(GeneralName.UniformResourceIdentifier, "http://ca.example.com/crl/1.crl")))
            .Set(X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.IdADCAIssuers, Uri("http://ca.example.com/issuing.cer"))));
        return recipe;
    }

    /// <summary>An extKeyUsage value.</summary>
    public static ExtendedKeyUsage Eku(params string[] oids) => new(oids.Select(o => new DerObjectIdentifier(o)).ToArray());

    /// <summary>A certificatePolicies value.</summary>
    public static CertificatePolicies Policies(params PolicyInformation[] policies) => new(policies);

    /// <summary>A cRLDistributionPoints value with one fullName.</summary>
    public static CrlDistPoint CrlDp(params GeneralName[] names) =>
        new([new DistributionPoint(new DistributionPointName(new GeneralNames(names)), null, null)]);

    /// <summary>A uniformResourceIdentifier GeneralName.</summary>
    public static GeneralName Uri(string uri) => new(GeneralName.UniformResourceIdentifier, uri);

    /// <summary>The lint context for a recipe.</summary>
    public LintContext Context(CertificateRecipe recipe) => new(recipe.Profile, Ca.Certificate, recipe.ValidatedMailboxes, Now);

    /// <summary>Builds and signs the certificate the recipe describes.</summary>
    public X509Certificate Build(CertificateRecipe recipe)
    {
        var random = new SecureRandom();
        ISignatureFactory signer = recipe.Signer is { } own
            ? new Asn1SignatureFactory(own.Algorithm, own.Key, random)
            : Ca.Signer.CreateSignatureFactory();
        if (recipe.SignatureAlgorithmLabel is { } label)
        {
            signer = new RelabelledSignatureFactory(signer, label);
        }

        var certificate = recipe.Version1 ? BuildV1(recipe, signer) : BuildV3(recipe, signer);
        if (recipe.OuterSignatureAlgorithm is { } outer)
        {
            var structure = certificate.CertificateStructure;
            certificate = new X509Certificate(new X509CertificateStructure(structure.TbsCertificate, outer, structure.Signature));
        }

        return new X509CertificateParser().ReadCertificate(certificate.GetEncoded());
    }

    private static X509Certificate BuildV3(CertificateRecipe recipe, ISignatureFactory signer)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(recipe.Serial);
        generator.SetIssuerDN(recipe.Issuer);
        generator.SetSubjectDN(recipe.Subject);
        generator.SetNotBefore(recipe.NotBefore);
        generator.SetNotAfter(recipe.NotAfter);
        if (recipe.PublicKeyInfo is { } info)
        {
            generator.SetSubjectPublicKeyInfo(info);
        }
        else
        {
            generator.SetPublicKey(recipe.Key.Public);
        }

        foreach (var (oid, critical, value) in recipe.Extensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator.Generate(signer);
    }

    private static X509Certificate BuildV1(CertificateRecipe recipe, ISignatureFactory signer)
    {
        var generator = new X509V1CertificateGenerator();
        generator.SetSerialNumber(recipe.Serial);
        generator.SetIssuerDN(recipe.Issuer);
        generator.SetSubjectDN(recipe.Subject);
        generator.SetNotBefore(recipe.NotBefore);
        generator.SetNotAfter(recipe.NotAfter);
        generator.SetPublicKey(recipe.Key.Public);
        return generator.Generate(signer);
    }

    /// <summary>Signs with the real algorithm but writes another AlgorithmIdentifier.</summary>
    private sealed class RelabelledSignatureFactory(ISignatureFactory inner, AlgorithmIdentifier label) : ISignatureFactory
    {
        public object AlgorithmDetails => label;

        public IStreamCalculator<IBlockResult> CreateCalculator() => inner.CreateCalculator();
    }
}

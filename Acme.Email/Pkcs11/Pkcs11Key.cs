using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Acme.Email.Pkcs11;

/// <summary>
/// A private key inside a PKCS#11 token. Digests are computed here and only they go to the token,
/// which returns the signature; the key material never leaves it. Thread-safe (one session, locked).
/// </summary>
public sealed class Pkcs11Key : IDisposable
{
    private readonly Pkcs11Token _token;
    private readonly IObjectHandle _privateKey;
    private readonly Lock _gate = new();

    private Pkcs11Key(Pkcs11Token token, IObjectHandle privateKey, Pkcs11KeyKind kind, AsymmetricKeyParameter? publicKey, string label)
    {
        _token = token;
        _privateKey = privateKey;
        Kind = kind;
        PublicKey = publicKey;
        Label = label;
    }

    /// <summary>The key type and size class.</summary>
    public Pkcs11KeyKind Kind { get; }

    /// <summary>
    /// The public key as read from the token: RSA from the private key object's modulus and exponent, EC from the
    /// public key object with the same label. Null for an EC key whose public object is absent.
    /// </summary>
    public AsymmetricKeyParameter? PublicKey { get; }

    /// <summary>The key label.</summary>
    public string Label { get; }

    /// <summary>The digest this key signs with: SHA-384 for P-384, SHA-256 otherwise (SBR §7.1.3.2).</summary>
    public string DigestName => Kind == Pkcs11KeyKind.EcP384 ? "SHA-384" : "SHA-256";

    /// <summary>Opens the token and finds the private key labelled <see cref="Pkcs11KeyOptions.KeyLabel"/>.</summary>
    /// <param name="options">The token settings.</param>
    /// <param name="section">The configuration section, e.g. <c>Issuance:Pkcs11</c>, for messages.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong; the message starts with its name.</exception>
    public static Pkcs11Key Open(Pkcs11KeyOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keyLabel = string.IsNullOrWhiteSpace(options.KeyLabel)
            ? throw new InvalidOperationException($"{section}:KeyLabel is not set.")
            : options.KeyLabel;
        var token = Pkcs11Token.Open(options, section);
        try
        {
            var session = token.Session;
            var found = session.FindAllObjects(
            [
                token.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                token.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, keyLabel),
            ]);
            if (found.Count != 1)
            {
                throw new InvalidOperationException(found.Count == 0
                    ? $"{section}:KeyLabel: token '{token.Label}' holds no private key labelled '{keyLabel}'."
                    : $"{section}:KeyLabel: token '{token.Label}' holds {found.Count} private keys labelled '{keyLabel}'; labels must be unique.");
            }

            var (kind, publicKey) = Describe(token, found[0], keyLabel, section);
            return new Pkcs11Key(token, found[0], kind, publicKey, keyLabel);
        }
        catch
        {
            token.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Signs a digest computed with <see cref="DigestName"/>: ECDSA returns the DER <c>Ecdsa-Sig-Value</c>
    /// (RFC 5480 §2.2.3 / RFC 3279 §2.2.3), RSA the PKCS#1 v1.5 signature over the DigestInfo (RFC 8017 §9.2).
    /// </summary>
    public byte[] SignDigest(byte[] digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var factories = _token.Factories;
        byte[] raw;
        if (Kind == Pkcs11KeyKind.Rsa)
        {
            // RFC 8017 §9.2: EMSA-PKCS1-v1_5 signs DigestInfo { sha256, digest }; CKM_RSA_PKCS adds the padding.
            var info = new DigestInfo(new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance), digest).GetDerEncoded();
            lock (_gate)
            {
                return _token.Session.Sign(factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), _privateKey, info);
            }
        }

        lock (_gate)
        {
            raw = _token.Session.Sign(factories.MechanismFactory.Create(CKM.CKM_ECDSA), _privateKey, digest);
        }

        // PKCS#11 v2.40 §2.3.1: CKM_ECDSA returns r || s, each as long as the order; X.509 wants SEQUENCE { r, s }.
        var half = raw.Length / 2;
        return new DerSequence(
            new DerInteger(new BigInteger(1, raw, 0, half)),
            new DerInteger(new BigInteger(1, raw, half, half))).GetDerEncoded();
    }

    /// <summary>A BouncyCastle signer that hashes here and signs in the token.</summary>
    public ISigner CreateSigner() => new Pkcs11Signer(this);

    /// <summary>Closes the session and unloads the library.</summary>
    public void Dispose() => _token.Dispose();

    private static (Pkcs11KeyKind Kind, AsymmetricKeyParameter? PublicKey) Describe(Pkcs11Token token, IObjectHandle handle, string label, string section)
    {
        var session = token.Session;
        var keyType = (CKK)session.GetAttributeValue(handle, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();
        if (keyType == CKK.CKK_RSA)
        {
            var values = session.GetAttributeValue(handle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            var modulus = new BigInteger(1, values[0].GetValueAsByteArray());
            var exponent = new BigInteger(1, values[1].GetValueAsByteArray());
            return (Pkcs11KeyKind.Rsa, new RsaKeyParameters(false, modulus, exponent));
        }

        if (keyType != CKK.CKK_EC)
        {
            throw new InvalidOperationException($"{section}:KeyLabel: the key '{label}' is a {keyType} key; only EC P-256, EC P-384 and RSA keys are supported.");
        }

        var curve = DerObjectIdentifier.GetInstance(session.GetAttributeValue(handle, [CKA.CKA_EC_PARAMS])[0].GetValueAsByteArray());
        var kind = curve.Equals(SecObjectIdentifiers.SecP256r1) ? Pkcs11KeyKind.EcP256
            : curve.Equals(SecObjectIdentifiers.SecP384r1) ? Pkcs11KeyKind.EcP384
            : throw new InvalidOperationException($"{section}:KeyLabel: the key '{label}' is on curve {curve}; only P-256 and P-384 are supported.");

        var publicObjects = session.FindAllObjects(
        [
            token.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY),
            token.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
        ]);
        if (publicObjects.Count != 1)
        {
            return (kind, null);
        }

        var point = session.GetAttributeValue(publicObjects[0], [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        return (kind, EcPublicKey(curve, point));
    }

    /// <summary>An EC public key from <c>CKA_EC_POINT</c>, which tokens give DER-wrapped (PKCS#11 v2.40 §2.3.3) or raw.</summary>
    internal static ECPublicKeyParameters EcPublicKey(DerObjectIdentifier curve, byte[] point)
    {
        var parameters = ECNamedCurveTable.GetByOid(curve);
        var fieldBytes = (parameters.Curve.FieldSize + 7) / 8;
        var encoded = point.Length == (2 * fieldBytes) + 1 && point[0] == 0x04 ? point : Asn1OctetString.GetInstance(point).GetOctets();
        return new ECPublicKeyParameters("EC", parameters.Curve.DecodePoint(encoded), curve);
    }
}

using Acme.Validation.Csr;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Acme.Server.Issuance;

/// <summary>A CA key held in memory, read from a PEM file (or generated for the development CA).</summary>
public sealed class FileCaSigner : ICaSigner
{
    private readonly AsymmetricKeyParameter _privateKey;

    // EC and RSA keys sign with .NET's OpenSSL (issue 13); Ed25519 keeps BouncyCastle.
    private readonly Acme.Validation.Signatures.DotNetSignatureFactory? _dotNet;

    /// <summary>Wraps a private key; its public half is derived from it.</summary>
    /// <exception cref="ArgumentException">The key is not a private key.</exception>
    public FileCaSigner(AsymmetricKeyParameter privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (!privateKey.IsPrivate)
        {
            throw new ArgumentException("the CA key must be a private key", nameof(privateKey));
        }

        _privateKey = privateKey;
        SignatureAlgorithm = CaSigning.AlgorithmFor(privateKey);
        KeyKind = CaSigning.KeyKindOf(privateKey);
        PublicKey = PublicOf(privateKey);
        _dotNet = Acme.Validation.Signatures.DotNetSignatureFactory.TryCreate(privateKey, SignatureAlgorithm);
    }

    /// <inheritdoc />
    public AsymmetricKeyParameter PublicKey { get; }

    /// <inheritdoc />
    public string SignatureAlgorithm { get; }

    /// <inheritdoc />
    public CsrKeyKind KeyKind { get; }

    /// <inheritdoc />
    public ISignatureFactory CreateSignatureFactory() => _dotNet ?? CaSigning.Factory(_privateKey, new SecureRandom());

    private static AsymmetricKeyParameter PublicOf(AsymmetricKeyParameter key) => key switch
    {
        ECPrivateKeyParameters ec => new ECPublicKeyParameters(ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.Parameters),
        RsaPrivateCrtKeyParameters rsa => new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
        Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
        _ => throw new ArgumentException($"the CA key type {key.GetType().Name} is not supported", nameof(key)),
    };
}

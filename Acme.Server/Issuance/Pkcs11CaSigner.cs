using Acme.Email.Pkcs11;
using Acme.Validation.Csr;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Operators.Utilities;

namespace Acme.Server.Issuance;

/// <summary>A CA key inside a PKCS#11 token: BouncyCastle builds the to-be-signed bytes, the token signs their digest.</summary>
public sealed class Pkcs11CaSigner : ICaSigner, IDisposable
{
    private readonly Pkcs11Key _key;
    private readonly AlgorithmIdentifier _algorithm;

    /// <summary>Wraps an open token key whose public half is <paramref name="publicKey"/> (the CA certificate's key).</summary>
    public Pkcs11CaSigner(Pkcs11Key key, AsymmetricKeyParameter publicKey)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        PublicKey = publicKey ?? throw new ArgumentNullException(nameof(publicKey));

        // SBR §7.1.3.2: ecdsa-with-SHA256 for P-256, ecdsa-with-SHA384 for P-384; sha256WithRSAEncryption for RSA.
        (SignatureAlgorithm, KeyKind) = key.Kind switch
        {
            Pkcs11KeyKind.EcP256 => ("SHA256WITHECDSA", CsrKeyKind.EcP256),
            Pkcs11KeyKind.EcP384 => ("SHA384WITHECDSA", CsrKeyKind.EcP384),
            _ => ("SHA256WITHRSA", CsrKeyKind.Rsa),
        };
        _algorithm = DefaultSignatureAlgorithmFinder.Instance.Find(SignatureAlgorithm);
    }

    /// <inheritdoc />
    public AsymmetricKeyParameter PublicKey { get; }

    /// <inheritdoc />
    public string SignatureAlgorithm { get; }

    /// <inheritdoc />
    public CsrKeyKind KeyKind { get; }

    /// <inheritdoc />
    public ISignatureFactory CreateSignatureFactory() => new TokenSignatureFactory(_algorithm, _key);

    /// <summary>Closes the token session.</summary>
    public void Dispose() => _key.Dispose();

    private sealed class TokenSignatureFactory(AlgorithmIdentifier algorithm, Pkcs11Key key) : ISignatureFactory
    {
        public object AlgorithmDetails => algorithm;

        public IStreamCalculator<IBlockResult> CreateCalculator()
        {
            var signer = key.CreateSigner();
            signer.Init(true, null!);
            return new DefaultSignatureCalculator(signer);
        }
    }
}

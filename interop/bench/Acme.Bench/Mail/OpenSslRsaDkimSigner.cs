using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Acme.Bench.Mail;

/// <summary>
/// MimeKit's DKIM signer with the rsa-sha256 signature itself made by .NET's OpenSSL-backed <see cref="RSA"/>
/// (about 0.75 ms against 6.4 ms in BouncyCastle's managed arithmetic), so the load client spends its CPU
/// on load and not on its own RSA. MimeKit still canonicalizes, hashes the body and builds the header.
/// </summary>
public sealed class OpenSslRsaDkimSigner(DkimKeyFile key, string domain, string selector)
    : DkimSigner(key.PrivateKey, domain, selector, key.Algorithm)
{
    protected override ISigner CreateSigningContext() =>
        key.Rsa is { } rsa && SignatureAlgorithm == DkimSignatureAlgorithm.RsaSha256 ? new Context(rsa, key.RsaGate) : base.CreateSigningContext();

    private sealed class Context(RSA rsa, Lock gate) : ISigner
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string AlgorithmName => "SHA-256withRSA";

        public void Init(bool forSigning, ICipherParameters parameters) => _hash.GetHashAndReset();

        public void Update(byte input) => _hash.AppendData(new ReadOnlySpan<byte>(in input));

        public void BlockUpdate(byte[] input, int inOff, int inLen) => _hash.AppendData(input, inOff, inLen);

        public void BlockUpdate(ReadOnlySpan<byte> input) => _hash.AppendData(input);

        public int GetMaxSignatureSize() => rsa.KeySize / 8;

        public byte[] GenerateSignature()
        {
            var digest = _hash.GetHashAndReset();
            lock (gate)
            {
                // RFC 6376 §3.3.1: RSASSA-PKCS1-v1_5 over SHA-256.
                return rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }

        public bool VerifySignature(byte[] signature) => throw new NotSupportedException("the load client only signs");

        public void Reset() => _hash.GetHashAndReset();
    }
}

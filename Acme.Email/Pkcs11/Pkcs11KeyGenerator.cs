using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Asn1.Sec;

namespace Acme.Email.Pkcs11;

/// <summary>Creates key pairs inside a token (C_GenerateKeyPair): the private key is sensitive and not extractable.</summary>
public static class Pkcs11KeyGenerator
{
    /// <summary>
    /// Generates a key pair labelled <see cref="Pkcs11KeyOptions.KeyLabel"/> (private and public objects share the
    /// label and a random <c>CKA_ID</c>), then opens it as a <see cref="Pkcs11Key"/>.
    /// </summary>
    /// <param name="options">The token and the label for the new key.</param>
    /// <param name="section">The setting prefix for messages, e.g. <c>--key-label</c> owners or <c>Dkim:Pkcs11</c>.</param>
    /// <param name="kind">The key type.</param>
    /// <param name="rsaBits">The RSA modulus size (ignored for EC).</param>
    /// <exception cref="InvalidOperationException">A setting is wrong, or a key with that label exists already.</exception>
    public static Pkcs11Key Generate(Pkcs11KeyOptions options, string section, Pkcs11KeyKind kind, int rsaBits = 3072)
    {
        ArgumentNullException.ThrowIfNull(options);
        var label = string.IsNullOrWhiteSpace(options.KeyLabel)
            ? throw new InvalidOperationException($"{section}:KeyLabel is not set.")
            : options.KeyLabel;
        using (var token = Pkcs11Token.Open(options, section, readWrite: true))
        {
            var attributes = token.Factories.ObjectAttributeFactory;
            var existing = token.Session.FindAllObjects([attributes.Create(CKA.CKA_LABEL, label)]);
            if (existing.Count > 0)
            {
                throw new InvalidOperationException($"{section}:KeyLabel: token '{token.Label}' already holds an object labelled '{label}'; choose another label.");
            }

            var id = RandomNumberGenerator.GetBytes(16);
            List<IObjectAttribute> publicTemplate =
            [
                attributes.Create(CKA.CKA_TOKEN, true),
                attributes.Create(CKA.CKA_PRIVATE, false),
                attributes.Create(CKA.CKA_LABEL, label),
                attributes.Create(CKA.CKA_ID, id),
                attributes.Create(CKA.CKA_VERIFY, true),
            ];
            List<IObjectAttribute> privateTemplate =
            [
                attributes.Create(CKA.CKA_TOKEN, true),
                attributes.Create(CKA.CKA_PRIVATE, true),
                attributes.Create(CKA.CKA_LABEL, label),
                attributes.Create(CKA.CKA_ID, id),
                attributes.Create(CKA.CKA_SIGN, true),
                attributes.Create(CKA.CKA_SENSITIVE, true),
                attributes.Create(CKA.CKA_EXTRACTABLE, false),
            ];

            CKM mechanism;
            if (kind == Pkcs11KeyKind.Rsa)
            {
                mechanism = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
                publicTemplate.Add(attributes.Create(CKA.CKA_MODULUS_BITS, (ulong)rsaBits));
                publicTemplate.Add(attributes.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            }
            else
            {
                mechanism = CKM.CKM_EC_KEY_PAIR_GEN;
                var curve = kind == Pkcs11KeyKind.EcP384 ? SecObjectIdentifiers.SecP384r1 : SecObjectIdentifiers.SecP256r1;
                publicTemplate.Add(attributes.Create(CKA.CKA_EC_PARAMS, curve.GetDerEncoded()));
            }

            token.Session.GenerateKeyPair(token.Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate, out _, out _);
        }

        return Pkcs11Key.Open(options, section);
    }
}

using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;

namespace Acme.Server.Issuance;

/// <summary>PEM reading and writing through BouncyCastle, with "\n" line ends on every platform.</summary>
internal static class PemText
{
    public static string Certificate(X509Certificate certificate) => Write(certificate);

    public static string PrivateKey(AsymmetricKeyParameter privateKey) =>
        Write(new Pkcs8Generator(privateKey).Generate());

    public static IReadOnlyList<X509Certificate> ReadCertificates(string pem)
    {
        var result = new List<X509Certificate>();
        using var reader = new StringReader(pem);
        var pemReader = new PemReader(reader);
        while (pemReader.ReadObject() is { } obj)
        {
            result.Add(obj as X509Certificate
                ?? throw new InvalidDataException($"the PEM holds a {obj.GetType().Name} where a certificate was expected"));
        }

        return result;
    }

    public static AsymmetricKeyParameter ReadPrivateKey(string pem)
    {
        using var reader = new StringReader(pem);
        var obj = new PemReader(reader).ReadObject();
        return obj switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            null => throw new InvalidDataException("the file holds no PEM object"),
            _ => throw new InvalidDataException($"the PEM holds a {obj.GetType().Name}, not an unencrypted private key"),
        };
    }

    private static string Write(object obj)
    {
        using var text = new StringWriter { NewLine = "\n" };
        var writer = new PemWriter(text);
        writer.WriteObject(obj);
        writer.Writer.Flush();
        return text.ToString();
    }
}

using System.Text;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;
using CsCheck;

namespace Acme.Tests.Support.Fuzzing;

/// <summary>How the outer JWS object of a <see cref="JwsRecipe"/> is put together.</summary>
public enum OuterShape
{
    /// <summary>A correctly signed flattened JWS around the (possibly hostile) header and payload.</summary>
    Signed,

    /// <summary>The signed JWS text, then mutated byte by byte.</summary>
    SignedThenMutated,

    /// <summary>A JSON object with some of the three members and random extra ones.</summary>
    RandomObject,

    /// <summary>The three parts joined by dots (compact), bare or as a JSON string.</summary>
    Compact,

    /// <summary>Random octets.</summary>
    Noise,
}

/// <summary>What fills the placeholders of a <see cref="JwsRecipe"/> when it is built.</summary>
/// <param name="Key">Signs the JWS.</param>
/// <param name="Nonce">The value for <c>%NONCE%</c>.</param>
/// <param name="Url">The value for <c>%URL%</c>.</param>
/// <param name="Kid">The account URL for <c>%KID%</c>.</param>
/// <param name="UseJwk">Whether <c>%KEY%</c> becomes a <c>jwk</c> member (else <c>kid</c>).</param>
public sealed record JwsContext(TestAccountKey Key, string Nonce, string Url, string Kid, bool UseJwk);

/// <summary>
/// A generated JWS request body: a protected-header template (placeholders for the nonce, url and
/// key so that most inputs get past the early checks and reach the payload code), payload octets and
/// an outer shape. Building it signs with the context's key, so the signature is usually valid.
/// </summary>
public sealed record JwsRecipe(OuterShape Shape, byte[] Header, byte[] Payload, bool ValidSignature, ByteMutation[] Mutations, string Extras, byte[] Noise)
{
    private static readonly Gen<string> KeyMember = CsCheck.Gen.Frequency(
        (60, CsCheck.Gen.Const("%KEY%")), (1, CsCheck.Gen.Const("\"kid\":\"%KID%\"")), (1, CsCheck.Gen.Const("\"jwk\":%JWK%")),
        (1, CsCheck.Gen.Const("\"kid\":\"%KID%\",\"jwk\":%JWK%")), (1, CsCheck.Gen.Const("\"jwk\":" + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}")),
        (1, FuzzJson.Value.Select(v => "\"jwk\":" + v)), (1, FuzzJson.Value.Select(v => "\"kid\":" + v)), (1, CsCheck.Gen.Const(string.Empty)));

    /// <summary>A protected header: each expected member usually right, sometimes hostile or missing, plus extras.</summary>
    public static readonly Gen<byte[]> HeaderGen = CsCheck.Gen.Frequency(
        (14, CsCheck.Gen.Select(Member("alg", "\"%ALG%\""), Member("nonce", "\"%NONCE%\""), Member("url", "\"%URL%\""), KeyMember, Extra)
            .Select((alg, nonce, url, key, extra) => FuzzJson.Utf8("{" + string.Join(",", new[] { alg, nonce, url, key, extra }.Where(m => m.Length > 0)) + "}"))),
        (2, CsCheck.Gen.Select(Member("alg", "\"%ALG%\""), Member("nonce", "\"%NONCE%\""), Member("url", "\"%URL%\""), KeyMember)
            .Select((alg, nonce, url, key) => FuzzJson.Utf8("{" + string.Join(",", new[] { alg, nonce, url, key }.Where(m => m.Length > 0)) + "}"))
            .SelectMany(FuzzJson.Mutate)),
        (1, FuzzJson.Document));

    private static Gen<string> Extra => CsCheck.Gen.Frequency((6, CsCheck.Gen.Const(string.Empty)), (1, CsCheck.Gen.Select(FuzzJson.Name, FuzzJson.Value).Select((n, v) => n + ":" + v)));

    /// <summary>A recipe around payloads from <paramref name="payload"/>.</summary>
    public static Gen<JwsRecipe> Generator(Gen<byte[]> payload) => CsCheck.Gen.Select(
            CsCheck.Gen.Frequency((24, CsCheck.Gen.Const(OuterShape.Signed)), (2, CsCheck.Gen.Const(OuterShape.SignedThenMutated)),
                (2, CsCheck.Gen.Const(OuterShape.RandomObject)), (1, CsCheck.Gen.Const(OuterShape.Compact)), (1, CsCheck.Gen.Const(OuterShape.Noise))),
            HeaderGen, payload, CsCheck.Gen.Int[0, 15], ByteMutation.Gen.Array[1, 3], Extra, CsCheck.Gen.Byte.Array[0, 120])
        .Select((shape, header, body, signature, mutations, extras, noise) => new JwsRecipe(shape, header, body, signature != 0, mutations, extras, noise));

    /// <summary>The request body for <paramref name="context"/>.</summary>
    public byte[] Build(JwsContext context)
    {
        var jwk = context.Key.PublicJwk().ToJsonString();
        var header = Replace(Header, "%KEY%", context.UseJwk ? "\"jwk\":" + jwk : $"\"kid\":\"{context.Kid}\"");
        header = Replace(header, "%ALG%", context.Key.Algorithm);
        header = Replace(header, "%NONCE%", context.Nonce);
        header = Replace(header, "%URL%", context.Url);
        header = Replace(header, "%KID%", context.Kid);
        header = Replace(header, "%JWK%", jwk);
        var protectedPart = StrictBase64Url.Encode(header);
        var payloadPart = Payload.Length == 0 ? string.Empty : StrictBase64Url.Encode(Payload);
        var signature = ValidSignature
            ? context.Key.Sign(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart))
            : Noise.Take(64).ToArray();
        var signaturePart = StrictBase64Url.Encode(signature);
        var flattened = FuzzJson.Utf8(JwsBuilder.Flattened(protectedPart, payloadPart, signaturePart));
        return Shape switch
        {
            OuterShape.Signed => flattened,
            OuterShape.SignedThenMutated => Mutations.Aggregate(flattened, (b, m) => m.Apply(b)),
            OuterShape.RandomObject => FuzzJson.Utf8(RandomObject(protectedPart, payloadPart, signaturePart)),
            OuterShape.Compact => FuzzJson.Utf8(Noise.Length % 2 == 0
                ? $"{protectedPart}.{payloadPart}.{signaturePart}"
                : $"\"{protectedPart}.{payloadPart}.{signaturePart}\""),
            _ => Noise,
        };
    }

    public override string ToString() =>
        $"{Shape} header={Show(Header)} payload={Show(Payload)} validSignature={ValidSignature} mutations=[{string.Join(", ", Mutations.AsEnumerable())}] extras={Extras}";

    private static Gen<string> Member(string name, string good) => CsCheck.Gen.Frequency(
        (60, CsCheck.Gen.Const($"\"{name}\":{good}")),
        (1, FuzzJson.Value.Select(v => $"\"{name}\":{v}")),
        (1, CsCheck.Gen.Const(string.Empty)));

    private string RandomObject(string protectedPart, string payloadPart, string signaturePart)
    {
        // Mutations[0] picks which of the three members are kept; the extras go first or last.
        var keep = Mutations[0].Argument;
        var members = new List<string>();
        if ((keep & 1) != 0)
        {
            members.Add($"\"protected\":\"{protectedPart}\"");
        }

        if ((keep & 2) != 0)
        {
            members.Add($"\"payload\":\"{payloadPart}\"");
        }

        if ((keep & 4) != 0)
        {
            members.Add($"\"signature\":\"{signaturePart}\"");
        }

        if (Extras.Length > 0)
        {
            members.Insert((keep & 8) != 0 ? 0 : members.Count, Extras);
        }

        return "{" + string.Join(",", members) + "}";
    }

    private static byte[] Replace(byte[] bytes, string placeholder, string value)
    {
        var needle = FuzzJson.Utf8(placeholder);
        var index = bytes.AsSpan().IndexOf(needle);
        while (index >= 0)
        {
            bytes = [.. bytes.AsSpan(0, index), .. FuzzJson.Utf8(value), .. bytes.AsSpan(index + needle.Length)];
            var next = bytes.AsSpan(index + value.Length).IndexOf(needle);
            index = next < 0 ? -1 : index + value.Length + next;
        }

        return bytes;
    }

    private static string Show(byte[] bytes) => bytes.Length > 300
        ? $"{bytes.Length} bytes: {Encoding.UTF8.GetString(bytes, 0, 300)}…"
        : Encoding.UTF8.GetString(bytes);
}

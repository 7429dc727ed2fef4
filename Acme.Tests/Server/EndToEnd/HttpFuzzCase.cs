using System.Text;
using Acme.Tests.Support.Fuzzing;
using Acme.Validation.Codecs;
using CsCheck;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>The resource a fuzzed request goes to.</summary>
public enum FuzzTarget
{
    NewAccount,
    NewOrder,
    Account,
    AccountOrders,
    KeyChange,
    Order,
    Finalize,
    Authorization,
    Challenge,
    Certificate,
    RevokeCert,
    RenewalInfo,
    UnknownId,
}

/// <summary>The URLs and octets a fuzz run works against: a registered account with a ready order and an issued certificate.</summary>
public sealed record FuzzWorld(
    string NewAccount, string NewOrder, string Account, string KeyChange, string Order, string Finalize,
    string Authorization, string Challenge, string Certificate, string RevokeCert, string RenewalInfo,
    byte[] ValidCsr, byte[] CertificateDer);

/// <summary>
/// One generated HTTP request: a target, a JWS recipe (its payload shaped for the target), a path
/// or query suffix, and a content type. <see cref="Generator"/> builds them for a <see cref="FuzzWorld"/>.
/// </summary>
public sealed record HttpFuzzCase(FuzzTarget Target, JwsRecipe Recipe, string PathSuffix, string ContentType, bool UseJwk, string? OtherMethod)
{
    private static readonly string[] OtherMethods = ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "POST"];

    private static readonly string[] ContentTypes =
        ["application/jose+json; charset=utf-8", "application/json", "text/plain", "application/jose+json;;", "APPLICATION/JOSE+JSON", "/", "application/jose+json; x=\"\\\""];

    public static Gen<HttpFuzzCase> Generator(FuzzWorld world) =>
        Gen.Select(Gen.Enum<FuzzTarget>(), PathSuffixes, Gen.Frequency((12, Gen.Const("application/jose+json")), (1, Gen.OneOf(ContentTypes))), Gen.Int[0, 3],
                Gen.Frequency((12, Gen.Const((string?)null)), (1, Gen.OneOf<string?>(OtherMethods))))
            .SelectMany((target, suffix, contentType, keyChoice, method) => JwsRecipe.Generator(Payload(target, world))
                .Select(recipe => new HttpFuzzCase(target, recipe, suffix, contentType,
                    UseJwk: target == FuzzTarget.NewAccount || (target == FuzzTarget.RevokeCert && keyChoice == 0), method)));

    /// <summary>The target's own method (GET for renewalInfo, POST for the rest) unless the case picked another.</summary>
    public HttpMethod Method => new(OtherMethod ?? (Target == FuzzTarget.RenewalInfo ? "GET" : "POST"));

    /// <summary>The request URL: the target's, plus the suffix for the resources that take one.</summary>
    public string Url(FuzzWorld world) => Target switch
    {
        FuzzTarget.NewAccount => world.NewAccount,
        FuzzTarget.NewOrder => world.NewOrder,
        FuzzTarget.Account => world.Account,
        FuzzTarget.AccountOrders => world.Account + "/orders?cursor=" + PathSuffix,
        FuzzTarget.KeyChange => world.KeyChange,
        FuzzTarget.Order => world.Order,
        FuzzTarget.Finalize => world.Finalize,
        FuzzTarget.Authorization => world.Authorization,
        FuzzTarget.Challenge => world.Challenge,
        FuzzTarget.Certificate => world.Certificate,
        FuzzTarget.RevokeCert => world.RevokeCert,
        FuzzTarget.RenewalInfo => world.RenewalInfo + "/" + PathSuffix,
        _ => world.Order[..(world.Order.LastIndexOf('/') + 1)] + PathSuffix,
    };

    public override string ToString() => $"{Method} {Target} suffix={PathSuffix} contentType={ContentType} jwk={UseJwk} {Recipe}";

    /// <summary>Path segments and query values: base64url-ish, percent-encoded octets (also invalid UTF-8), dots.</summary>
    private static Gen<string> PathSuffixes => Gen.Frequency(
        (3, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."].Array[0, 40].Select(c => new string(c))),
        (2, Gen.Byte.Array[0, 24].Select(bytes => string.Concat(bytes.Select(b => $"%{b:X2}")))),
        (1, Gen.Select(Gen.Long, Gen.Byte.Array[0, 12]).Select((at, id) => StrictBase64Url.Encode(Encoding.ASCII.GetBytes($"{at}.{Encoding.Latin1.GetString(id)}")))),
        (1, Gen.OneOf("..", "%2e%2e", "%00", "a%2Fb", "~", "%F0%9F%98%80", "%ED%A0%80", "%C3%28")));

    private static Gen<byte[]> Payload(FuzzTarget target, FuzzWorld world)
    {
        var generic = Gen.Frequency(
            (4, FuzzJson.Document),
            (2, FuzzJson.ShapedPayload.Select(FuzzJson.Utf8)),
            (1, Gen.Const(Array.Empty<byte>())),
            (1, Gen.Const("{}"u8.ToArray())));
        return target switch
        {
            // The account stays valid for the rest of the run: deactivation would turn every later request into 401.
            FuzzTarget.Account => generic.Select(p => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(p).Replace("deactivated", "deactivate", StringComparison.Ordinal))),
            FuzzTarget.Finalize => Gen.Frequency((3, Csrs(world).Select(csr => Field("csr", csr))), (1, generic)),
            FuzzTarget.RevokeCert => Gen.Frequency((3, Gen.Select(Mutated(world.CertificateDer), FuzzJson.Scalar).Select((der, reason) =>
                FuzzJson.Utf8($"{{\"certificate\":\"{StrictBase64Url.Encode(der)}\",\"reason\":{reason}}}"))), (1, generic)),
            FuzzTarget.KeyChange => Gen.Frequency((3, InnerJws(world)), (1, generic)),
            _ => generic,
        };
    }

    private static Gen<byte[]> Csrs(FuzzWorld world) => Gen.Frequency((4, ByteMutation.Gen.Array[1, 3].Select(ms => ms.Aggregate(world.ValidCsr, (b, m) => m.Apply(b)))), (1, Gen.Byte.Array[0, 300]));

    private static Gen<byte[]> Mutated(byte[] der) => ByteMutation.Gen.Array[0, 3].Select(ms => ms.Aggregate(der, (b, m) => m.Apply(b)));

    /// <summary>keyChange's payload is itself a JWS; its octets are built here with a throw-away key.</summary>
    private static Gen<byte[]> InnerJws(FuzzWorld world) => JwsRecipe.Generator(FuzzJson.Document).Select(recipe =>
    {
        using var newKey = Support.Jose.TestAccountKey.Create("ES256");
        return recipe.Build(new JwsContext(newKey, "bm9uY2U", world.KeyChange, world.Account, UseJwk: true));
    });

    private static byte[] Field(string name, byte[] der) => FuzzJson.Utf8($"{{\"{name}\":\"{StrictBase64Url.Encode(der)}\"}}");
}

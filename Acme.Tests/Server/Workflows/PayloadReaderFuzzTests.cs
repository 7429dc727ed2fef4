using System.Text.Json;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Server.Workflows;
using Acme.Tests.Support.Fuzzing;
using Acme.Tests.Support.Jose;
using CsCheck;

namespace Acme.Tests.Server.Workflows;

/// <summary>
/// Property: whatever payload octets arrive, the payload parse and every typed reader the
/// workflows use (members, identifiers, contacts, validity window, cursor, EAB) end in a 4xx
/// <see cref="AcmeProblemException"/> or a value, never another exception (issue 9, item 5).
/// </summary>
[Category("Fuzz")]
public sealed class PayloadReaderFuzzTests
{
    private static readonly Acme.Validation.Identifiers.NormalizedMailbox ChallengeMailbox = new("acme", "acme.localhost");

    private const ulong Seed = 0x5EED_0002;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private TestAccountKey _key = null!;
    private JsonWebKey _jwk = null!;
    private int _parsed;

    [OneTimeSetUp]
    public void CreateKey()
    {
        _key = TestAccountKey.Create("ES256");
        using var document = JsonDocument.Parse(_key.PublicJwk().ToJsonString());
        _jwk = JsonWebKey.Parse(document.RootElement);
    }

    [OneTimeTearDown]
    public void DisposeKey() => _key.Dispose();

    [Test]
    public void AnyPayload_ReadersRefuseWithProblemsOnly()
    {
        var payloads = Gen.Frequency((1, FuzzJson.Document), (2, FuzzJson.ShapedPayload.Select(FuzzJson.Utf8)), (1, FuzzJson.ShapedPayload.Select(FuzzJson.Utf8).SelectMany(FuzzJson.Mutate)));

        FuzzRunner.Run(payloads, ReadEverything, iterations: 2500, Seed, print: b => System.Text.Encoding.UTF8.GetString(b));
        TestContext.Out.WriteLine($"2500 payloads, {_parsed} of them JSON objects that reached the readers");
    }

    private void ReadEverything(byte[] octets)
    {
        JsonElement payload;
        try
        {
            payload = PayloadReader.RequireObject(StrictJson.ParseObject(octets, "the JWS payload"), "fuzz");
        }
        catch (AcmeProblemException e) when (IsClientError(e))
        {
            return;
        }

        _parsed++;
        foreach (var name in FuzzJson.Names)
        {
            Refusable(() => PayloadReader.OptionalString(payload, name));
            Refusable(() => PayloadReader.OptionalBool(payload, name));
            Refusable(() => PayloadReader.OptionalStringArray(payload, name));
        }

        Refusable(() => IdentifierParser.Parse(payload, 10, rewriteDnsWithAt: false, ChallengeMailbox));
        Refusable(() => IdentifierParser.Parse(payload, 10, rewriteDnsWithAt: true, ChallengeMailbox));
        Refusable(() => ContactValidator.Validate(PayloadReader.OptionalStringArray(payload, "contact") ?? []));
        Refusable(() => ValidityWindow.Check(PayloadReader.OptionalString(payload, "notBefore"), PayloadReader.OptionalString(payload, "notAfter"), Now, 365));
        Refusable(() => OrdersCursor.Decode(PayloadReader.OptionalString(payload, "replaces")));
        if (PayloadReader.TryGet(payload, "externalAccountBinding", out var eab))
        {
            _ = ExternalAccountBindingVerifier.Verify(eab, "https://acme.test/new-account", _jwk, kid => new ExternalAccountKey(kid, new byte[32], "HS256"));
        }
    }

    private static void Refusable(Func<object?> read)
    {
        try
        {
            _ = read();
        }
        catch (AcmeProblemException e) when (IsClientError(e))
        {
            // Expected for hostile payloads.
        }
    }

    private static bool IsClientError(AcmeProblemException e) => e.Problem.Status is >= 400 and < 500;
}

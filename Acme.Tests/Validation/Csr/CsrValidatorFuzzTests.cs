using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Fuzzing;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using CsCheck;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Tests.Validation.Csr;

/// <summary>
/// Property: no finalize CSR octets make <see cref="CsrValidator"/> throw; every one ends in a
/// value or a <see cref="FailureKind.BadCsr"/> failure (issue 9, item 5). The inputs are noise,
/// byte-mutated valid CSRs of every accepted key type, and DER with hostile lengths and nesting.
/// </summary>
[Category("Fuzz")]
public sealed class CsrValidatorFuzzTests
{
    private const ulong Seed = 0x5EED_0003;
    private const string Address = "alice@example.test";

    private static readonly IReadOnlyCollection<NormalizedMailbox> Order = [MailboxNormalizer.Normalize(Address).Value!];

    private byte[][] _valid = [];

    [OneTimeSetUp]
    public void BuildValidCsrs()
    {
        _valid =
        [
            .. new[] { "rsa2048", "p256", "p384", "ed25519" }.Select(kind => TestCsrBuilder.ForKey(TestKeys.Get(kind)).WithRfc822(Address).WithKeyUsage(KeyUsage.DigitalSignature).Build()),
            TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithSmtpUtf8("ü@example.test").WithDnsName("example.test").Build(),
            TestCsrBuilder.ForKey(TestKeys.Get("p256")).Build(),
        ];
    }

    [Test]
    public void AnyCsr_IsAnOutcomeNeverAnException()
    {
        var validIndex = Gen.Int[0, _valid.Length - 1];
        var inputs = Gen.Frequency(
            (1, Gen.Byte.Array[0, 200]),
            (5, Gen.Select(validIndex, ByteMutation.Gen.Array[1, 4]).Select((i, ms) => ms.Aggregate(_valid[i], (b, m) => m.Apply(b)))),
            (1, Gen.Select(validIndex, Gen.Int[0, 400], Gen.Byte.Array[1, 6]).Select((i, at, len) => WithLength(_valid[i], at, len))),
            (1, Gen.Select(Gen.Int[1, 3000], Gen.Bool).Select(Nested)));

        FuzzRunner.Run(inputs, der =>
        {
            var outcome = new CsrValidator().Validate(der, Order, accountKeySpkiDer: null);
            if (!outcome.IsSuccess)
            {
                Assert.That(outcome.Failure.Kind, Is.EqualTo(FailureKind.BadCsr), outcome.Failure.Detail);
            }
        }, iterations: 1200, Seed);
    }

    /// <summary>Overwrites the octets after <paramref name="at"/> with a long-form length (0x80 | n, then n octets).</summary>
    private static byte[] WithLength(byte[] der, int at, byte[] length)
    {
        var copy = (byte[])der.Clone();
        at = Math.Min(at, copy.Length - 1);
        var header = new[] { (byte)(0x80 | length.Length) }.Concat(length).ToArray();
        header.AsSpan(0, Math.Min(header.Length, copy.Length - at)).CopyTo(copy.AsSpan(at));
        return copy;
    }

    /// <summary>SEQUENCE inside SEQUENCE <paramref name="depth"/> deep, definite or indefinite (BER) length.</summary>
    private static byte[] Nested(int depth, bool indefinite)
    {
        if (indefinite)
        {
            return [.. Enumerable.Repeat(new byte[] { 0x30, 0x80 }, depth).SelectMany(b => b), .. new byte[depth * 2]];
        }

        Asn1Encodable inner = DerNull.Instance;
        for (var i = 0; i < depth; i++)
        {
            inner = new DerSequence(inner);
        }

        return inner.GetDerEncoded();
    }
}

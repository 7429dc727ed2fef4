using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto;

namespace Acme.Tests.Support.Certificates;

/// <summary>
/// Key pairs generated once per test run and shared (RSA generation is slow). Use
/// <see cref="TestCsrBuilder.NewKey"/> when a test needs a key nobody else holds.
/// </summary>
public static class TestKeys
{
    private static readonly ConcurrentDictionary<string, Lazy<AsymmetricCipherKeyPair>> Cache = new();

    /// <summary>The shared key pair of the given kind (see <see cref="TestCsrBuilder.NewKey"/>).</summary>
    public static AsymmetricCipherKeyPair Get(string kind) =>
        Cache.GetOrAdd(kind, k => new Lazy<AsymmetricCipherKeyPair>(() => TestCsrBuilder.NewKey(k))).Value;
}

using Acme.Server.Issuance;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Issuance;

/// <summary>A development CA in a fresh temporary directory, with a fake clock, for one fixture.</summary>
internal sealed class IssuanceTestCa : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public IssuanceTestCa()
    {
        Directory = Path.Combine(Path.GetTempPath(), "acme-issuance-" + Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(Start);
        Material = DevelopmentCaGenerator.LoadOrCreate(Directory, Time);
        Time.Advance(TimeSpan.FromHours(1));
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public CaMaterial Material { get; }

    public static IssuanceOptions Options() => new()
    {
        CrlUrl = "http://ca.example.com/crl/1.crl",
        CaIssuersUrl = "http://ca.example.com/issuing.cer",
    };

    /// <summary>The fake clock as Unix seconds, for openssl's -attime.</summary>
    public string AtTime => Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

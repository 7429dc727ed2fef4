using Acme.Server.Hosting;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Hosting;

/// <summary>Issue 13: resource ids begin with their creation time, so ids made together are indexed together.</summary>
public sealed class ResourceIdsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    [Test]
    public void New_Is128BitsOfBase64Url_TheFirst48TheCreationMillisecond()
    {
        var id = ResourceIds.New(Start.AddMilliseconds(5));

        Assert.That(ResourceIds.IsWellFormed(id), Is.True, id);
        Assert.That(StrictBase64Url.TryDecode(id, out var bytes), Is.True);
        Assert.That(bytes, Has.Length.EqualTo(16));
        var millisecond = bytes!.Take(6).Aggregate(0L, (acc, b) => (acc << 8) | b);
        Assert.That(millisecond, Is.EqualTo(Start.ToUnixTimeMilliseconds() + 5));
    }

    [Test]
    public void IdsOfOneMoment_DifferInTheir80RandomBits()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ResourceIds.New(Start)).ToList();

        Assert.That(ids.Distinct().Count(), Is.EqualTo(1000));
        var randomParts = ids.Select(id => Convert.ToHexString(Decode(id)[6..])).ToList();
        Assert.That(randomParts.Distinct().Count(), Is.EqualTo(1000));
        Assert.That(randomParts.Select(p => p[..2]).Distinct().Count(), Is.GreaterThan(100), "the random part is not a counter");
    }

    [Test]
    public void IdsMadeWithinAFewMilliseconds_ShareTheirFirstSevenCharacters()
    {
        // The first 7 characters carry the time down to 64 ms: an index keeps the ids of one group commit side by side.
        var window = Start.ToUnixTimeMilliseconds() / 64 * 64;
        var ids = Enumerable.Range(0, 64).Select(i => ResourceIds.New(DateTimeOffset.FromUnixTimeMilliseconds(window + i))).ToList();

        Assert.That(ids.Select(id => id[..7]).Distinct().Count(), Is.EqualTo(1));
        Assert.That(ResourceIds.New(DateTimeOffset.FromUnixTimeMilliseconds(window + 64))[..7], Is.Not.EqualTo(ids[0][..7]));
    }

    private static byte[] Decode(string id) => StrictBase64Url.TryDecode(id, out var bytes) ? bytes : throw new FormatException(id);
}

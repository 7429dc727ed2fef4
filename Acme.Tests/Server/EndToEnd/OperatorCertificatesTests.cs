namespace Acme.Tests.Server.EndToEnd;

/// <summary>Issue 12 §4 certificates list/show: filters by mailbox, account, serial and issuance time; one certificate with its evidence.</summary>
public sealed class OperatorCertificatesTests : OperatorCommandTestBase
{
    [Test]
    public async Task List_EachFilter_SelectsTheMatchingCertificates()
    {
        var ivan = await ClientAsync();
        var early = await IssueAsync(ivan, "p256", "ivan@users.example.test");
        var issuedBetween = Server.Time.GetUtcNow().AddHours(1);
        Server.Time.Advance(TimeSpan.FromDays(2));
        var late = await IssueAsync(ivan, "p384", "ivan@users.example.test");
        Server.Time.Advance(TimeSpan.FromMinutes(1));
        var judy = await ClientAsync("ES384");
        var other = await IssueAsync(judy, "p256", "judy@users.example.test");
        string Between(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        async Task<string[]> SerialsAsync(params string[] filters)
        {
            var (code, output, error) = await RunAsync(["certificates", "list", .. filters]);
            Assert.That(code, Is.Zero, error);
            return [.. new[] { early, late, other }.Select(Serial).Where(s => output.Contains(s, StringComparison.Ordinal))];
        }

        Assert.That(await SerialsAsync(), Is.EquivalentTo(new[] { Serial(early), Serial(late), Serial(other) }));
        Assert.That(await SerialsAsync("--address", "IVAN@users.example.test"), Is.EquivalentTo(new[] { Serial(early), Serial(late) }));
        Assert.That(await SerialsAsync("--account", AccountId(judy)), Is.EquivalentTo(new[] { Serial(other) }));
        Assert.That(await SerialsAsync("--serial", "00" + Serial(late).ToUpperInvariant()), Is.EquivalentTo(new[] { Serial(late) }));
        Assert.That(await SerialsAsync("--issued-before", Between(issuedBetween)), Is.EquivalentTo(new[] { Serial(early) }));
        Assert.That(await SerialsAsync("--issued-after", Between(issuedBetween), "--address", "ivan@users.example.test"), Is.EquivalentTo(new[] { Serial(late) }));
        Assert.That(await SerialsAsync("--address", "nobody@users.example.test"), Is.Empty);

        var limited = await RunAsync("certificates", "list", "--limit", "1");
        Assert.That(limited.Output, Does.Contain("1 certificate(s), the limit"));
        Assert.That(limited.Output, Does.Contain(Serial(other)), "newest first");
    }

    [Test]
    public async Task Show_ValidThenRevoked_ShowsMailboxesAccountValidityStatusAndEvidence()
    {
        var client = await ClientAsync();
        var leaf = await IssueAsync(client, "p256", "kim@users.example.test");

        var (code, output, error) = await RunAsync("certificates", "show", Serial(leaf));
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("mailboxes:  kim@users.example.test"));
        Assert.That(output, Does.Contain("account:    " + AccountId(client)));
        Assert.That(output, Does.Match(@"validity:   \S+ to \S+"));
        Assert.That(output, Does.Contain("status:     valid"));
        Assert.That(output, Does.Match(@"evidence:   kim@users\.example\.test: authorization \S+, challenge \S+, method [^-]"));
        Assert.That(output, Does.Contain("full trail: audit --serial " + Serial(leaf)));

        Assert.That((await RunAsync("revoke", "--serial", Serial(leaf), "--reason", "affiliationChanged")).Code, Is.Zero);
        Assert.That((await RunAsync("certificates", "show", Serial(leaf))).Output, Does.Match(@"status:     revoked at \S+, reason affiliationChanged"));
    }
}

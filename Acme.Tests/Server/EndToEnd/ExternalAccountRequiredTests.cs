using System.Net;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>EAB required by configuration.</summary>
public sealed class ExternalAccountRequiredTests : EndToEndTestBase
{
    protected override string[] Settings => ["Acme:ExternalAccountRequired=true"];

    [Test]
    public async Task NewAccount_WithoutBinding_ExternalAccountRequired()
    {
        var client = await ClientAsync(register: false);
        Assert.That(client.Directory["meta"]!["externalAccountRequired"]!.GetValue<bool>(), Is.True);
        AssertProblem(await client.NewAccountAsync(), HttpStatusCode.BadRequest, "externalAccountRequired");
    }
}

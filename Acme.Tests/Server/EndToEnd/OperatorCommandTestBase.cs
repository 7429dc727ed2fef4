using System.Text;
using Acme.Server.Hosting;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 12 §4: operator commands run against the database of a running server, after real certificates
/// were issued through it (the same entry as <c>dotnet run --project Acme.Server -- COMMAND</c>).
/// </summary>
public abstract class OperatorCommandTestBase : EndToEndTestBase
{
    protected async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommands.RunAsync(Server.App, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Orders, validates and finalizes a certificate for <paramref name="mailbox"/> with the shared test key <paramref name="keyKind"/>.</summary>
    protected async Task<X509Certificate> IssueAsync(AcmeTestClient client, string keyKind, string mailbox)
    {
        var order = await client.NewOrderAsync(mailbox);
        Assert.That(order.Status, Is.EqualTo(System.Net.HttpStatusCode.Created), order.ToString());
        foreach (var authorizationUrl in order.Json!["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            var authorization = (await client.PostAsGetAsync(authorizationUrl)).Json!;
            if (authorization["status"]!.GetValue<string>() == "valid")
            {
                continue; // reused from an earlier order of this account
            }

            var challengeUrl = authorization["challenges"]![0]!["url"]!.GetValue<string>();
            await ApplyReplyAsync(challengeUrl);
            await client.PostAsync(challengeUrl, new System.Text.Json.Nodes.JsonObject());
        }

        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        ready["url"] = order.Location;
        var valid = await FinalizeAsync(client, ready, Csr(keyKind, mailbox));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        return new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain));
    }

    protected static string Serial(X509Certificate certificate) => certificate.SerialNumber.ToString(16);

    protected static string AccountId(AcmeTestClient client) => LastSegment(client.AccountUrl!);

    /// <summary>The CRL the server serves now.</summary>
    protected async Task<X509Crl> CrlAsync()
    {
        using var plain = new HttpClient();
        return new X509CrlParser().ReadCrl(await plain.GetByteArrayAsync(Server.Urls.CrlUrl));
    }
}

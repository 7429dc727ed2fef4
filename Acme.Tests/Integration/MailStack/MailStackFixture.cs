using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// The loopback mail and DNS stack of <c>interop/stack/teststack.sh</c> (postfix + opendkim + dovecot +
/// dnsmasq). <see cref="Require"/> checks that it answers: when it does not, the test is ignored on a
/// developer machine and fails under CI (<c>CI=true</c>), which must have started it.
/// </summary>
public sealed class MailStackFixture
{
    public const string CaDomain = "ca.example.test";
    public const string UserDomain = "users.example.test";
    public const string AcmeMailbox = "acme@" + CaDomain;
    public const string Alice = "alice@" + UserDomain;
    public const string Bob = "bob@" + UserDomain;
    public const string CaSelector = "acme";
    public const string Host = "127.0.0.1";

    private MailStackFixture(string baseDirectory)
    {
        BaseDirectory = baseDirectory;
    }

    /// <summary>The stack's scratch directory (<c>BASE</c> of teststack.sh).</summary>
    public string BaseDirectory { get; }

    public int SmtpPort { get; } = Port("SMTP_PORT", 2525);

    public int ImapPort { get; } = Port("IMAP_PORT", 1143);

    public int LmtpPort { get; } = Port("LMTP_PORT", 2424);

    public int DnsPort { get; } = Port("DNS_PORT", 5353);

    /// <summary>The DNS server as our settings spell it (<c>address:port</c>).</summary>
    public string DnsServer => $"{Host}:{DnsPort}";

    /// <summary>The CA's DKIM key (selector <c>acme</c>, domain <c>ca.example.test</c>) whose TXT record dnsmasq serves.</summary>
    public string CaDkimKeyPath => Path.Combine(BaseDirectory, "dkim", $"{CaSelector}.{CaDomain}.rsa.pem");

    /// <summary>The file holding <paramref name="address"/>'s IMAP password (mode 0600, as the server reads it).</summary>
    public string PasswordFile(string address) => Path.Combine(BaseDirectory, "secrets", address + ".pass");

    public string Password(string address) => File.ReadAllLines(PasswordFile(address))[0];

    /// <summary>Returns the running stack, or ends the test (ignored locally, failed under CI).</summary>
    public static MailStackFixture Require()
    {
        var stack = new MailStackFixture(ResolveBaseDirectory());
        var problem = stack.Probe();
        if (problem is null)
        {
            return stack;
        }

        Support.RequiredTool.Missing($"mail stack not running ({problem}); BASE={stack.BaseDirectory}: bash interop/stack/teststack.sh install setup start");
        return stack; // unreachable: Missing always ends the test
    }

    /// <summary>Null when SMTP, IMAP and LMTP accept connections, DNS serves the CA's DKIM key, and the secrets exist.</summary>
    private string? Probe()
    {
        foreach (var (name, port) in new[] { ("SMTP", SmtpPort), ("IMAP", ImapPort), ("LMTP", LmtpPort) })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }

            if (!socket.Connected)
            {
                return $"{name} port {port} refuses connections";
            }
        }

        var dns = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, DnsPort))
        {
            UseCache = false,
            Retries = 0,
            Timeout = TimeSpan.FromSeconds(2),
            ThrowDnsErrors = false,
            UseTcpFallback = true,
        });
        try
        {
            var answer = dns.Query($"{CaSelector}._domainkey.{CaDomain}", QueryType.TXT);
            if (!answer.Answers.TxtRecords().Any())
            {
                return $"DNS on port {DnsPort} has no TXT record for {CaSelector}._domainkey.{CaDomain}";
            }
        }
        catch (DnsResponseException e)
        {
            return $"DNS on port {DnsPort} does not answer: {e.Message}";
        }

        foreach (var file in new[] { CaDkimKeyPath, PasswordFile(AcmeMailbox), PasswordFile(Alice), PasswordFile(Bob) })
        {
            if (!File.Exists(file))
            {
                return $"{file} is missing (BASE differs from the running stack's?)";
            }
        }

        return null;
    }

    /// <summary><c>ACME_TESTSTACK</c>, else <c>.teststack</c> in the repository root above the test binary.</summary>
    private static string ResolveBaseDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("ACME_TESTSTACK");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Acme.sln")))
            {
                return Path.Combine(dir.FullName, ".teststack");
            }
        }

        return Path.GetFullPath(".teststack");
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) && port is > 0 and < 65536 ? port : fallback;
}

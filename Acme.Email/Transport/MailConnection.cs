using System.Net;
using System.Net.Security;
using MailKit;
using MailKit.Security;

namespace Acme.Email.Transport;

/// <summary>Connection helpers shared by the SMTP and IMAP clients.</summary>
internal static class MailConnection
{
    public static SecureSocketOptions ToSocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Unknown mail security mode."),
    };

    /// <summary>True for <c>localhost</c> and loopback IP literals (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Accepts any server certificate, but only when asked to and the host is loopback.</summary>
    public static void ApplyCertificatePolicy(IMailService client, string host, bool acceptInvalidForLoopback)
    {
        if (acceptInvalidForLoopback && IsLoopbackHost(host))
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else
        {
            client.ServerCertificateValidationCallback = static (_, _, _, errors) => errors == SslPolicyErrors.None;
        }
    }

    /// <summary>Reads a password file: the first line, without its line ending.</summary>
    public static async Task<string> ReadPasswordAsync(string path, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    public static void ValidateEndpoint(string section, string? host, int port, MailSecurity security, string? userName, string? passwordFile)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new InvalidOperationException($"{section}:Host is required.");
        }

        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{section}:Port must be between 1 and 65535, not {port}.");
        }

        if (!Enum.IsDefined(security))
        {
            throw new InvalidOperationException($"{section}:Security must be None, StartTls, SslOnConnect or StartTlsWhenAvailable.");
        }

        if (string.IsNullOrEmpty(userName) != string.IsNullOrEmpty(passwordFile))
        {
            throw new InvalidOperationException($"{section}:UserName and {section}:PasswordFile must be set together.");
        }

        if (!string.IsNullOrEmpty(passwordFile) && !File.Exists(passwordFile))
        {
            throw new InvalidOperationException($"{section}:PasswordFile '{passwordFile}' does not exist.");
        }
    }
}

using Acme.Email.Transport;

namespace Acme.Email.Imap;

/// <summary>Settings of the IMAP mailbox that receives challenge responses (configuration section <c>Imap</c>).</summary>
public sealed class ImapOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Imap";

    /// <summary>Server host name or IP address.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Server port (143, 993, …).</summary>
    public int Port { get; set; } = 993;

    /// <summary>How the connection is secured.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.SslOnConnect;

    /// <summary>Login user name; required together with <see cref="PasswordFile"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>Path of a file whose first line is the password (secrets are never configured inline).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The folder to read; default <c>INBOX</c>.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>How long the host waits between polls when the server lacks IDLE (and the longest IDLE round).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Use IMAP IDLE when the server offers it.</summary>
    public bool UseIdle { get; set; } = true;

    /// <summary>Optional folder processed messages are moved to (created if missing); when unset they are flagged \Seen.</summary>
    public string? ProcessedFolder { get; set; }

    /// <summary>Timeout of each network operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Accept any TLS server certificate. Honoured ONLY when <see cref="Host"/> is <c>localhost</c> or a
    /// loopback IP address; ignored for every other host.
    /// </summary>
    public bool AcceptInvalidCertificatesForLoopback { get; set; }

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public void Validate()
    {
        MailConnection.ValidateEndpoint(SectionName, Host, Port, Security, UserName, PasswordFile);
        if (string.IsNullOrEmpty(UserName))
        {
            throw new InvalidOperationException($"{SectionName}:UserName and {SectionName}:PasswordFile are required.");
        }

        if (string.IsNullOrWhiteSpace(Folder))
        {
            throw new InvalidOperationException($"{SectionName}:Folder must name a folder (e.g. INBOX).");
        }

        if (ProcessedFolder is not null && (ProcessedFolder.Trim().Length == 0
            || string.Equals(ProcessedFolder, Folder, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"{SectionName}:ProcessedFolder must be unset or a folder other than {SectionName}:Folder.");
        }

        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromMinutes(25))
        {
            // RFC 2177: an IDLE round must end before the server's 29-minute inactivity timeout
            throw new InvalidOperationException($"{SectionName}:PollInterval must be between 1 second and 25 minutes.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            throw new InvalidOperationException($"{SectionName}:Timeout must be between 0 and 10 minutes.");
        }
    }
}

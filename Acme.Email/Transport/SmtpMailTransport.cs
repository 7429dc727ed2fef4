using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Acme.Email.Transport;

/// <summary>
/// Sends challenge emails through an SMTP server with MailKit: one connection per message
/// (connect, optional AUTH, send, disconnect). Transport errors become results, never exceptions.
/// </summary>
public sealed class SmtpMailTransport : IChallengeMailTransport
{
    private readonly SmtpOptions _options;

    /// <summary>Validates and keeps the options.</summary>
    /// <param name="options">The SMTP settings.</param>
    /// <exception cref="InvalidOperationException">A setting is invalid.</exception>
    public SmtpMailTransport(SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc />
    public async Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        MailConnection.ApplyCertificatePolicy(client, _options.Host, _options.AcceptInvalidCertificatesForLoopback);
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, MailConnection.ToSocketOptions(_options.Security), ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName) && !string.IsNullOrEmpty(_options.PasswordFile))
            {
                var password = await MailConnection.ReadPasswordAsync(_options.PasswordFile, ct).ConfigureAwait(false);
                await client.AuthenticateAsync(_options.UserName, password, ct).ConfigureAwait(false);
            }

            var format = WireFormat.For(message);
            if (format.International && !client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
            {
                // RFC 6531 §3.4: a UTF-8 address needs SMTPUTF8 end to end; without it the mail cannot go out.
                return MailSendResult.Rejected($"the SMTP relay {_options.Host} does not offer SMTPUTF8 (RFC 6531), which the internationalized address {message.To} needs");
            }

            await client.SendAsync(format, message, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Classify(ex) is { } result)
        {
            return result;
        }

        // The server has accepted the message: a failure while saying goodbye must not cause a resend.
        try
        {
            await client.DisconnectAsync(true, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Classify(ex) is not null)
        {
        }

        return MailSendResult.Delivered;
    }

    /// <summary>Maps a MailKit or network exception to a result; null for exceptions that are bugs.</summary>
    internal static MailSendResult? Classify(Exception ex) => ex switch
    {
        SmtpCommandException command when (int)command.StatusCode is >= 500 and < 600 =>
            MailSendResult.Rejected($"{(int)command.StatusCode} {command.Message}"),
        SmtpCommandException command => MailSendResult.RetryLater($"{(int)command.StatusCode} {command.Message}"),
        SmtpProtocolException or SslHandshakeException or AuthenticationException or ServiceNotConnectedException
            or ServiceNotAuthenticatedException or IOException or SocketException or TimeoutException
            or UnauthorizedAccessException or OperationCanceledException => MailSendResult.RetryLater(ex.Message),
        // MailKit: STARTTLS or AUTH required by the settings but not offered by the server (a configuration problem).
        NotSupportedException => MailSendResult.RetryLater(ex.Message),
        _ => null,
    };
}

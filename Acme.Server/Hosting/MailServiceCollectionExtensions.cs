using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Imap;
using Acme.Email.Incoming;
using Acme.Email.Smime;
using Acme.Email.Transport;
using Acme.Server.Mail;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Validation.Dkim;
using Acme.Validation.Replies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>
/// The RFC 8823 mail side: SMTP (or, by default, files in <c>data/mail/outgoing</c>), IMAP (or files
/// in <c>data/mail/incoming/new</c>), DKIM signing (a development key when none is configured), the
/// DNS resolver for DKIM keys, and the background loop.
/// </summary>
public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddAcmeMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>>(new CheckedOptionsValidator<SmtpOptions>(o => { if (!string.IsNullOrEmpty(o.Host)) { o.Validate(); } }));
        services.AddOptions<ImapOptions>().Bind(configuration.GetSection(ImapOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImapOptions>>(new CheckedOptionsValidator<ImapOptions>(o => { if (!string.IsNullOrEmpty(o.Host)) { o.Validate(); } }));
        services.AddOptions<DkimSigningOptions>().Bind(configuration.GetSection(DkimSigningOptions.SectionName)).ValidateOnStart()
            .PostConfigure<IOptions<AcmeServerOptions>>(DkimDefaults.Apply);
        services.AddSingleton<IValidateOptions<DkimSigningOptions>>(new CheckedOptionsValidator<DkimSigningOptions>(DkimDefaults.Check));
        services.AddOptions<ReplyPolicyOptions>().Bind(configuration.GetSection(ReplyPolicyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplyPolicyOptions>, ReplyPolicyOptionsValidator>();
        services.AddSingleton<IMailStore, MailStore>();
        services.AddSingleton<IOutboxStore, OutboxStore>();
        services.AddSingleton<ChallengeEmailBuilder>();
        services.AddOptions<SmimeSigningOptions>().Bind(configuration.GetSection(SmimeSigningOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmimeSigningOptions>>(new CheckedOptionsValidator<SmimeSigningOptions>(CheckSmime));
        services.AddSingleton<IEnumerable<SmimeChallengeSigner>>(sp =>
        {
            var smime = sp.GetRequiredService<IOptions<SmimeSigningOptions>>().Value;
            if (!smime.Enabled)
            {
                return [];
            }

            var signer = new SmimeChallengeSigner(smime);
            var mailbox = sp.GetRequiredService<ChallengeAddressFactory>().Mailbox.Address;
            return signer.SignerAddresses.Contains(mailbox, StringComparer.OrdinalIgnoreCase)
                ? [signer]
                : throw new InvalidOperationException($"Smime:CertificatePath: the signer certificate names {string.Join(", ", signer.SignerAddresses)}, not the challenge mailbox {mailbox} (RFC 8823 §3.1 item 6)");
        });

        services.AddSingleton(sp => CreateSigner(sp));
        // Seams (transport, reply source, DNS) use TryAdd: an earlier registration (a test fake) wins.
        services.TryAddSingleton<IChallengeMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>().Value;
            if (!string.IsNullOrEmpty(smtp.Host))
            {
                smtp.Validate();
                return new SmtpMailTransport(smtp);
            }

            return new FileMailTransport(DataPath(sp, sp.GetRequiredService<IOptions<MailOptions>>().Value.OutgoingDirectory), sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IReplySource>(sp =>
        {
            var imap = sp.GetRequiredService<IOptions<ImapOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            if (!string.IsNullOrEmpty(imap.Host))
            {
                imap.Validate();
                return new ImapReplySource(new ImapMailboxReader(imap, time), sp.GetRequiredService<Database>(), sp.GetRequiredService<IMailStore>(),
                    sp.GetRequiredService<MailConnectivity>().Imap);
            }

            return new DirectoryReplySource(new IncomingDirectoryReader(DataPath(sp, sp.GetRequiredService<IOptions<MailOptions>>().Value.IncomingDirectory)), time, sp.GetRequiredService<ILogger<DirectoryReplySource>>());
        });

        services.TryAddSingleton<IDkimKeyLookup>(sp => new DnsClientDkimKeyLookup(sp.GetRequiredService<IOptions<DnsOptions>>().Value.Servers));
        services.AddSingleton(sp => new ReplyDkimVerifier(
            sp.GetRequiredService<IDkimKeyLookup>(), sp.GetRequiredService<IOptions<ReplyPolicyOptions>>().Value.DkimPolicy(), sp.GetRequiredService<TimeProvider>(),
            new DkimKeyCache()));
        services.AddSingleton(sp => new ReplyValidator(sp.GetRequiredService<ReplyDkimVerifier>()));
        services.AddSingleton<MailConnectivity>();
        services.AddSingleton<ChallengeMailDispatcher>();
        services.AddSingleton<OutboxWakeup>();
        services.AddSingleton<ReplyIngestion>();
        services.AddSingleton<ReplyProcessor>();
        services.AddSingleton<ReaderLease>();
        services.AddSingleton<LeasedReplyReader>();
        services.AddHostedService<MailSendingService>();
        services.AddHostedService<ReplyReadingService>();
        return services;
    }

    private static void CheckSmime(SmimeSigningOptions o)
    {
        if (o.Enabled && (string.IsNullOrEmpty(o.CertificatePath) || string.IsNullOrEmpty(o.KeyPath)))
        {
            throw new InvalidOperationException("Smime:CertificatePath and Smime:KeyPath go together: set both to sign challenge mails with S/MIME, or neither");
        }
    }

    private static string DataPath(IServiceProvider sp, string relative) =>
        Path.Combine(sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value.DataDirectory, relative);

    /// <summary>The configured DKIM key, or a development key for the challenge mailbox's domain whose TXT record is logged.</summary>
    private static DkimMessageSigner CreateSigner(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<DkimSigningOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        if (string.IsNullOrEmpty(options.KeyPath) && !options.Pkcs11.IsConfigured)
        {
            var domain = sp.GetRequiredService<ChallengeAddressFactory>().Mailbox.Domain;
            var selector = string.IsNullOrEmpty(options.Selector) ? "acme" : options.Selector;
            var material = DkimMessageSigner.GenerateDevelopmentKey(DataPath(sp, "dkim"), domain, selector, options.Algorithm);
            options.Domain = domain;
            options.Selector = selector;
            options.KeyPath = material.KeyPath;
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Acme.Server.Dkim").LogInformation(
                "Development DKIM key {Path}; publish: {Name} TXT \"{Txt}\"", material.KeyPath, material.DnsName, material.TxtValue);
        }

        options.Validate();
        return new DkimMessageSigner(options, time);
    }
}

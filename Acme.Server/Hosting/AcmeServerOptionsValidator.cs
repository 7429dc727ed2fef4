using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Acme</c>: each failure names the setting and what is wrong.</summary>
public sealed class AcmeServerOptionsValidator(IHostEnvironment environment) : IValidateOptions<AcmeServerOptions>
{
    public ValidateOptionsResult Validate(string? name, AcmeServerOptions o)
    {
        var errors = new List<string>();
        CheckUrl(errors, o.BaseUrl, "Acme:BaseUrl", ["https", "http"]);
        CheckUrl(errors, o.HttpBaseUrl, "Acme:HttpBaseUrl", ["http"]);
        CheckUrl(errors, o.TermsOfService, "Acme:TermsOfService", ["https", "http"]);
        CheckUrl(errors, o.Website, "Acme:Website", ["https", "http"]);
        var mailbox = MailboxNormalizer.Normalize(o.ChallengeMailbox);
        if (!mailbox.IsSuccess || mailbox.Value.LocalPart.Contains('+') || mailbox.Value.HasNonAsciiLocalPart)
        {
            errors.Add($"Acme:ChallengeMailbox '{o.ChallengeMailbox}' must be a plain ASCII address without '+' (tags are added per challenge)");
        }

        // SBR 3.2.2.4: a Random Value is usable for at most 24 hours after its creation.
        Range(errors, o.PendingAuthorizationLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromHours(24), "Acme:PendingAuthorizationLifetime");
        Range(errors, o.ValidAuthorizationLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "Acme:ValidAuthorizationLifetime");
        Range(errors, o.OrderLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "Acme:OrderLifetime");
        Range(errors, o.NonceLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), "Acme:NonceLifetime");
        if (o.MaxIdentifiersPerOrder is < 1 or > 100)
        {
            errors.Add($"Acme:MaxIdentifiersPerOrder is {o.MaxIdentifiersPerOrder}; it must be 1 to 100");
        }

        if (o.OrdersPageSize is < 1 or > 1000)
        {
            errors.Add($"Acme:OrdersPageSize is {o.OrdersPageSize}; it must be 1 to 1000");
        }

        if (!CertificateProfiles.TryGet(o.DefaultProfile, out _))
        {
            errors.Add($"Acme:DefaultProfile '{o.DefaultProfile}' is unknown; use one of {string.Join(", ", CertificateProfiles.All.Select(p => p.Name))}");
        }

        if (o.NonceRejectPercent is < 0 or > 100 || (o.NonceRejectPercent > 0 && !environment.IsDevelopment()))
        {
            errors.Add($"Acme:NonceRejectPercent is {o.NonceRejectPercent}; it is a test switch (0 to 100) allowed only in the Development environment");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(List<string> errors, string? value, string setting, string[] schemes)
    {
        if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme)))
        {
            errors.Add($"{setting} '{value}' must be an absolute {string.Join(" or ", schemes)} URL");
        }
    }

    private static void Range(List<string> errors, TimeSpan value, TimeSpan min, TimeSpan max, string setting)
    {
        if (value < min || value > max)
        {
            errors.Add($"{setting} is {value}; it must be between {min} and {max}");
        }
    }
}
